// Identity providers: names unique, keys from exactly one place (a JWK Set URL or public JWKs),
// and none deleted while an API sends its end users there. The authorization server reads them
// with findIdentityProviderRow(); the gateway never sees them.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, identityProviders } from '../../store/schema/index.ts';
import {
  defaultIdentityProviderAlgorithms,
  type IdentityProvider,
  type IdentityProviderCreate,
  type IdentityProviderUpdate,
  type JwtAlgorithm,
  keySourceProblem,
} from '../model/identity-provider.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

export type IdentityProviderRow = typeof identityProviders.$inferSelect;

/** The stored provider, by id (`idp_…`) or name; what sign-in needs (keys, issuer, login URL). */
export function findIdentityProviderRow(db: Db, idOrName: string): Promise<IdentityProviderRow | undefined> {
  return findByIdOrName(db, identityProviders, 'identityProvider', idOrName);
}

export function toIdentityProvider(row: IdentityProviderRow): IdentityProvider {
  return {
    id: row.id,
    name: row.name,
    displayName: row.displayName,
    loginUrl: row.loginUrl,
    issuer: row.issuer,
    jwksUrl: row.jwksUrl,
    publicKeys: row.publicKeys,
    // Checked against jwtAlgorithms on the way in.
    algorithms: row.algorithms as JwtAlgorithm[],
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listIdentityProviders(
  db: Db,
  filter: { name?: string | undefined },
  page: PageRequest,
): Promise<Page<IdentityProvider>> {
  return listPage(
    db,
    identityProviders,
    [filter.name ? eq(identityProviders.name, filter.name) : undefined],
    page,
    toIdentityProvider,
  );
}

export async function getIdentityProvider(db: Db, idOrName: string): Promise<Result<IdentityProvider>> {
  const row = await findIdentityProviderRow(db, idOrName);
  return row ? ok(toIdentityProvider(row)) : fail('not-found', `no identity provider ${idOrName}`);
}

export async function createIdentityProvider(
  db: Db,
  input: IdentityProviderCreate,
): Promise<Result<IdentityProvider>> {
  const keys = { jwksUrl: input.jwksUrl ?? null, publicKeys: input.publicKeys ?? [] };
  const problem = keysProblem(keys) ?? (await nameTaken(db, input.name));
  if (problem) return problem;
  const row = only(
    await db
      .insert(identityProviders)
      .values({
        id: newId('identityProvider'),
        name: input.name,
        displayName: input.displayName ?? '',
        loginUrl: input.loginUrl,
        issuer: input.issuer,
        ...keys,
        algorithms: input.algorithms ?? defaultIdentityProviderAlgorithms,
      })
      .returning(),
  );
  return ok(toIdentityProvider(row));
}

export async function updateIdentityProvider(
  db: Db,
  idOrName: string,
  patch: IdentityProviderUpdate,
): Promise<Result<IdentityProvider>> {
  const current = await findIdentityProviderRow(db, idOrName);
  if (!current) return fail('not-found', `no identity provider ${idOrName}`);
  // The rule holds for the result: switching key source means clearing the other one.
  const problem =
    keysProblem({
      jwksUrl: patch.jwksUrl === undefined ? current.jwksUrl : patch.jwksUrl,
      publicKeys: patch.publicKeys ?? current.publicKeys,
    }) ??
    (patch.name !== undefined && patch.name !== current.name ? await nameTaken(db, patch.name) : undefined);
  if (problem) return problem;
  const row = only(
    await db
      .update(identityProviders)
      .set({
        name: patch.name,
        displayName: patch.displayName,
        loginUrl: patch.loginUrl,
        issuer: patch.issuer,
        jwksUrl: patch.jwksUrl,
        publicKeys: patch.publicKeys,
        algorithms: patch.algorithms,
        updatedAt: new Date(),
      })
      .where(eq(identityProviders.id, current.id))
      .returning(),
  );
  return ok(toIdentityProvider(row));
}

/** Refused while an API names it; the end users who signed in through it go with it. */
export async function deleteIdentityProvider(db: Db, idOrName: string): Promise<Result<void>> {
  const current = await findIdentityProviderRow(db, idOrName);
  if (!current) return fail('not-found', `no identity provider ${idOrName}`);
  const users = await db
    .select({ name: apis.name })
    .from(apis)
    .where(eq(apis.identityProviderId, current.id))
    .limit(5);
  if (users.length) {
    return fail(
      'conflict',
      `identity provider ${current.name} is used by APIs ${users.map((a) => a.name).join(', ')}; set their identityProvider to another one or null first`,
    );
  }
  await db.delete(identityProviders).where(eq(identityProviders.id, current.id));
  return ok(undefined);
}

function keysProblem(keys: { jwksUrl: string | null; publicKeys: readonly unknown[] }) {
  const problem = keySourceProblem(keys);
  return problem ? fail('validation-failed', `${problem.path}: ${problem.message}`) : undefined;
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db
    .select({ id: identityProviders.id })
    .from(identityProviders)
    .where(eq(identityProviders.name, name));
  return row ? fail('conflict', `an identity provider named ${name} already exists`) : undefined;
}
