// User story: "I look at the numbers before I decide: who called what, how fast, how often it
// failed. What the console shows must be what was sent, and a control plane that restarts under
// traffic must not lose or double a single request."
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ProvisionedApp, provisionApp, provisionPlan } from '../support/admin-client.ts';
import {
  type RunningDataPlane,
  type RunningTurnpike,
  removeDir,
  startDataPlane,
  startTurnpike,
  tempDir,
} from '../support/cli.ts';
import { FaultyUpstream } from '../support/faulty-upstream.ts';
import { send, within } from '../support/http.ts';

const fast = { TURNPIKE_USAGE_INTERVAL_MS: '200' };

interface Item {
  id: string;
  name: string | null;
  requests: number;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** An API `weather` on `upstream` with routes fast, slow and fail, sold by one plan. */
async function weatherApi(
  admin: AdminClient,
  upstream: FaultyUpstream,
): Promise<{ apiId: string; planId: string }> {
  const ups = await admin.create('/upstreams', { name: 'weather', targets: [{ url: upstream.url }] });
  const api = await admin.create('/apis', { name: 'weather', basePath: '/weather', upstreamId: ups.id });
  for (const name of ['fast', 'slow', 'fail'])
    await admin.create(`/apis/${api.id}/routes`, { name, methods: ['GET'], path: `/${name}`, metric: name });
  return { apiId: api.id, planId: await provisionPlan(admin, 'weather', [api.id]) };
}

describe('analytics of known traffic', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let upstream: FaultyUpstream;
  let app: ProvisionedApp;
  let other: ProvisionedApp;
  const from = new Date(Date.now() - 60_000).toISOString();

  beforeAll(async () => {
    upstream = await FaultyUpstream.start();
    await upstream.set({ kind: 'slow', headMs: 120 }, '/slow');
    await upstream.set({ kind: 'status', status: 500 }, '/fail');
    tp = await startTurnpike({ args: ['--workers', '2'], env: fast });
    admin = new AdminClient(tp.admin, tp.token);
    const { planId } = await weatherApi(admin, upstream);
    app = await provisionApp(admin, 'busy', planId);
    other = await provisionApp(admin, 'quiet', planId);
    await admin.create('/policies', { name: 'request-log', config: { sampleRate: 1 } });
    const call = (path: string, key?: string) =>
      send(`${tp.gateway}${path}`, key === undefined ? {} : { headers: { 'x-api-key': key } });
    await within(5000, async () => (await call('/weather/fast', other.key)).status === 200);
    // Known traffic from `busy`: 40 fast 200s, 10 slow 200s (≥ 120 ms), 5 upstream 500s;
    // then 3 calls without a key (401) and 2 to no route at all (404).
    const answers = [
      ...(await Promise.all(Array.from({ length: 40 }, () => call('/weather/fast', app.key)))),
      ...(await Promise.all(Array.from({ length: 10 }, () => call('/weather/slow', app.key)))),
      ...(await Promise.all(Array.from({ length: 5 }, () => call('/weather/fail', app.key)))),
      ...(await Promise.all(Array.from({ length: 3 }, () => call('/weather/fast')))),
      ...(await Promise.all(Array.from({ length: 2 }, () => call('/nowhere', app.key)))),
    ];
    expect(answers.map((a) => a.status).sort()).toEqual([
      ...Array(50).fill(200),
      ...Array(3).fill(401),
      ...Array(2).fill(404),
      ...Array(5).fill(500),
    ]);
  });

  afterAll(async () => {
    await tp?.stop();
    await upstream?.close();
  });

  const read = async (path: string) => {
    const response = await admin.call('GET', path);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body;
  };

  it('counts every request once, with its status and latency', async () => {
    // 60 sent plus the one call that found the gateway ready.
    await within(5000, async () => (await read(`/analytics/summary?from=${from}`)).requests === 61);
    const busy = await read(`/analytics/summary?from=${from}&applicationId=${app.applicationId}`);
    // Calls without a key or a route are nobody's: they count in the totals only.
    expect(busy).toMatchObject({ requests: 55, clientErrors: 0, serverErrors: 5 });
    const statuses = (await read(`/analytics/top?from=${from}&by=status`)).items as Item[];
    expect(statuses.map((i) => [i.name, i.requests])).toEqual([
      ['200 OK', 51],
      ['500 Internal Server Error', 5],
      ['401 Unauthorized', 3],
      ['404 Not Found', 2],
    ]);
    // p95 falls among the 10 slow calls (ranks 52–61 of 61), p50 among the fast ones.
    const slowRoute = await read(`/analytics/summary?from=${from}&statusClass=2xx`);
    expect(slowRoute.latencyP50Ms).toBeLessThan(100);
    expect(slowRoute.latencyP95Ms).toBeGreaterThanOrEqual(100);
    expect(slowRoute.latencyP95Ms).toBeLessThan(250);
    expect(slowRoute.upstreamAvgMs).toBeGreaterThan(0);
  });

  it('ranks applications, routes and plans', async () => {
    const apps = (await read(`/analytics/top?from=${from}&by=application`)).items as Item[];
    expect(apps.map((i) => [i.name, i.requests])).toEqual([
      ['busy-app', 55],
      ['quiet-app', 1],
    ]);
    const routes = (await read(`/analytics/top?from=${from}&by=route`)).items as Item[];
    expect(routes.map((i) => [i.name, i.requests])).toEqual([
      ['weather/fast', 44],
      ['weather/slow', 10],
      ['weather/fail', 5],
    ]);
    const plans = (await read(`/analytics/top?from=${from}&by=plan`)).items as Item[];
    expect(plans.map((i) => [i.name, i.requests])).toEqual([['weather/weather-plan', 56]]);
    const series = await read(`/analytics/traffic?from=${from}&interval=minute`);
    expect(series.points.reduce((sum: number, p: { requests: number }) => sum + p.requests, 0)).toBe(61);
  });

  it('logs each routed request, credentials redacted', async () => {
    await within(
      5000,
      async () => (await read(`/analytics/requests?from=${from}&limit=100`)).items.length === 59,
    );
    const failed = (await read(`/analytics/requests?from=${from}&statusClass=5xx`)).items;
    expect(failed).toHaveLength(5);
    expect(failed[0]).toMatchObject({
      method: 'GET',
      path: '/weather/fail',
      status: 500,
      applicationId: app.applicationId,
      accountId: app.accountId,
    });
    const refused = (await read(`/analytics/requests?from=${from}&status=401`)).items;
    expect(refused).toHaveLength(3);
    expect(refused[0].applicationId).toBeNull();
    const all = JSON.stringify((await read(`/analytics/requests?from=${from}&limit=100`)).items);
    expect(all).not.toContain(app.key);
    expect(all).toContain('"x-api-key":"[redacted]"');
  });
});

