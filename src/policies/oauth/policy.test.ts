import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationRecord, PolicyResponse } from '../context.ts';
import type { AuthorizationServerInfo } from '../definition.ts';
import { testContext } from '../test-context.ts';
import { oauth } from './policy.ts';

const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};
const issuer = 'http://127.0.0.1:8002/oauth';
const audience = 'urn:turnpike:gateway';

let server: AuthorizationServerInfo;
let signingKey: Parameters<SignJWT['sign']>[0];

async function token(claims: Record<string, unknown> = {}, typ = 'at+jwt') {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: issuer,
    aud: audience,
    client_id: 'app_1',
    sub: 'usr_1',
    scope: 'a b',
    iat: now,
    exp: now + 600,
    ...claims,
  })
    .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ })
    .sign(signingKey);
}

/** `info` null: the snapshot names no authorization server. */
async function run(
  authorization: string | undefined,
  info: AuthorizationServerInfo | null = server,
  api = 'payments',
) {
  const ctx = testContext({ applications: [app], headers: authorization ? { authorization } : {} });
  const handler = oauth.create(
    {},
    { credentialOptional: false, authorizationServer: info ?? undefined, api: { name: api } },
  );
  const outcome = (await handler(ctx)) as PolicyResponse | undefined;
  return { ctx, outcome };
}

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
  server = { issuer, audience, keys: [jwk] };
});

describe('oauth', () => {
  it("accepts an access token of Turnpike's authorization server, with its end user and scopes", async () => {
    const { ctx, outcome } = await run(`Bearer ${await token()}`);
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', subject: 'usr_1' });
    expect([...(ctx.consumer?.scopes ?? [])]).toEqual(['a', 'b']);
    expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
  });

  it('refuses a token for another audience or from another issuer', async () => {
    expect((await run(`Bearer ${await token({ aud: 'https://elsewhere.test' })}`)).outcome).toMatchObject({
      code: 'token-invalid',
    });
    expect((await run(`Bearer ${await token({ iss: 'https://idp.test' })}`)).outcome).toMatchObject({
      code: 'token-invalid',
    });
  });

  it("accepts a token asked for this API (resource urn:turnpike:api:NAME) on this API's routes only", async () => {
    const forPayments = `Bearer ${await token({ aud: 'urn:turnpike:api:payments' })}`;
    expect((await run(forPayments)).outcome).toBeUndefined();
    expect((await run(forPayments, server, 'statements')).outcome).toMatchObject({ code: 'token-invalid' });
  });

  it('refuses a token whose grant is on the revocation list, and only that one', async () => {
    const revoked = { ...server, revokedGrants: ['grant-1'] };
    expect((await run(`Bearer ${await token({ gid: 'grant-1' })}`, revoked)).outcome).toMatchObject({
      code: 'token-invalid',
      detail: 'The token was revoked.',
    });
    expect((await run(`Bearer ${await token({ gid: 'grant-2' })}`, revoked)).outcome).toBeUndefined();
    expect((await run(`Bearer ${await token()}`, revoked)).outcome).toBeUndefined();
  });

  it('refuses an ID token or other JWT that is not an access token (typ at+jwt, RFC 9068)', async () => {
    expect((await run(`Bearer ${await token({}, 'JWT')}`)).outcome).toMatchObject({ code: 'token-invalid' });
  });

  it('refuses an expired token and one signed with a key it does not know', async () => {
    const old = Math.floor(Date.now() / 1000) - 3600;
    expect((await run(`Bearer ${await token({ iat: old, exp: old + 60 })}`)).outcome).toMatchObject({
      code: 'token-expired',
    });
    const other = await generateKeyPair('ES256');
    const forged = await new SignJWT({
      iss: issuer,
      aud: audience,
      client_id: 'app_1',
      exp: Math.floor(Date.now() / 1000) + 60,
    })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'at+jwt' })
      .setIssuedAt()
      .sign(other.privateKey);
    expect((await run(`Bearer ${forged}`)).outcome).toMatchObject({ code: 'token-invalid' });
  });

  it('refuses every token when the snapshot names no authorization server', async () => {
    expect((await run(`Bearer ${await token()}`, null)).outcome).toMatchObject({
      code: 'token-invalid',
    });
  });

  it('asks for a token when none is sent', async () => {
    expect((await run(undefined)).outcome).toMatchObject({ code: 'credential-missing' });
  });
});
