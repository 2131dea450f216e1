// User story: "I put policies on my APIs the way I would in Kong: a JWT from our identity
// provider beside API keys, scopes per route, CORS for our browser app, an IP deny list on one
// route, allow and deny lists by trust tier, and a secret header so the upstream can refuse
// calls that bypass the gateway. I set them through the admin API or in the declarative file,
// and a mistake is refused with the field that is wrong." One `turnpike start`, real HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { AdminClient, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, runCli, startTurnpike } from '../support/cli.ts';
import { expectProblem, send, within } from '../support/http.ts';

const issuer = 'https://idp.example.test/';
const audience = 'https://api.example.test/orders';

describe('policies', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let jwks: Server;
  let jwksUrl = '';
  let signingKey: Parameters<SignJWT['sign']>[0];
  const ids = { api: '', list: '', create: '', reports: '', app: '', other: '', account: '' };
  let apiKey = '';

  /** A token as our identity provider would sign it; `claims` override the defaults. */
  async function token(claims: Record<string, unknown> = {}, alg = 'RS256', key = signingKey) {
    const now = Math.floor(Date.now() / 1000);
    const payload = { iss: issuer, aud: audience, sub: 'user-42', iat: now, exp: now + 300 };
    return new SignJWT({ ...payload, client_id: ids.app, scope: 'orders:read', ...claims })
      .setProtectedHeader({ alg, kid: 'k1', typ: 'at+jwt' })
      .sign(key);
  }

  const orders = (headers: Record<string, string> = {}, method = 'GET') =>
    send(`${tp.gateway}/orders/v1/orders`, { method, headers });
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  /** Waits until the gateway serves the latest configuration, judged by `check`. */
  const until = (check: () => Promise<boolean>) => within(5000, check);

  async function addPolicy(body: Record<string, unknown>): Promise<string> {
    return (await admin.create('/policies', body)).id;
  }

  beforeAll(async () => {
    const { publicKey, privateKey } = await generateKeyPair('RS256');
    signingKey = privateKey;
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;

    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    const upstream = await admin.create('/upstreams', {
      name: 'echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    const api = await admin.create('/apis', {
      name: 'orders',
      basePath: '/orders/v1',
      upstreamId: upstream.id,
    });
    ids.api = api.id;
    ids.list = (
      await admin.create(`/apis/${api.id}/routes`, { name: 'list', methods: ['GET'], path: '/orders' })
    ).id;
    ids.create = (
      await admin.create(`/apis/${api.id}/routes`, { name: 'create', methods: ['POST'], path: '/orders' })
    ).id;
    ids.reports = (
      await admin.create(`/apis/${api.id}/routes`, { name: 'reports', methods: ['GET'], path: '/reports' })
    ).id;
    const planId = await provisionPlan(admin, 'orders', [api.id]);
    const account = await admin.create('/accounts', { name: 'acme', tier: 'gold' });
    ids.account = account.id;
    ids.app = (await admin.create('/applications', { accountId: account.id, name: 'acme-app' })).id;
    await admin.create('/subscriptions', { applicationId: ids.app, planId });
    apiKey = (await admin.create(`/applications/${ids.app}/keys`, {})).key;
    const other = await admin.create('/accounts', { name: 'globex' });
    ids.other = (await admin.create('/applications', { accountId: other.id, name: 'globex-app' })).id;
    await admin.create('/subscriptions', { applicationId: ids.other, planId });
    await until(async () => (await orders({ 'x-api-key': apiKey })).status === 200);
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
    jwks?.close();
  });

  it('lists the policy types with the JSON Schema of each config', async () => {
    const types = await admin.call('GET', '/policy-types');
    expect(types.status).toBe(200);
    const names = types.body.data.map((t: { name: string }) => t.name);
    for (const name of [
      'cors',
      'ip-restriction',
      'key-auth',
      'jwt',
      'acl',
      'scopes',
      'subscription',
      'upstream-secret',
    ])
      expect(names).toContain(name);
    const jwt = types.body.data.find((t: { name: string }) => t.name === 'jwt');
    expect(jwt).toMatchObject({ phase: 'authenticate', configSchema: { type: 'object' } });
    expect(Object.keys(jwt.configSchema.properties)).toEqual(
      expect.arrayContaining(['issuer', 'jwksUrl', 'algorithms']),
    );
  });

  it('refuses a bad config with the field that is wrong, and creates nothing', async () => {
    const bad = await admin.call('POST', '/policies', {
      name: 'jwt',
      apiId: ids.api,
      config: { issuer, audiences: [audience], jwksUrl, algorithms: ['none'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation-failed');
    expect(bad.body.errors[0].path).toMatch(/^body\.config\.algorithms/);
    const unknownRoute = await admin.call('POST', '/policies', {
      name: 'cors',
      routeId: 'rte_00000000000000000000000000',
    });
    expect(unknownRoute.status).toBe(422);
    const listed = await admin.call('GET', `/policies?apiId=${ids.api}`);
    expect(listed.body.data).toEqual([]);
  });

  it('accepts a JWT from the identity provider beside API keys, forwarding the end user and scopes', async () => {
    await addPolicy({ name: 'jwt', apiId: ids.api, config: { issuer, audiences: [audience], jwksUrl } });
    await addPolicy({ name: 'key-auth', apiId: ids.api });
    const t = await token();
    await until(async () => (await orders(bearer(t))).status === 200);

    const upstream = (await orders(bearer(t))).json();
    expect(upstream.headers['x-consumer-application']).toBe(ids.app);
    expect(upstream.headers['x-consumer-subject']).toBe('user-42');
    expect(upstream.headers['x-consumer-scopes']).toBe('orders:read');
    expect(upstream.headers.authorization).toBeUndefined(); // credentials never go upstream
    expect((await orders({ 'x-api-key': apiKey })).status).toBe(200); // keys still work

    const none = expectProblem(await orders(), 401, 'credential-missing');
    expect(none.detail).toMatch(/API key.*or.*bearer token|bearer token.*or.*API key/i);
  });

  it('refuses tokens with the wrong audience, issuer or algorithm, unsigned, expired or for an unknown app', async () => {
    const cases: [string, Promise<string>, string][] = [
      ['wrong audience', token({ aud: 'https://elsewhere.test' }), 'token-invalid'],
      ['wrong issuer', token({ iss: 'https://evil.test/' }), 'token-invalid'],
      ['expired', token({ exp: Math.floor(Date.now() / 1000) - 120 }), 'token-expired'],
      ['unknown application', token({ client_id: 'app_00000000000000000000000000' }), 'token-invalid'],
    ];
    const hs256 = new SignJWT({ client_id: ids.app })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('a-shared-secret-an-attacker-guessed'));
    cases.push(['HS256 (not allowed)', hs256, 'token-invalid']);
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({
      iss: issuer,
      aud: audience,
      client_id: ids.app,
      exp: Math.floor(Date.now() / 1000) + 300,
    })}.`;
    cases.push(['alg none', Promise.resolve(unsigned), 'token-invalid']);
    for (const [what, pending, code] of cases) {
      const response = await orders(bearer(await pending));
      expect(response.status, what).toBe(401);
      expectProblem(response, 401, code);
      expect(String(response.headers['www-authenticate']), what).toMatch(/^Bearer /);
    }
  });

  it('requires scopes per route: a token without the scope gets 403, an API key too', async () => {
    await addPolicy({ name: 'scopes', routeId: ids.create, config: { required: ['orders:write'] } });
    const reader = await token();
    await until(async () => (await orders(bearer(reader), 'POST')).status === 403);
    const refused = await orders(bearer(reader), 'POST');
    expectProblem(refused, 403, 'scope-insufficient');
    expect(refused.headers['www-authenticate']).toMatch(/insufficient_scope.*orders:write/);
    expectProblem(await orders({ 'x-api-key': apiKey }, 'POST'), 403, 'scope-insufficient');
    expect((await orders(bearer(await token({ scope: 'orders:read orders:write' })), 'POST')).status).toBe(
      200,
    );
    expect((await orders(bearer(reader))).status).toBe(200); // the other route does not need it
  });

  it('answers CORS preflights for allowed origins and adds CORS headers to answers, errors included', async () => {
    const origin = 'https://app.example.test';
    await addPolicy({
      name: 'cors',
      apiId: ids.api,
      config: { origins: [origin], exposeHeaders: ['X-Request-Id'] },
    });
    const preflight = (from: string) =>
      send(`${tp.gateway}/orders/v1/orders`, {
        method: 'OPTIONS',
        headers: {
          origin: from,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    await until(async () => (await preflight(origin)).status === 204);
    const allowed = await preflight(origin);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(String(allowed.headers['access-control-allow-methods'])).toMatch(/POST/);
    expectProblem(await preflight('https://evil.test'), 403, 'cors-origin-denied');

    const unauthenticated = await orders({ origin });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers['access-control-allow-origin']).toBe(origin); // the browser can read the error
    const ok = await orders({ origin, 'x-api-key': apiKey });
    expect(ok.headers['access-control-allow-origin']).toBe(origin);
    expect(ok.headers['access-control-expose-headers']).toMatch(/X-Request-Id/i);
  });

  it('denies an address on one route only, and a route can switch off an API policy', async () => {
    const reports = () => send(`${tp.gateway}/orders/v1/reports`, { headers: { 'x-api-key': apiKey } });
    const id = await addPolicy({
      name: 'ip-restriction',
      routeId: ids.reports,
      config: { deny: ['127.0.0.0/8'] },
    });
    await until(async () => (await reports()).status === 403);
    expectProblem(await reports(), 403, 'ip-not-allowed');
    expect((await orders({ 'x-api-key': apiKey })).status).toBe(200);
    await admin.update(`/policies/${id}`, { config: { deny: ['10.0.0.0/8'], allow: ['127.0.0.1', '::1'] } });
    await until(async () => (await reports()).status === 200);

    // The API's cors policy, switched off on the reports route.
    const origin = 'https://app.example.test';
    await addPolicy({ name: 'cors', routeId: ids.reports, enabled: false });
    await until(
      async () =>
        (await send(`${tp.gateway}/orders/v1/reports`, { headers: { origin, 'x-api-key': apiKey } })).headers[
          'access-control-allow-origin'
        ] === undefined,
    );
    expect((await orders({ origin, 'x-api-key': apiKey })).headers['access-control-allow-origin']).toBe(
      origin,
    );
  });

  it('denies by trust tier and allows by application', async () => {
    const id = await addPolicy({ name: 'acl', apiId: ids.api, config: { deny: { tiers: ['gold'] } } });
    await until(async () => (await orders({ 'x-api-key': apiKey })).status === 403);
    expectProblem(await orders({ 'x-api-key': apiKey }), 403, 'access-denied');
    await admin.update(`/policies/${id}`, { config: { allow: { applications: [ids.app] } } });
    await until(async () => (await orders({ 'x-api-key': apiKey })).status === 200);
    // A tier change on the account reaches the gateway like any other change.
    await admin.update(`/policies/${id}`, { config: { deny: { tiers: ['bronze'] } } });
    await admin.update(`/accounts/${ids.account}`, { tier: 'bronze' });
    await until(async () => (await orders({ 'x-api-key': apiKey })).status === 403);
    await admin.call('DELETE', `/policies/${id}`);
    await until(async () => (await orders({ 'x-api-key': apiKey })).status === 200);
  });

  it('adds a secret header upstream that a client cannot set, and keeps the secret out of the audit trail', async () => {
    const secret = 's3cret-only-the-upstream-knows-0123';
    const id = await addPolicy({ name: 'upstream-secret', config: { header: 'X-Gateway-Secret', secret } });
    const seen = async () =>
      (await orders({ 'x-api-key': apiKey, 'x-gateway-secret': 'forged' })).json().headers[
        'x-gateway-secret'
      ];
    await until(async () => (await seen()) === secret);
    const audit = await admin.call('GET', `/audit-events?objectId=${id}`);
    expect(audit.body.data).toHaveLength(1);
    expect(JSON.stringify(audit.body.data)).not.toContain(secret);
    const listed = await admin.call('GET', '/policies?scope=global');
    expect(listed.body.data.map((p: { id: string }) => p.id)).toEqual([id]);
  });

  it('round-trips policies through export and apply, and reports a bad one at its place in the file', async () => {
    const flags = ['--admin-url', tp.admin, '--token', tp.token];
    const exported = await runCli(['export', ...flags]);
    expect(exported.code, exported.stderr).toBe(0);
    const doc = parse(exported.stdout);
    expect(doc.policies).toEqual([expect.objectContaining({ name: 'upstream-secret' })]);
    const orders = doc.apis.find((a: { name: string }) => a.name === 'orders');
    expect(orders.policies.map((p: { name: string }) => p.name).sort()).toEqual(['cors', 'jwt', 'key-auth']);
    const reports = orders.routes.find((r: { name: string }) => r.name === 'reports');
    expect(reports.policies).toContainEqual({ name: 'cors', enabled: false });

    const again = await runCli(['apply', '-f', '-', ...flags], {}, exported.stdout);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/no changes|0 change/i);

    orders.policies.find((p: { name: string }) => p.name === 'cors').config.origins = ['not an origin'];
    const bad = await runCli(['apply', '-f', '-', ...flags], {}, JSON.stringify(doc));
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/apis\[\d+\]\.policies\[\d+\]\.config\.origins\[0\]/);
  });
});

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
