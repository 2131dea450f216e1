// Checks that the gateway can place every route of every API, with the gateway's own router.
// Run inside the transaction of a write that touches APIs or routes: a conflict between two
// APIs (`/a` + `/b/c` against `/a/b` + `/c`) is refused here rather than by every gateway later.
import { type RouteConflict, routeConflicts } from '../../gateway/router/placement.ts';
import { fail, type Result } from '../../shared/errors.ts';
import { apis, routes } from '../../store/schema/index.ts';
import type { Db } from './context.ts';

/** The first pair of routes the gateway could not tell apart, if any. */
export async function findRouteConflict(db: Db): Promise<RouteConflict | undefined> {
  const apiRows = await db
    .select({ id: apis.id, name: apis.name, basePath: apis.basePath, hosts: apis.hosts })
    .from(apis);
  const routeRows = await db.select().from(routes);
  const byApi = new Map(apiRows.map((a) => [a.id, { ...a, routes: [] as typeof routeRows }]));
  for (const route of routeRows) byApi.get(route.apiId)?.routes.push(route);
  return routeConflicts([...byApi.values()])[0];
}

export async function checkRouting(db: Db): Promise<Result<never> | undefined> {
  const conflict = await findRouteConflict(db);
  return conflict
    ? fail('conflict', `the gateway could not tell two routes apart: ${conflict.message}`)
    : undefined;
}
