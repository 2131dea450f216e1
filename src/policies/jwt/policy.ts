// jwt: identifies the calling application by a signed JWT access token in the Authorization header
// (RFC 6750, RFC 9068). Checks that need no key (shape, algorithm) answer synchronously; a token
// verified once is remembered for a few minutes, so its later requests stay synchronous too.
import {
  decodeJwt,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
} from 'jose';
import { applicationInactive, authorizationParameters, identifiedBefore } from '../authorization.ts';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { CreateOptions, CredentialHint, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type KeySet, KeySetUnavailable, localKeySet, remoteKeySet } from './key-sets.ts';
import { type JwtConfig, jwtSchema } from './schema.ts';

const challenge = 'Bearer realm="turnpike"';
const invalidChallenge = { 'www-authenticate': 'Bearer realm="turnpike", error="invalid_token"' };

/** Header, payload and signature in base64url; the signature may be empty (`alg: none`). */
const compactJws = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

// A verified token is trusted again without verification for at most this long, and never past
// its expiry; the bound keeps memory flat under a flood of distinct valid tokens.
const cacheForMs = 5 * 60_000;
const cacheEntries = 10_000;

/** What a verified token says, kept by the token cache. */
interface VerifiedToken {
  readonly applicationId: string;
  readonly subject: string | undefined;
  readonly scopes: ReadonlySet<string>;
  /** Epoch milliseconds at which the token expires, clock skew included; Infinity without `exp`. */
  readonly expiresAt: number;
  /** The grant it was issued under (`gid`, Turnpike's own tokens), for the revocation list. */
  readonly grantId?: string | undefined;
}

export const jwt = {
  name: 'jwt',
  description:
    'Identifies the calling application by a signed JWT access token from a trusted issuer, sent as a bearer token.',
  phase: 'authenticate',
  priority: 1450,
  schema: jwtSchema,
  credential(): CredentialHint {
    return { description: 'a bearer token in the Authorization header', challenge };
  },
  create(config: JwtConfig, options: CreateOptions): PolicyHandler {
    return tokenHandler(config, options, keySetOf(config));
  },
} satisfies PolicyDefinition<JwtConfig>;

/**
 * The handler for bearer JWTs checked with `keys` (undefined: none configured, every token is
 * refused). Shared with the oauth policy, which checks Turnpike's own tokens the same way.
 */
export function tokenHandler(
  config: JwtConfig,
  options: CreateOptions,
  keys: KeySet | undefined,
  revokedGrants?: ReadonlySet<string>,
): PolicyHandler {
  const refuse = refusals(config, options);
  const shared = options.bearerShared === true;
  const allowed = new Set<string>(config.algorithms);
  const verifyOptions: JWTVerifyOptions = {
    algorithms: config.algorithms,
    issuer: config.issuer ?? undefined,
    audience: config.audiences.length > 0 ? config.audiences : undefined,
    typ: config.typ ?? undefined,
    requiredClaims: config.requiredClaims,
    clockTolerance: config.clockSkewSeconds,
  };
  const verified = new Map<string, VerifiedToken & { readonly until: number }>();

  function admit(ctx: PolicyContext, token: VerifiedToken): PolicyResponse | undefined {
    const application = ctx.credentials.application(token.applicationId);
    if (application === undefined) return refuse.unknownClient;
    if (!application.active) return refuse.inactive;
    if (token.grantId !== undefined && revokedGrants?.has(token.grantId)) return refuse.revoked;
    ctx.setConsumer(application, { subject: token.subject, scopes: token.scopes });
    // Credentials never go upstream; it learns who is calling from the X-Consumer-* headers.
    ctx.removeUpstreamHeader('authorization');
    return undefined;
  }

  async function verify(ctx: PolicyContext, token: string, keySet: KeySet) {
    let payload: JWTPayload;
    try {
      payload = await verifyJwt(token, keySet, verifyOptions);
    } catch (error) {
      return refuse.forError(error);
    }
    const claims = readClaims(config, payload);
    if (claims === 'no-client') return refuse.noClient;
    if (claims === 'bad-scopes') return refuse.badScopes;
    const now = Date.now();
    if (verified.size >= cacheEntries) {
      const oldest = verified.keys().next();
      if (!oldest.done) verified.delete(oldest.value);
    }
    verified.set(token, { ...claims, until: Math.min(claims.expiresAt, now + cacheForMs) });
    return admit(ctx, claims);
  }

  return function jwtHandler(
    ctx: PolicyContext,
  ): PolicyResponse | undefined | Promise<PolicyResponse | undefined> {
    const token = authorizationParameters(ctx.header('authorization'), bearerScheme)?.trim();
    // Another credential may be accepted instead: then a request without a token passes on.
    if (token === undefined) return refuse.missing;
    if (identifiedBefore(ctx, options, 'authorization')) return undefined;
    if (!compactJws.test(token)) return refuse.malformed;
    const known = verified.get(token);
    if (known !== undefined) {
      const now = Date.now();
      if (now < known.until) return admit(ctx, known);
      verified.delete(token);
      if (now >= known.expiresAt) return refuse.expired;
    }
    // Among several ways in, a token from another issuer is another policy's to judge.
    if (shared && config.issuer !== null && issuerOf(token) !== config.issuer) return undefined;
    const alg = algorithmOf(token);
    if (alg === undefined) return refuse.malformed;
    if (!allowed.has(alg)) return refuse.algorithm;
    if (keys === undefined) return refuse.noKeys;
    return verify(ctx, token, keys);
  };
}

function keySetOf(config: JwtConfig): KeySet | undefined {
  if (config.jwksUrl !== null) return remoteKeySet(config.jwksUrl);
  if (config.publicKeys.length > 0) return localKeySet(config.publicKeys);
  return undefined;
}

