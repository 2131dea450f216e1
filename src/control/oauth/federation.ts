// Signing in through an API provider's own login page. An API may name an identity provider;
// a client that asks for a token for that API (resource indicator urn:turnpike:api:NAME) has
// its end user sent to the provider's login page, which sends them back to
// /oauth/interaction/{uid}/assertion with a JWT it signed: `iss` the provider, `aud` Turnpike's
// issuer, `sub` the person, `nonce` the `state` Turnpike sent (binding it to this sign-in), and
// short-lived. Everything else signs in against Turnpike's end-user directory.
import { createHmac } from 'node:crypto';
import { eq, inArray } from 'drizzle-orm';
import { type JWK, type JWTPayload, jwtVerify } from 'jose';
import { type KeySet, localKeySet, remoteKeySet } from '../../policies/jwt/key-sets.ts';
import { apiOfResource } from '../../shared/api-resource.ts';
import { constantTimeEqual } from '../../shared/crypto.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { apis, identityProviders } from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';
import type { IdentityProviderRow } from '../services/identity-providers.ts';

export type { IdentityProviderRow };

/** An assertion older than this is refused, whatever its `exp` says. */
const maxAssertionAge = '5m';
const clockToleranceSeconds = 30;

/**
 * Where the end user of an authorization request signs in: the identity provider of the APIs
 * it names as resources, or null for the end-user directory (no API resource, or APIs without
 * a provider). APIs that sign in at different places cannot be asked for at once.
 */
export async function signInFor(db: Db, resource: unknown): Promise<Result<IdentityProviderRow | null>> {
  const resources = (Array.isArray(resource) ? resource : [resource]).filter(
    (r): r is string => typeof r === 'string',
  );
  const names = resources.flatMap((r) => apiOfResource(r) ?? []);
  if (names.length === 0) return ok(null);
  const rows = await db
    .select({ name: apis.name, identityProviderId: apis.identityProviderId })
    .from(apis)
    .where(inArray(apis.name, names));
  const ids = new Set(rows.map((r) => r.identityProviderId));
  // An API that names no provider, or a resource that names no API (refused elsewhere).
  if (rows.length < new Set(names).size) ids.add(null);
  if (ids.size > 1)
    return fail('validation-failed', 'the APIs asked for sign their users in at different places');
  const [id] = ids;
  if (id === null || id === undefined) return ok(null);
  const [row] = await db.select().from(identityProviders).where(eq(identityProviders.id, id));
  return row ? ok(row) : ok(null);
}

/**
 * A value only this control plane can make for one interaction and one purpose: the sign-in
 * forms' anti-forgery token (`interaction`), the `state` sent to an identity provider
 * (`assertion`).
 */
export function interactionToken(formKey: string, purpose: 'interaction' | 'assertion', uid: string): string {
  return createHmac('sha256', formKey).update(`${purpose}:${uid}`).digest('base64url');
}

/** The `state` sent to the provider and expected back as the assertion's `nonce`. */
export function assertionState(formKey: string, uid: string): string {
  return interactionToken(formKey, 'assertion', uid);
}

/** The provider's login page, told where to send the end user back. */
export function loginRedirect(
  provider: IdentityProviderRow,
  returnTo: string,
  state: string,
  loginHint: unknown,
): string {
  const url = new URL(provider.loginUrl);
  url.searchParams.set('redirect_uri', returnTo);
  url.searchParams.set('state', state);
  if (typeof loginHint === 'string' && loginHint !== '') url.searchParams.set('login_hint', loginHint);
  return url.href;
}

export interface AssertedUser {
  subject: string;
  email: string | undefined;
  name: string | undefined;
}

/** Checks an assertion from `provider`; the reason it fails is for the end user's error page. */
export async function verifyAssertion(
  provider: IdentityProviderRow,
  assertion: string,
  expected: { audience: string; nonce: string },
): Promise<Result<AssertedUser>> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, keySetOf(provider), {
      algorithms: provider.algorithms,
      issuer: provider.issuer,
      audience: expected.audience,
      requiredClaims: ['sub', 'exp', 'iat', 'nonce'],
      maxTokenAge: maxAssertionAge,
      clockTolerance: clockToleranceSeconds,
    }));
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'unreadable';
    return fail('token-invalid', `the sign-in assertion was refused (${reason})`);
  }
  if (typeof payload.nonce !== 'string' || !constantTimeEqual(payload.nonce, expected.nonce))
    return fail('token-invalid', 'the sign-in assertion was made for another sign-in');
  const subject = payload.sub ?? '';
  if (subject === '' || subject.length > 256)
    return fail('token-invalid', 'the sign-in assertion names no user');
  return ok({
    subject,
    email: typeof payload.email === 'string' && payload.email.length <= 254 ? payload.email : undefined,
    name: typeof payload.name === 'string' ? payload.name.slice(0, 200) : undefined,
  });
}

function keySetOf(provider: IdentityProviderRow): KeySet {
  return provider.jwksUrl !== null
    ? remoteKeySet(provider.jwksUrl)
    : localKeySet(provider.publicKeys as unknown as JWK[]);
}