describe('a control plane restarting under traffic', () => {
  const token = `analytics-admin-${'x'.repeat(24)}`;
  const dataDir = tempDir();
  let cp: RunningTurnpike;
  let node: RunningDataPlane;
  let upstream: FaultyUpstream;
  let adminPort = '';

  const startControlPlane = async () => {
    cp = await startTurnpike({
      dataDir,
      args: ['--admin-port', adminPort],
      env: { ...fast, TURNPIKE_ADMIN_TOKEN: token },
    });
  };

  beforeAll(async () => {
    upstream = await FaultyUpstream.start();
    adminPort = String(await freePort());
    await startControlPlane();
  });

  afterAll(async () => {
    await node?.stop();
    await cp?.stop();
    await upstream?.close();
    removeDir(dataDir);
  });

  it('loses no batch and counts none twice', async () => {
    const admin = new AdminClient(cp.admin, token);
    const { apiId, planId } = await weatherApi(admin, upstream);
    const app = await provisionApp(admin, 'steady', planId);
    node = await startDataPlane({ controlPlane: cp.admin, token, env: fast });
    const gateway = await node.gateway();
    const call = () => send(`${gateway}/weather/fast`, { headers: { 'x-api-key': app.key } });
    await within(5000, async () => (await call()).status === 200);
    let sent = 1;
    let running = true;
    const traffic = (async () => {
      while (running) {
        const answers = await Promise.all(Array.from({ length: 5 }, call));
        sent += answers.filter((a) => a.status === 200).length;
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await cp.stop();
    // The node keeps serving (and keeping its batches) while the control plane is away.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await startControlPlane();
    await new Promise((resolve) => setTimeout(resolve, 700));
    running = false;
    await traffic;
    const again = new AdminClient(cp.admin, token);
    const total = async () =>
      (
        await again.call(
          'GET',
          `/analytics/summary?apiId=${apiId}&from=${new Date(Date.now() - 600_000).toISOString()}`,
        )
      ).body.requests as number;
    await within(10_000, async () => (await total()) === sent);
    // And it stays there: no batch arrives a second time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await total()).toBe(sent);
    expect(sent).toBeGreaterThan(50);
  });
});
