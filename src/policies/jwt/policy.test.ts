import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  type GenerateKeyPairResult,
  generateKeyPair,
  type JWK,
  type JWTHeaderParameters,
  type JWTPayload,
  SignJWT,
} from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApplicationRecord, PolicyResponse } from '../context.ts';
import type { PolicyHandler } from '../definition.ts';
import { type TestContextInit, testContext } from '../test-context.ts';
import { jwt } from './policy.ts';

const required = { credentialOptional: false };
const optional = { credentialOptional: true };
const besideOtherTokens = { credentialOptional: true, bearerShared: true };

const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};
const applications = [app];
const issuer = 'https://issuer.example';
const audience = 'https://api.example';

interface SigningKey {
  readonly alg: string;
  readonly kid: string | undefined;
  readonly privateKey: CryptoKey;
  /** The public JWK a key set serves, with the kid. */
  readonly jwk: JWK;
}

async function signingKey(alg: string, kid: string | undefined): Promise<SigningKey> {
  const pair: GenerateKeyPairResult = await generateKeyPair(alg);
  const jwk = await exportJWK(pair.publicKey);
  return { alg, kid, privateKey: pair.privateKey, jwk: kid === undefined ? jwk : { ...jwk, kid } };
}

/** A token for app_1 valid for an hour; `claims` replace (or, when undefined, drop) defaults. */
function sign(key: SigningKey, claims: JWTPayload = {}, header: Partial<JWTHeaderParameters> = {}) {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: issuer,
    aud: audience,
    sub: 'user_7',
    client_id: 'app_1',
    scope: 'read write',
    iat: now,
    exp: now + 3600,
    ...claims,
  };
  const protectedHeader = { alg: key.alg, ...(key.kid && { kid: key.kid }), ...header };
  return new SignJWT(JSON.parse(JSON.stringify(payload)))
    .setProtectedHeader(protectedHeader)
    .sign(key.privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function handler(config: unknown, options = required): PolicyHandler {
  return jwt.create(jwt.schema.parse(config), options);
}

async function call(handle: PolicyHandler, token: string | undefined, init: TestContextInit = {}) {
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const ctx = testContext({ applications, headers, ...init });
  const outcome = await handle(ctx);
  return { ctx, outcome };
}

function problem(outcome: unknown) {
  const response = outcome as Extract<PolicyResponse, { kind: 'problem' }> | undefined;
  return { code: response?.code, detail: response?.detail, headers: response?.headers };
}

// A real JWKS endpoint: each path serves its own key set and counts how often it was fetched.
const keySets = new Map<string, JWK[]>();
const fetches = new Map<string, number>();
let server: Server;
let base: string;

function jwksUrl(path: string, keys: JWK[]): string {
  keySets.set(`/${path}`, keys);
  return `${base}/${path}`;
}

let rs256: SigningKey;
let es256: SigningKey;
let eddsa: SigningKey;

beforeAll(async () => {
  [rs256, es256, eddsa] = await Promise.all([
    signingKey('RS256', 'rsa-1'),
    signingKey('ES256', 'ec-1'),
    signingKey('EdDSA', 'ed-1'),
  ]);
  server = createServer((req, res) => {
    const path = req.url ?? '';
    fetches.set(path, (fetches.get(path) ?? 0) + 1);
    const keys = keySets.get(path);
    if (keys === undefined) return void res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('jwt', () => {
  function remote(path: string, extra: Record<string, unknown> = {}) {
    return handler({
      issuer,
      audiences: [audience],
      jwksUrl: jwksUrl(path, [rs256.jwk, es256.jwk, eddsa.jwk]),
      ...extra,
    });
  }

  it('accepts a valid token, sets the consumer, subject and scopes, and removes the token', async () => {
    const { ctx, outcome } = await call(remote('valid'), await sign(rs256));
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', accountId: 'acc_1', subject: 'user_7' });
    expect(ctx.consumer?.scopes).toEqual(new Set(['read', 'write']));
    expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
  });

  it('accepts ES256 and EdDSA tokens by default', async () => {
    const handle = remote('default-algorithms');
    for (const key of [es256, eddsa]) {
      expect((await call(handle, await sign(key))).outcome, key.alg).toBeUndefined();
    }
  });

  it('refuses a token from another issuer or for another audience', async () => {
    const handle = remote('issuer-audience');
    const wrongIssuer = problem(
      (await call(handle, await sign(rs256, { iss: 'https://evil.example' }))).outcome,
    );
    expect(wrongIssuer).toMatchObject({ code: 'token-invalid', detail: expect.stringMatching(/issuer/) });
    expect(wrongIssuer.headers).toEqual({
      'www-authenticate': 'Bearer realm="turnpike", error="invalid_token"',
    });
    const wrongAudience = problem(
      (await call(handle, await sign(rs256, { aud: 'https://other.example' }))).outcome,
    );
    expect(wrongAudience).toMatchObject({ code: 'token-invalid', detail: expect.stringMatching(/audience/) });
  });

  it('answers token-expired once exp has passed, allowing for clock skew', async () => {
    const handle = remote('expired');
    const now = Math.floor(Date.now() / 1000);
    expect((await call(handle, await sign(rs256, { exp: now - 10 }))).outcome).toBeUndefined();
    const { outcome } = await call(handle, await sign(rs256, { exp: now - 120 }));
    expect(problem(outcome)).toMatchObject({
      code: 'token-expired',
      headers: { 'www-authenticate': 'Bearer realm="turnpike", error="invalid_token"' },
    });
  });

  it('refuses a token whose nbf is in the future', async () => {
    const nbf = Math.floor(Date.now() / 1000) + 120;
    const { outcome } = await call(remote('nbf'), await sign(rs256, { nbf }));
    expect(problem(outcome)).toMatchObject({ code: 'token-invalid', detail: expect.stringMatching(/nbf/) });
  });

  it('refuses an unsigned token (alg none) without looking for a key', () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer, aud: audience, client_id: 'app_1', exp: now + 60 };
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims)}.`;
    const outcome = remote('alg-none')(
      testContext({ applications, headers: { authorization: `Bearer ${unsigned}` } }),
    );
    expect(outcome).not.toBeInstanceOf(Promise);
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: expect.stringMatching(/algorithm/),
    });
    expect(fetches.get('/alg-none')).toBeUndefined();
  });

  it('refuses an HS256 token signed with a shared secret', async () => {
    const secret = new TextEncoder().encode('a shared secret anyone with the JWKS could guess');
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ iss: issuer, aud: audience, client_id: 'app_1', exp: now + 60 })
      .setProtectedHeader({ alg: 'HS256', kid: 'rsa-1' })
      .sign(secret);
    const { outcome } = await call(remote('hs256'), token);
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: expect.stringMatching(/algorithm/),
    });
  });

  it('refuses an RS256 token when only ES256 is allowed', async () => {
    const handle = remote('es256-only', { algorithms: ['ES256'] });
    expect(problem((await call(handle, await sign(rs256))).outcome).detail).toMatch(/algorithm/);
    expect((await call(handle, await sign(es256))).outcome).toBeUndefined();
  });

  it('refuses a token signed by another key under a trusted kid', async () => {
    const impostor = await signingKey('RS256', 'rsa-1');
    const { outcome } = await call(remote('bad-signature'), await sign(impostor));
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: expect.stringMatching(/signature/),
    });
  });

  it('refuses a malformed token without echoing it', async () => {
    const token = 'not-a-jwt.at-all';
    const { outcome } = await call(remote('malformed'), token);
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: expect.stringMatching(/well-formed/),
    });
    expect(problem(outcome).detail).not.toContain(token);
  });

  it('refuses a token whose client is not a known application', async () => {
    const { outcome } = await call(remote('unknown-app'), await sign(rs256, { client_id: 'app_nope' }));
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: "The token's client is not a known application.",
    });
  });

  it('answers application-inactive for a suspended application', async () => {
    const { outcome, ctx } = await call(remote('inactive'), await sign(rs256), {
      applications: [{ ...app, active: false }],
    });
    expect(problem(outcome).code).toBe('application-inactive');
    expect(ctx.consumer).toBeUndefined();
  });

  it('falls back to azp for the client and reads scopes from an array claim', async () => {
    const handle = remote('azp-scp', { scopeClaim: 'scp' });
    const token = await sign(rs256, { client_id: undefined, azp: 'app_1', scp: ['orders:read'] });
    const { ctx, outcome } = await call(handle, token);
    expect(outcome).toBeUndefined();
    expect(ctx.consumer?.scopes).toEqual(new Set(['orders:read']));
    const noClient = await call(handle, await sign(rs256, { client_id: undefined }));
    expect(problem(noClient.outcome).detail).toMatch(/names no client/);
  });

  it('requires the configured typ, with or without the application/ prefix', async () => {
    const handle = remote('typ', { typ: 'at+jwt' });
    expect((await call(handle, await sign(rs256, {}, { typ: 'at+jwt' }))).outcome).toBeUndefined();
    expect(
      (await call(handle, await sign(rs256, {}, { typ: 'application/at+jwt' }))).outcome,
    ).toBeUndefined();
    expect(problem((await call(handle, await sign(rs256, {}, { typ: 'JWT' }))).outcome).detail).toMatch(
      /typ/,
    );
  });

  it('refuses a token without a required claim', async () => {
    const { outcome } = await call(remote('required'), await sign(rs256, { exp: undefined }));
    expect(problem(outcome)).toMatchObject({ code: 'token-invalid', detail: expect.stringMatching(/"exp"/) });
  });

  it('accepts a token signed with a rotated-in key once the cooldown allows a refetch', async () => {
    const handle = handler({ issuer, audiences: [audience], jwksUrl: jwksUrl('rotation', [rs256.jwk]) });
    expect((await call(handle, await sign(rs256))).outcome).toBeUndefined();
    const next = await signingKey('RS256', 'rsa-2');
    keySets.set('/rotation', [next.jwk]);
    const token = await sign(next);
    // Right after a fetch an unknown kid does not trigger another: probing cannot flood the issuer.
    expect(problem((await call(handle, token)).outcome).detail).toMatch(/kid/);
    expect(fetches.get('/rotation')).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 31_000 });
    try {
      expect((await call(handle, token)).outcome).toBeUndefined();
      expect(fetches.get('/rotation')).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('answers a token it verified before synchronously, until the token expires', async () => {
    const handle = remote('cache');
    const exp = Math.floor(Date.now() / 1000) + 60;
    const token = await sign(rs256, { exp });
    const first = handle(testContext({ applications, headers: { authorization: `Bearer ${token}` } }));
    expect(first).toBeInstanceOf(Promise);
    expect(await first).toBeUndefined();
    const ctx = testContext({ applications, headers: { authorization: `Bearer ${token}` } });
    const second = handle(ctx);
    expect(second).toBeUndefined();
    expect(ctx.consumer?.subject).toBe('user_7');
    expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
    vi.useFakeTimers({ toFake: ['Date'], now: (exp + 31) * 1000 });
    try {
      const late = handle(testContext({ applications, headers: { authorization: `Bearer ${token}` } }));
      expect(problem(late).code).toBe('token-expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('verifies a cached token again after five minutes', async () => {
    const handle = remote('cache-age');
    const token = await sign(rs256);
    const headers = { authorization: `Bearer ${token}` };
    await handle(testContext({ applications, headers }));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 5 * 60_000 + 1 });
    try {
      const again = handle(testContext({ applications, headers }));
      expect(again).toBeInstanceOf(Promise);
      expect(await again).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('lets a request without a bearer token pass untouched when the credential is optional', async () => {
    const handle = handler({ jwksUrl: jwksUrl('optional', [rs256.jwk]) }, optional);
    const { ctx, outcome } = await call(handle, undefined);
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toBeUndefined();
    const basic = await call(handle, undefined, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(basic.outcome).toBeUndefined();
    expect(basic.ctx.upstreamHeaders.get('authorization')).toBeUndefined();
    expect(problem((await call(handle, 'bad.token')).outcome).code).toBe('token-invalid');
  });

  it('leaves a token of another issuer to another bearer policy (oauth beside jwt)', async () => {
    const handle = handler({ issuer, jwksUrl: jwksUrl('other-issuer', [rs256.jwk]) }, besideOtherTokens);
    const foreign = await sign(rs256, { iss: 'https://another-issuer.test/' });
    const { ctx, outcome } = await call(handle, foreign);
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toBeUndefined();
    expect(ctx.upstreamHeaders.get('authorization')).toBeUndefined(); // still there for the next policy
    // The only bearer policy (beside API keys, or alone): the token is refused for its issuer.
    for (const options of [optional, required]) {
      const only = handler({ issuer, jwksUrl: jwksUrl('other-issuer-2', [rs256.jwk]) }, options);
      expect(problem((await call(only, foreign)).outcome).code).toBe('token-invalid');
    }
  });

  it('answers credential-missing with a challenge when the credential is required', async () => {
    const { outcome } = await call(remote('missing'), undefined);
    expect(problem(outcome)).toEqual({
      code: 'credential-missing',
      detail: 'Send a bearer token in the Authorization header.',
      headers: { 'www-authenticate': 'Bearer realm="turnpike"' },
    });
    expect(jwt.credential()).toEqual({
      description: 'a bearer token in the Authorization header',
      challenge: 'Bearer realm="turnpike"',
    });
  });

  it('verifies with static public keys, trying each when the token names no kid', async () => {
    const other = await signingKey('ES256', undefined);
    const unnamed = await signingKey('ES256', undefined);
    const handle = handler({ publicKeys: [eddsa.jwk, other.jwk, unnamed.jwk], issuer });
    expect((await call(handle, await sign(eddsa))).outcome).toBeUndefined();
    expect((await call(handle, await sign(unnamed))).outcome).toBeUndefined();
    expect(problem((await call(handle, await sign(rs256))).outcome).detail).toMatch(/kid/);
  });

  it('refuses every token when no keys are configured', async () => {
    const { outcome } = await call(handler({}), await sign(rs256));
    expect(problem(outcome)).toMatchObject({
      code: 'token-invalid',
      detail: expect.stringMatching(/no keys/),
    });
  });

  it('refuses, without throwing, when the key set cannot be fetched', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    for (const url of [`${base}/not-served`, `http://127.0.0.1:${port}/jwks`]) {
      const { outcome } = await call(handler({ jwksUrl: url }), await sign(rs256));
      expect(problem(outcome), url).toMatchObject({
        code: 'token-invalid',
        detail: expect.stringMatching(/key set could not be fetched/),
      });
    }
  });

  it('parses {} and refuses unusable configs', () => {
    expect(jwt.schema.safeParse({}).success).toBe(true);
    const refused = [
      { algorithms: ['none'] },
      { algorithms: ['HS256'] },
      { publicKeys: [{ ...rs256.jwk, d: 'c2VjcmV0' }] },
      { publicKeys: [{ kty: 'oct', k: 'c2VjcmV0' }] },
      { jwksUrl: `${base}/jwks`, publicKeys: [rs256.jwk] },
      { jwksUrl: 'ftp://issuer.example/jwks' },
      { clockSkewSeconds: 301 },
      { isuer: issuer },
    ];
    for (const config of refused) {
      expect(jwt.schema.safeParse(config).success, JSON.stringify(config)).toBe(false);
    }
  });
});
