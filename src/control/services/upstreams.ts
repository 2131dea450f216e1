// Upstreams: create, change and delete, refusing to delete one that APIs still use.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { resolveUpstreamSettings } from '../../shared/upstream-settings.ts';
import { apis, upstreams } from '../../store/schema/index.ts';
import type { Upstream, UpstreamCreate, UpstreamUpdate } from '../model/upstream.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof upstreams.$inferSelect;

export function toUpstream(row: Row): Upstream {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    targets: row.targets,
    balancing: row.balancing,
    healthChecks: row.healthChecks,
    timeouts: row.timeouts,
    retries: row.retries,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const withWeights = (targets: UpstreamCreate['targets']) =>
  targets.map((t) => ({ url: t.url, weight: t.weight ?? 100 }));

export function listUpstreams(
  db: Db,
  filter: { name?: string | undefined },
  page: PageRequest,
): Promise<Page<Upstream>> {
  return listPage(
    db,
    upstreams,
    [filter.name ? eq(upstreams.name, filter.name) : undefined],
    page,
    toUpstream,
  );
}

export async function getUpstream(db: Db, idOrName: string): Promise<Result<Upstream>> {
  const row = await findByIdOrName(db, upstreams, 'upstream', idOrName);
  return row ? ok(toUpstream(row)) : fail('not-found', `no upstream ${idOrName}`);
}

export async function createUpstream(db: Db, input: UpstreamCreate): Promise<Result<Upstream>> {
  const conflict = await nameTaken(db, input.name);
  if (conflict) return conflict;
  const row = only(
    await db
      .insert(upstreams)
      .values({
        id: newId('upstream'),
        name: input.name,
        description: input.description ?? '',
        targets: withWeights(input.targets),
        ...resolveUpstreamSettings(input),
      })
      .returning(),
  );
  return ok(toUpstream(row));
}

export async function updateUpstream(db: Db, id: string, patch: UpstreamUpdate): Promise<Result<Upstream>> {
  const current = await findByIdOrName(db, upstreams, 'upstream', id);
  if (!current) return fail('not-found', `no upstream ${id}`);
  if (patch.name !== undefined && patch.name !== current.name) {
    const conflict = await nameTaken(db, patch.name);
    if (conflict) return conflict;
  }
  const settings = resolveUpstreamSettings(patch, current);
  if (
    settings.balancing.algorithm === 'consistent-hash' &&
    settings.balancing.hashOn === 'header' &&
    !settings.balancing.hashHeader
  ) {
    return fail('validation-failed', 'balancing.hashHeader: consistent hashing on a header needs hashHeader');
  }
  const row = only(
    await db
      .update(upstreams)
      .set({
        name: patch.name,
        description: patch.description,
        targets: patch.targets ? withWeights(patch.targets) : undefined,
        ...settings,
        updatedAt: new Date(),
      })
      .where(eq(upstreams.id, current.id))
      .returning(),
  );
  return ok(toUpstream(row));
}

export async function deleteUpstream(db: Db, id: string): Promise<Result<void>> {
  const current = await findByIdOrName(db, upstreams, 'upstream', id);
  if (!current) return fail('not-found', `no upstream ${id}`);
  const users = await db
    .select({ name: apis.name })
    .from(apis)
    .where(eq(apis.upstreamId, current.id))
    .limit(5);
  if (users.length) {
    return fail(
      'conflict',
      `upstream ${current.name} is used by APIs ${users.map((a) => a.name).join(', ')}; point them elsewhere first`,
    );
  }
  await db.delete(upstreams).where(eq(upstreams.id, current.id));
  return ok(undefined);
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db.select({ id: upstreams.id }).from(upstreams).where(eq(upstreams.name, name));
  return row ? fail('conflict', `an upstream named ${name} already exists`) : undefined;
}
