// User story: "I change the configuration through the admin API while traffic flows: the running
// gateway picks each change up within a second, no restart, and not one request in flight fails.
// The gateway serves a compiled snapshot: even with the database gone it keeps answering."
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ProvisionedApp, provisionApp, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase, testPostgresUrl } from '../support/databases.ts';
import { expectProblem, send, within } from '../support/http.ts';
import { TestUpstream, type UpstreamEcho } from '../support/upstream.ts';

interface Traffic {
  ok: number;
  byUpstream: Record<string, number>;
  failures: string[];
  stop(): Promise<void>;
}

/** `loops` clients calling `url` back to back (fetch keeps connections alive) until stopped. */
function startTraffic(url: string, key: string, loops: number): Traffic {
  let running = true;
  const traffic: Traffic = { ok: 0, byUpstream: {}, failures: [], stop: async () => {} };
  const loop = async () => {
    while (running) {
      try {
        const response = await fetch(url, { headers: { 'x-api-key': key } });
        const text = await response.text();
        const upstream = response.status === 200 ? (JSON.parse(text) as UpstreamEcho).upstream : undefined;
        if (upstream === 'blue' || upstream === 'green') {
          traffic.ok++;
          traffic.byUpstream[upstream] = (traffic.byUpstream[upstream] ?? 0) + 1;
        } else traffic.failures.push(`${response.status} ${text}`);
      } catch (error) {
        traffic.failures.push(String(error));
      }
    }
  };
  const done = Promise.all(Array.from({ length: loops }, loop));
  traffic.stop = async () => {
    running = false;
    await done;
  };
  return traffic;
}

