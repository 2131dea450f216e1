// APIs: names are unique and the upstream and identity provider must exist. Whether the gateway
// can still place every route after a base path or host change is checked before the write
// commits (routing.ts). The identity provider is stored by id and shown by name.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, identityProviders, upstreams } from '../../store/schema/index.ts';
import type { Api, ApiCreate, ApiUpdate } from '../model/api.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findIdentityProviderRow } from './identity-providers.ts';
import { findById, findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof apis.$inferSelect;

/** An API as the admin API shows it: its identity provider by name, hence the query. */
export async function toApi(db: Db, row: Row): Promise<Api> {
  let identityProvider: string | null = null;
  if (row.identityProviderId !== null) {
    const [provider] = await db
      .select({ name: identityProviders.name })
      .from(identityProviders)
      .where(eq(identityProviders.id, row.identityProviderId));
    identityProvider = provider?.name ?? null;
  }
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
    identityProvider,
    metrics: row.metrics,
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
    (row: Row) => toApi(db, row),
  );
}

export async function getApi(db: Db, idOrName: string): Promise<Result<Api>> {
  const row = await findByIdOrName(db, apis, 'api', idOrName);
  return row ? ok(await toApi(db, row)) : fail('not-found', `no API ${idOrName}`);
}

export async function createApi(db: Db, input: ApiCreate): Promise<Result<Api>> {
  const desired = { ...input, hosts: input.hosts ?? [] };
  const problem = await checkApi(db, desired, undefined);
  if (problem) return problem;
  const provider = await identityProviderId(db, input.identityProvider);
  if (!provider.ok) return provider;
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
        identityProviderId: provider.value ?? null,
        metrics: input.metrics ?? [],
      })
      .returning(),
  );
  return ok(await toApi(db, row));
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
  const { identityProvider, ...fields } = patch;
  const provider = await identityProviderId(db, identityProvider);
  if (!provider.ok) return provider;
  const row = only(
    await db
      .update(apis)
      .set({ ...fields, identityProviderId: provider.value, updatedAt: new Date() })
      .where(eq(apis.id, current.id))
      .returning(),
  );
  return ok(await toApi(db, row));
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

/** The id to store for an identity provider named in a body: undefined leaves it, null clears it. */
async function identityProviderId(
  db: Db,
  name: string | null | undefined,
): Promise<Result<string | null | undefined>> {
  if (name === undefined || name === null) return ok(name);
  const provider = await findIdentityProviderRow(db, name);
  return provider ? ok(provider.id) : fail('reference-not-found', `no identity provider ${name}`);
}
