// User story: "I run `turnpike start --demo` and the curl command it prints answers 200 through
// the gateway; what reached the upstream shows who called (application, account, plan) and not
// my key. Running the demo again gives me a fresh key and retires the old one."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { expectProblem, send } from '../support/http.ts';

describe('turnpike start --demo', () => {
  let first: RunningTurnpike;
  let again: RunningTurnpike | undefined;
  let admin: AdminClient;

  beforeAll(async () => {
    first = await startTurnpike({ args: ['--demo'] });
    admin = new AdminClient(first.admin, first.token);
  });

  afterAll(async () => {
    await first?.stop();
    await again?.stop();
    if (first) removeDir(first.dataDir);
  });

  const call = (gateway: string, key: string | undefined, headers: Record<string, string> = {}) =>
    send(`${gateway}/demo/v1/hello`, {
      headers: key === undefined ? headers : { 'x-api-key': key, ...headers },
    });

  it('prints a curl command with the demo key that answers 200 through the gateway', async () => {
    expect(first.demoKey).toMatch(/^tp_live_[0-9A-Za-z]{36}$/);
    expect(first.output()).toContain(
      `  curl -H 'X-API-Key: ${first.demoKey}' ${first.gateway}/demo/v1/hello\n`,
    );
    const response = await call(first.gateway, first.demoKey);
    expect(response.status, response.text).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json()).toMatchObject({ method: 'GET', path: '/hello', bodyBytes: 0 });
  });

  it('forwards the consumer identity the admin API reports, and not the key', async () => {
    const account = await admin.byName('/accounts', 'demo-developer');
    const application = await admin.byName('/applications', 'demo-app');
    const plan = await admin.byName('/plans', 'free');
    expect(application.accountId).toBe(account.id);

    const response = await call(first.gateway, first.demoKey, { 'x-request-id': 'demo-trace-1' });
    expect(response.status).toBe(200);
    const { headers } = response.json();
    expect(headers['x-consumer-application']).toBe(application.id);
    expect(headers['x-consumer-account']).toBe(account.id);
    expect(headers['x-consumer-plan']).toBe(plan.id);
    expect(headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(response.json())).not.toContain(first.demoKey);
    // The caller's request id travels to the upstream and back.
    expect(headers['x-request-id']).toBe('demo-trace-1');
    expect(response.headers['x-request-id']).toBe('demo-trace-1');
  });

  it('seeds what the banner promises: an API on the echo upstream, a product with a plan, a subscribed app', async () => {
    const upstream = await admin.byName('/upstreams', 'demo-echo');
    expect(upstream.targets).toEqual([{ url: `${first.status}/echo`, weight: 100 }]);
    const api = await admin.byName('/apis', 'demo');
    expect(api).toMatchObject({ basePath: '/demo/v1', upstreamId: upstream.id, keyless: false });
    const product = await admin.byName('/products', 'demo');
    expect(product.apiIds).toEqual([api.id]);
    const plan = await admin.byName('/plans', 'free');
    expect(plan.productId).toBe(product.id);
    const application = await admin.byName('/applications', 'demo-app');
    const subscriptions = await admin.call('GET', `/subscriptions?applicationId=${application.id}`);
    expect(subscriptions.body.data).toEqual([expect.objectContaining({ planId: plan.id, state: 'active' })]);
    const keys = await admin.call('GET', `/applications/${application.id}/keys`);
    expect(keys.body.data).toEqual([
      expect.objectContaining({ label: 'demo', prefix: first.demoKey?.slice(0, 12) }),
    ]);
  });

  it('refuses the demo API without the key, or with a made-up one', async () => {
    const missing = await call(first.gateway, undefined);
    expectProblem(missing, 401, 'key-missing');
    expect(missing.headers['www-authenticate']).toBe('Key header="X-API-Key"');
    expectProblem(await call(first.gateway, `${first.demoKey}x`), 401, 'key-malformed');
  });

  it('starts again on the same data dir with --demo: a new key works, the old one is refused', async () => {
    const oldKey = first.demoKey ?? '';
    expect(await first.stop()).toBe(0);
    again = await startTurnpike({ dataDir: first.dataDir, args: ['--demo'] });
    const newKey = again.demoKey ?? '';
    expect(newKey).toMatch(/^tp_live_[0-9A-Za-z]{36}$/);
    expect(newKey).not.toBe(oldKey);
    expect(again.output()).not.toMatch(/tpa_/); // the admin token is not printed again

    expect((await call(again.gateway, newKey)).status).toBe(200);
    expectProblem(await call(again.gateway, oldKey), 401, 'key-invalid');

    // Seeding again did not duplicate anything; the demo app has exactly the new key.
    const adminAgain = new AdminClient(again.admin, first.token);
    const application = await adminAgain.byName('/applications', 'demo-app');
    await adminAgain.byName('/apis', 'demo');
    await adminAgain.byName('/plans', 'free');
    const keys = await adminAgain.call('GET', `/applications/${application.id}/keys`);
    expect(keys.body.data).toHaveLength(1);
    expect(keys.body.data[0].prefix).toBe(newKey.slice(0, 12));
  });
});