describe('changes through the admin API reach the running gateway', () => {
  const blue = new TestUpstream('blue');
  const green = new TestUpstream('green');
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let upstreamId = '';
  let apiId = '';
  let planId = '';
  let caller: ProvisionedApp;
  let other: ProvisionedApp;

  const gw = (path: string, key?: string) =>
    send(`${tp.gateway}${path}`, { headers: key === undefined ? {} : { 'x-api-key': key } });
  const switchTo = (target: TestUpstream) =>
    admin.update(`/upstreams/${upstreamId}`, { targets: [{ url: target.url }] });

  beforeAll(async () => {
    await Promise.all([blue.start(), green.start()]);
    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    upstreamId = (await admin.create('/upstreams', { name: 'live', targets: [{ url: blue.url }] })).id;
    apiId = (await admin.create('/apis', { name: 'live', basePath: '/live', upstreamId })).id;
    await admin.create(`/apis/${apiId}/routes`, { name: 'ping', methods: ['GET'], path: '/ping' });
    planId = await provisionPlan(admin, 'live', [apiId]);
    caller = await provisionApp(admin, 'caller', planId);
    other = await provisionApp(admin, 'other', planId);
  });

  afterAll(async () => {
    await tp?.stop();
    await Promise.all([blue.close(), green.close()]);
    if (tp) removeDir(tp.dataDir);
  });

  it('applies 20 changes under continuous traffic, each within a second, failing no request', async () => {
    const traffic = startTraffic(`${tp.gateway}/live/ping`, caller.key, 4);
    const latencies: { change: string; ms: number }[] = [];
    /** Runs a change, then polls until the gateway shows it; records the time from the response. */
    const measure = async (change: string, make: () => Promise<void>, visible: () => Promise<boolean>) => {
      await make();
      latencies.push({ change, ms: await within(3000, visible) });
    };
    try {
      await new Promise((resolve) => setTimeout(resolve, 200)); // traffic is flowing before the first change
      for (let round = 0; round < 4; round++) {
        const target = round % 2 === 0 ? green : blue;
        await measure(
          `route r${round}`,
          async () => {
            await admin.create(`/apis/${apiId}/routes`, {
              name: `r${round}`,
              methods: ['GET'],
              path: `/r${round}`,
            });
          },
          async () => (await gw(`/live/r${round}`, caller.key)).status === 200,
        );
        await measure(
          `upstream → ${target.name}`,
          async () => {
            await switchTo(target);
          },
          async () => (await gw('/live/ping', caller.key)).json().upstream === target.name,
        );
        let key: { id: string; key: string } = { id: '', key: '' };
        await measure(
          'key added',
          async () => {
            key = await admin.create(`/applications/${other.applicationId}/keys`, { label: `k${round}` });
          },
          async () => (await gw('/live/ping', key.key)).status === 200,
        );
        await measure(
          'key removed',
          async () => {
            const removed = await admin.call('DELETE', `/applications/${other.applicationId}/keys/${key.id}`);
            expect(removed.status).toBe(204);
          },
          async () => (await gw('/live/ping', key.key)).status === 401,
        );
        await measure(
          `api extra${round}`,
          async () => {
            const api = await admin.create('/apis', {
              name: `extra${round}`,
              basePath: `/extra${round}`,
              upstreamId,
              keyless: true,
            });
            await admin.create(`/apis/${api.id}/routes`, { name: 'all', path: '/*' });
          },
          async () => (await gw(`/extra${round}/x`)).status === 200,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await traffic.stop();
    }
    const slowest = latencies.reduce((max, l) => (l.ms > max.ms ? l : max));
    console.log(
      `live changes: ${latencies.length} changes, slowest ${slowest.change} in ${slowest.ms.toFixed(1)} ms; ` +
        `${traffic.ok} requests during them (blue ${traffic.byUpstream.blue ?? 0}, green ${traffic.byUpstream.green ?? 0}), ${traffic.failures.length} failed`,
    );
    expect(latencies).toHaveLength(20);
    for (const { change, ms } of latencies) expect(ms, change).toBeLessThan(1000);
    expect(traffic.failures).toEqual([]);
    expect(traffic.ok).toBeGreaterThan(100);
    // The traffic itself moved between the upstreams.
    expect(traffic.byUpstream.blue).toBeGreaterThan(0);
    expect(traffic.byUpstream.green).toBeGreaterThan(0);
  });

  it('lets a request in flight finish on the upstream it started on when the target changes', async () => {
    await switchTo(blue);
    const slow = gw('/live/ping?delay=1000', caller.key);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the request is now at blue
    await switchTo(green);
    expect((await gw('/live/ping', caller.key)).json().upstream).toBe('green');
    const response = await slow;
    expect(response.status, response.text).toBe(200);
    expect(response.json().upstream).toBe('blue');
  });

  it('refuses a change the gateway could not serve, and keeps serving the previous configuration', async () => {
    const before = (await admin.call('GET', '/status')).body.revision;
    // A second route on the same path and method of the same API.
    const clash = await admin.call('POST', `/apis/${apiId}/routes`, {
      name: 'dup',
      methods: ['GET'],
      path: '/ping',
    });
    expect(clash.status).toBe(409);
    expect(clash.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await admin.call('GET', '/status')).body.revision).toBe(before);
    expect((await gw('/live/ping', caller.key)).status).toBe(200);
    expectProblem(await gw('/live/nothing', caller.key), 404, 'route-not-found');
  });
});

describe('the gateway never reads the database (PostgreSQL)', () => {
  const svc = new TestUpstream('blue');
  let database: TestDatabase;
  let name = '';
  let tp: RunningTurnpike | undefined;
  let dataDir: string | undefined;

  const superuser = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: testPostgresUrl });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    await svc.start();
    database = await createTestDatabase();
    name = new URL(database.url).pathname.slice(1);
    tp = await startTurnpike({ env: { TURNPIKE_DATABASE_URL: database.url } });
    dataDir = tp.dataDir;
  });

  afterAll(async () => {
    await tp?.stop();
    await svc.close();
    if (dataDir) removeDir(dataDir);
    await superuser((client) => client.query(`drop database if exists ${name}_gone with (force)`));
    await database?.drop();
  });

  it('keeps serving its last configuration while the database is gone, and picks up changes once it is back', async () => {
    if (!tp) throw new Error('not started');
    const running = tp;
    expect(running.output()).toContain('(PostgreSQL: postgres://');
    const admin = new AdminClient(running.admin, running.token);
    const upstream = await admin.create('/upstreams', { name: 'svc', targets: [{ url: svc.url }] });
    const api = await admin.create('/apis', { name: 'orders', basePath: '/orders', upstreamId: upstream.id });
    await admin.create(`/apis/${api.id}/routes`, { name: 'list', methods: ['GET'], path: '/' });
    const planId = await provisionPlan(admin, 'orders', [api.id]);
    const app = await provisionApp(admin, 'buyer', planId);
    const call = (key: string) => send(`${running.gateway}/orders/`, { headers: { 'x-api-key': key } });
    expect((await call(app.key)).status).toBe(200);

    // Take the database away: no new connections, the open ones cut, the name gone.
    await superuser(async (client) => {
      await client.query(`alter database ${name} with allow_connections false`);
      await client.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      await client.query(`alter database ${name} rename to ${name}_gone`);
    });

    // The control plane cannot write now…
    const refused = await admin.call('POST', '/upstreams', { name: 'late', targets: [{ url: svc.url }] });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    // …but the gateway keeps answering from memory, across several of the control plane's polls.
    const until = Date.now() + 2500;
    let calls = 0;
    while (Date.now() < until) {
      const response = await call(app.key);
      expect(response.status, response.text).toBe(200);
      expect(response.json().headers['x-consumer-application']).toBe(app.applicationId);
      expectProblem(await call(app.key.replace('tp_live_', 'tp_test_')), 401, 'key-invalid');
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(calls).toBeGreaterThan(10);
    expect((await send(`${running.status}/ready`)).status).toBe(200);

    // The database comes back: writes work again and reach the gateway.
    await superuser(async (client) => {
      await client.query(`alter database ${name}_gone rename to ${name}`);
      await client.query(`alter database ${name} with allow_connections true`);
    });
    await within(5000, async () => (await admin.call('GET', '/status')).status === 200);
    await admin.create(`/apis/${api.id}/routes`, { name: 'one', methods: ['GET'], path: '/{id}' });
    const one = await send(`${running.gateway}/orders/7`, { headers: { 'x-api-key': app.key } });
    expect(one.status, one.text).toBe(200);
    expect(one.json().url).toBe('/7');
  });
});
