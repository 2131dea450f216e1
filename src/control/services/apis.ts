// APIs: names are unique and the upstream must exist. Whether the gateway can still place every
// route after a base path or host change is checked before the write commits (routing.ts).
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, upstreams } from '../../store/schema/index.ts';
import type { Api, ApiCreate, ApiUpdate } from '../model/api.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findById, findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof apis.$inferSelect;

export function toApi(row: Row): Api {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    basePath: row.basePath,
    hosts: row.hosts,
    upstreamId: row.upstreamId,
    keyless: row.keyless,
    stripBasePath: row.stripBasePath,
    maxBodyBytes: row.maxBodyBytes,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface ApiFilter {
  name?: string | undefined;
  upstreamId?: string | undefined;
}

export function listApis(db: Db, filter: ApiFilter, page: PageRequest): Promise<Page<Api>> {
  return listPage(
    db,
    apis,
    [
      filter.name ? eq(apis.name, filter.name) : undefined,
      filter.upstreamId ? eq(apis.upstreamId, filter.upstreamId) : undefined,
    ],
    page,
    toApi,
  );
}

export async function getApi(db: Db, idOrName: string): Promise<Result<Api>> {
  const row = await findByIdOrName(db, apis, 'api', idOrName);
  return row ? ok(toApi(row)) : fail('not-found', `no API ${idOrName}`);
}

export async function createApi(db: Db, input: ApiCreate): Promise<Result<Api>> {
  const desired = { ...input, hosts: input.hosts ?? [] };
  const problem = await checkApi(db, desired, undefined);
  if (problem) return problem;
  const row = only(
    await db
      .insert(apis)
      .values({
        id: newId('api'),
        name: input.name,
        description: input.description ?? '',
        basePath: input.basePath,
        hosts: desired.hosts,
        upstreamId: input.upstreamId,
        keyless: input.keyless ?? false,
        stripBasePath: input.stripBasePath ?? true,
        maxBodyBytes: input.maxBodyBytes ?? null,
      })
      .returning(),
  );
  return ok(toApi(row));
}

export async function updateApi(db: Db, id: string, patch: ApiUpdate): Promise<Result<Api>> {
  const current = await findByIdOrName(db, apis, 'api', id);
  if (!current) return fail('not-found', `no API ${id}`);
  const desired = {
    name: patch.name ?? current.name,
    basePath: patch.basePath ?? current.basePath,
    hosts: patch.hosts ?? current.hosts,
    upstreamId: patch.upstreamId ?? current.upstreamId,
  };
  const problem = await checkApi(db, desired, current);
  if (problem) return problem;
  const row = only(
    await db
      .update(apis)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(apis.id, current.id))
      .returning(),
  );
  return ok(toApi(row));
}

export async function deleteApi(db: Db, id: string): Promise<Result<void>> {
  const current = await findByIdOrName(db, apis, 'api', id);
  if (!current) return fail('not-found', `no API ${id}`);
  // Routes and product memberships go with it (ON DELETE CASCADE).
  await db.delete(apis).where(eq(apis.id, current.id));
  return ok(undefined);
}

type Desired = Pick<Row, 'name' | 'basePath' | 'hosts' | 'upstreamId'>;

async function checkApi(
  db: Db,
  desired: Desired,
  current: Row | undefined,
): Promise<Result<never> | undefined> {
  if (desired.name !== current?.name) {
    const [taken] = await db.select({ id: apis.id }).from(apis).where(eq(apis.name, desired.name));
    if (taken) return fail('conflict', `an API named ${desired.name} already exists`);
  }
  if (desired.upstreamId !== current?.upstreamId && !(await findById(db, upstreams, desired.upstreamId))) {
    return fail('reference-not-found', `no upstream ${desired.upstreamId}`);
  }
  return undefined;
}
