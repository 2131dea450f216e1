// APIs: names are unique and the upstream and identity provider must exist. Whether the gateway
// can still place every route after a base path or host change is checked before the write
// commits (routing.ts). The identity provider is stored by id and shown by name. The OpenAPI
// document is shown in brief: it can be megabytes, and every write's audit record holds the API.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, identityProviders, upstreams } from '../../store/schema/index.ts';
import type { Api, ApiCreate, ApiLifecycle, ApiUpdate, ApiVisibility } from '../model/api.ts';
import { summarizeOpenapi } from '../model/openapi-document.ts';
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
    version: row.version,
    visibility: row.visibility,
    partnerTiers: row.partnerTiers,
    lifecycle: row.lifecycle,
    overview: row.overview,
    changelog: row.changelog,
    openapiSummary: summarizeOpenapi(row.openapi),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface ApiFilter {
  name?: string | undefined;
  upstreamId?: string | undefined;
  visibility?: ApiVisibility | undefined;
  lifecycle?: ApiLifecycle | undefined;
}

export function listApis(db: Db, filter: ApiFilter, page: PageRequest): Promise<Page<Api>> {
  return listPage(
    db,
    apis,
    [
      filter.name ? eq(apis.name, filter.name) : undefined,
      filter.upstreamId ? eq(apis.upstreamId, filter.upstreamId) : undefined,
      filter.visibility ? eq(apis.visibility, filter.visibility) : undefined,
      filter.lifecycle ? eq(apis.lifecycle, filter.lifecycle) : undefined,
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
        version: input.version ?? '',
        visibility: input.visibility ?? 'public',
        partnerTiers: input.partnerTiers ?? [],
        lifecycle: input.lifecycle ?? 'published',
        overview: input.overview ?? '',
        openapi: input.openapi ?? null,
        changelog: input.changelog ?? '',
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

/** The stored OpenAPI document of an API, with the API's name; not-found when it has none. */
export async function getApiOpenapi(
  db: Db,
  idOrName: string,
): Promise<Result<{ name: string; document: Record<string, unknown> }>> {
  const row = await findByIdOrName(db, apis, 'api', idOrName);
  if (!row) return fail('not-found', `no API ${idOrName}`);
  if (row.openapi === null) return fail('not-found', `API ${row.name} has no OpenAPI document`);
  return ok({ name: row.name, document: row.openapi });
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
