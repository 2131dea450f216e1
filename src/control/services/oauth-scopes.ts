// OAuth scopes the authorization server grants: names unique, each with a description for the
// consent page. The gateway's scopes policy checks tokens for them by name.
import { asc, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { oauthScopes } from '../../store/schema/index.ts';
import type { OAuthScope, OAuthScopeCreate, OAuthScopeUpdate } from '../model/oauth-scope.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof oauthScopes.$inferSelect;

export function toOAuthScope(row: Row): OAuthScope {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listOAuthScopes(
  db: Db,
  filter: { name?: string | undefined },
  page: PageRequest,
): Promise<Page<OAuthScope>> {
  return listPage(
    db,
    oauthScopes,
    [filter.name ? eq(oauthScopes.name, filter.name) : undefined],
    page,
    toOAuthScope,
  );
}

/** Every scope, by name: what the authorization server offers and the consent page explains. */
export async function listScopeNames(db: Db): Promise<{ name: string; description: string }[]> {
  return db
    .select({ name: oauthScopes.name, description: oauthScopes.description })
    .from(oauthScopes)
    .orderBy(asc(oauthScopes.name));
}

export async function getOAuthScope(db: Db, idOrName: string): Promise<Result<OAuthScope>> {
  const row = await findByIdOrName(db, oauthScopes, 'oauthScope', idOrName);
  return row ? ok(toOAuthScope(row)) : fail('not-found', `no OAuth scope ${idOrName}`);
}

export async function createOAuthScope(db: Db, input: OAuthScopeCreate): Promise<Result<OAuthScope>> {
  const taken = await nameTaken(db, input.name);
  if (taken) return taken;
  const row = only(
    await db
      .insert(oauthScopes)
      .values({ id: newId('oauthScope'), name: input.name, description: input.description ?? '' })
      .returning(),
  );
  return ok(toOAuthScope(row));
}

export async function updateOAuthScope(
  db: Db,
  idOrName: string,
  patch: OAuthScopeUpdate,
): Promise<Result<OAuthScope>> {
  const current = await findByIdOrName(db, oauthScopes, 'oauthScope', idOrName);
  if (!current) return fail('not-found', `no OAuth scope ${idOrName}`);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, patch.name);
    if (taken) return taken;
  }
  const row = only(
    await db
      .update(oauthScopes)
      .set({ name: patch.name, description: patch.description, updatedAt: new Date() })
      .where(eq(oauthScopes.id, current.id))
      .returning(),
  );
  return ok(toOAuthScope(row));
}

export async function deleteOAuthScope(db: Db, idOrName: string): Promise<Result<void>> {
  const current = await findByIdOrName(db, oauthScopes, 'oauthScope', idOrName);
  if (!current) return fail('not-found', `no OAuth scope ${idOrName}`);
  await db.delete(oauthScopes).where(eq(oauthScopes.id, current.id));
  return ok(undefined);
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db.select({ id: oauthScopes.id }).from(oauthScopes).where(eq(oauthScopes.name, name));
  return row ? fail('conflict', `an OAuth scope named ${name} already exists`) : undefined;
}
