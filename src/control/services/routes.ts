// Routes of an API: names unique within the API. Whether the gateway can tell routes apart is
// checked for all APIs at once, with the gateway's own rule, before the write commits
// (routing.ts, ADR 0003).
import { and, eq, ne } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { apis, routes } from '../../store/schema/index.ts';
import type { Route, RouteCreate, RouteUpdate } from '../model/route.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof routes.$inferSelect;

export function toRoute(row: Row): Route {
  return {
    id: row.id,
    apiId: row.apiId,
    name: row.name,
    methods: row.methods,
    path: row.path,
    metric: row.metric,
    delta: row.delta,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export async function listRoutes(
  db: Db,
  apiIdOrName: string,
  filter: { name?: string | undefined },
  page: PageRequest,
): Promise<Result<Page<Route>>> {
  const api = await findByIdOrName(db, apis, 'api', apiIdOrName);
  if (!api) return fail('not-found', `no API ${apiIdOrName}`);
  return ok(
    await listPage(
      db,
      routes,
      [eq(routes.apiId, api.id), filter.name ? eq(routes.name, filter.name) : undefined],
      page,
      toRoute,
    ),
  );
}

export async function getRoute(db: Db, apiIdOrName: string, routeIdOrName: string): Promise<Result<Route>> {
  const found = await findRoute(db, apiIdOrName, routeIdOrName);
  return found.ok ? ok(toRoute(found.value)) : found;
}

export async function createRoute(db: Db, apiIdOrName: string, input: RouteCreate): Promise<Result<Route>> {
  const api = await findByIdOrName(db, apis, 'api', apiIdOrName);
  if (!api) return fail('not-found', `no API ${apiIdOrName}`);
  const desired = { name: input.name, path: input.path, methods: input.methods ?? [] };
  const problem = await checkRoute(db, api.id, desired, undefined);
  if (problem) return problem;
  const row = only(
    await db
      .insert(routes)
      .values({
        id: newId('route'),
        apiId: api.id,
        ...desired,
        metric: input.metric ?? 'hits',
        delta: input.delta ?? 1,
      })
      .returning(),
  );
  return ok(toRoute(row));
}

export async function updateRoute(
  db: Db,
  apiIdOrName: string,
  routeIdOrName: string,
  patch: RouteUpdate,
): Promise<Result<Route>> {
  const found = await findRoute(db, apiIdOrName, routeIdOrName);
  if (!found.ok) return found;
  const current = found.value;
  const desired = {
    name: patch.name ?? current.name,
    path: patch.path ?? current.path,
    methods: patch.methods ?? current.methods,
  };
  const problem = await checkRoute(db, current.apiId, desired, current.id);
  if (problem) return problem;
  const row = only(
    await db
      .update(routes)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(routes.id, current.id))
      .returning(),
  );
  return ok(toRoute(row));
}

export async function deleteRoute(db: Db, apiIdOrName: string, routeIdOrName: string): Promise<Result<void>> {
  const found = await findRoute(db, apiIdOrName, routeIdOrName);
  if (!found.ok) return found;
  await db.delete(routes).where(eq(routes.id, found.value.id));
  return ok(undefined);
}

async function findRoute(db: Db, apiIdOrName: string, routeIdOrName: string): Promise<Result<Row>> {
  const api = await findByIdOrName(db, apis, 'api', apiIdOrName);
  if (!api) return fail('not-found', `no API ${apiIdOrName}`);
  const column = isId('route', routeIdOrName) ? routes.id : routes.name;
  const [row] = await db
    .select()
    .from(routes)
    .where(and(eq(routes.apiId, api.id), eq(column, routeIdOrName)));
  return row ? ok(row) : fail('not-found', `API ${api.name} has no route ${routeIdOrName}`);
}

async function checkRoute(
  db: Db,
  apiId: string,
  desired: { name: string },
  exceptId: string | undefined,
): Promise<Result<never> | undefined> {
  const [taken] = await db
    .select({ id: routes.id })
    .from(routes)
    .where(
      and(
        eq(routes.apiId, apiId),
        eq(routes.name, desired.name),
        exceptId ? ne(routes.id, exceptId) : undefined,
      ),
    );
  return taken ? fail('conflict', `the API already has a route named ${desired.name}`) : undefined;
}