const bearerScheme = ['bearer'];

/** The unverified `iss` claim: only to tell which policy a token is for, never to trust it. */
function issuerOf(token: string): unknown {
  try {
    return decodeJwt(token).iss;
  } catch {
    return undefined;
  }
}

function algorithmOf(token: string): string | undefined {
  try {
    const { alg } = decodeProtectedHeader(token);
    return typeof alg === 'string' ? alg : undefined;
  } catch {
    return undefined;
  }
}

async function verifyJwt(token: string, keys: KeySet, options: JWTVerifyOptions): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, keys, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
    // The token names no kid and several keys fit: the one whose signature checks out wins.
    for await (const key of error) {
      try {
        return (await jwtVerify(token, key, options)).payload;
      } catch (failed) {
        if (!(failed instanceof errors.JWSSignatureVerificationFailed)) throw failed;
      }
    }
    throw new errors.JWSSignatureVerificationFailed();
  }
}

function readClaims(config: JwtConfig, payload: JWTPayload): VerifiedToken | 'no-client' | 'bad-scopes' {
  let client = payload[config.applicationClaim];
  // RFC 9068 names the client in client_id; OpenID Connect-style tokens in azp.
  if (client === undefined && config.applicationClaim === 'client_id') client = payload.azp;
  if (typeof client !== 'string' || client === '') return 'no-client';
  const scopes = scopesOf(payload[config.scopeClaim]);
  if (scopes === undefined) return 'bad-scopes';
  return {
    applicationId: client,
    subject: typeof payload.sub === 'string' ? payload.sub : undefined,
    scopes,
    grantId: typeof payload.gid === 'string' ? payload.gid : undefined,
    expiresAt: typeof payload.exp === 'number' ? (payload.exp + config.clockSkewSeconds) * 1000 : Infinity,
  };
}

/** `"read write"` (RFC 8693 `scope`) or `["read", "write"]` (`scp`); none is an empty set. */
function scopesOf(claim: unknown): ReadonlySet<string> | undefined {
  if (claim === undefined) return new Set();
  if (typeof claim === 'string') return new Set(claim.split(' ').filter((scope) => scope !== ''));
  if (Array.isArray(claim) && claim.every((scope) => typeof scope === 'string')) return new Set(claim);
  return undefined;
}

/** Every answer the policy can give, built once per config; details never echo the token. */
function refusals(config: JwtConfig, options: CreateOptions) {
  const invalid = (detail: string) => deny('token-invalid', detail, invalidChallenge);
  const missingClaim = new Map(
    [...config.requiredClaims, 'iss', 'aud'].map((claim) => [
      claim,
      invalid(`The token lacks the required "${claim}" claim.`),
    ]),
  );
  const notANumber = new Map(
    ['exp', 'nbf', 'iat'].map((claim) => [claim, invalid(`The token's "${claim}" claim is not a number.`)]),
  );
  const claimsMalformed = invalid("The token's claims are not well formed.");
  const wrongIssuer = invalid("The token's issuer (iss) is not the one this API trusts.");
  const wrongAudience = invalid("The token's audience (aud) does not include this API.");
  const notYetValid = invalid('The token is not valid yet: its nbf (not before) time is in the future.');
  const wrongType = invalid(`The token's typ header is not "${config.typ}".`);
  const algorithm = invalid("The token's signing algorithm (alg) is not one this API accepts.");
  const badSignature = invalid("The token's signature does not verify.");
  const unknownKey = invalid("No trusted key matches the token's key id (kid) and algorithm.");
  const keySetUnavailable = invalid('The key set could not be fetched; try again shortly.');
  const unusableKey = invalid('The token could not be verified with the configured keys.');
  const malformed = invalid('The bearer token is not a well-formed JWT.');
  const expired = deny('token-expired', 'The token has expired; get a new one from its issuer.', {
    ...invalidChallenge,
  });

  return {
    missing: options.credentialOptional
      ? undefined
      : deny('credential-missing', 'Send a bearer token in the Authorization header.', {
          'www-authenticate': challenge,
        }),
    malformed,
    algorithm,
    expired,
    noKeys: invalid(
      'The jwt policy has no keys configured (jwksUrl or publicKeys), so no token is accepted.',
    ),
    noClient: invalid(
      config.applicationClaim === 'client_id'
        ? 'The token names no client in its "client_id" or "azp" claim.'
        : `The token names no client in its "${config.applicationClaim}" claim.`,
    ),
    badScopes: invalid(`The token's "${config.scopeClaim}" claim is neither a string nor a list of strings.`),
    unknownClient: invalid("The token's client is not a known application."),
    inactive: applicationInactive,
    revoked: invalid('The token was revoked.'),

    /** The refusal for what jose (or the key set) threw; anything unforeseen is unusableKey. */
    forError(error: unknown): PolicyResponse {
      if (error instanceof errors.JWTExpired) return expired;
      if (error instanceof errors.JWTClaimValidationFailed) {
        if (error.reason === 'missing') return missingClaim.get(error.claim) ?? claimsMalformed;
        if (error.reason === 'invalid') return notANumber.get(error.claim) ?? claimsMalformed;
        if (error.claim === 'iss') return wrongIssuer;
        if (error.claim === 'aud') return wrongAudience;
        if (error.claim === 'nbf') return notYetValid;
        if (error.claim === 'typ') return wrongType;
        return claimsMalformed;
      }
      if (error instanceof errors.JOSEAlgNotAllowed) return algorithm;
      if (error instanceof errors.JWSSignatureVerificationFailed) return badSignature;
      if (error instanceof errors.JWKSNoMatchingKey) return unknownKey;
      if (error instanceof KeySetUnavailable) return keySetUnavailable;
      if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return malformed;
      return unusableKey;
    },
  };
}
