// User story (the 3scale walkthrough): "Developers start on a free Trial that allows reading and
// 100 calls a month. The Public plan is visible and needs our approval; it limits each method
// per minute and per hour. Our partners get a hidden plan with a big daily allowance and a
// per-minute burst limit. Over a limit, clients learn which one and when to come back."
// Then: the standalone rate-limit policy, and limits shared through Redis by two workers and by
// three gateway nodes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, provisionApp } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startDataPlane, startTurnpike, tempDir } from '../support/cli.ts';
import { expectProblem, type RawResponse, send, within } from '../support/http.ts';

const redisUrl = process.env.TURNPIKE_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Waits until at least `seconds` are left in the current minute, so a per-minute test fits in one. */
async function awayFromMinuteEnd(seconds = 20): Promise<void> {
  const left = 60 - new Date().getUTCSeconds();
  if (left < seconds) await new Promise((resolve) => setTimeout(resolve, left * 1000 + 200));
}

/** An API `weather` with forecast and alerts (reads) and reports (a write), behind the echo upstream. */
async function weatherApi(admin: AdminClient, tp: RunningTurnpike, name = 'weather') {
  const upstream = await admin.create('/upstreams', {
    name: `${name}-echo`,
    targets: [{ url: `${tp.status}/echo` }],
  });
  const api = await admin.create('/apis', {
    name,
    basePath: `/${name}`,
    upstreamId: upstream.id,
    metrics: [
      { name: 'forecast', parent: 'reads' },
      { name: 'alerts', parent: 'reads' },
    ],
  });
  const route = (name: string, methods: string[], path: string, metric: string, delta?: number) =>
    admin.create(`/apis/${api.id}/routes`, { name, methods, path, metric, ...(delta && { delta }) });
  await route('forecast', ['GET'], '/forecast', 'forecast');
  await route('alerts', ['GET'], '/alerts', 'alerts');
  await route('report', ['POST'], '/reports', 'reports');
  await route('bulk', ['POST'], '/reports/bulk', 'reports', 3);
  return api;
}

describe('products, plans and limits: the 3scale walkthrough', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  const plans: Record<string, string> = {};
  const call = (key: string, path: string, method = 'GET') =>
    send(`${tp.gateway}/weather${path}`, { method, headers: { 'x-api-key': key } });

  beforeAll(async () => {
    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    const api = await weatherApi(admin, tp);
    const product = await admin.create('/products', { name: 'weather', apiIds: [api.id] });
    const plan = async (name: string, body: Record<string, unknown>) => {
      plans[name] = (await admin.create('/plans', { productId: product.id, name, ...body })).id;
    };
    await plan('trial', {
      default: true,
      approval: 'auto',
      limits: [{ metric: 'hits', period: 'month', max: 100 }],
      disabledMetrics: ['reports'],
    });
    await plan('public', {
      visibility: 'public',
      approval: 'manual',
      limits: [
        { metric: 'forecast', period: 'minute', max: 5 },
        { metric: 'forecast', period: 'hour', max: 50 },
        { metric: 'reports', period: 'minute', max: 4 },
        { metric: 'reports', period: 'hour', max: 40 },
      ],
    });
    await plan('public-plus', {
      approval: 'manual',
      limits: [{ metric: 'forecast', period: 'minute', max: 7 }],
    });
    await plan('partner', {
      visibility: 'hidden',
      limits: [
        { metric: 'hits', period: 'day', max: 100_000 },
        { metric: 'hits', period: 'minute', max: 30 },
      ],
    });
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('Trial: reads only, 100 calls a month, told how many are left', async () => {
    const app = await provisionApp(admin, 'trial-dev', plans.trial);
    let first: RawResponse | undefined;
    await within(5000, async () => {
      first = await call(app.key, '/forecast');
      return first.status === 200;
    });
    expect(first?.headers['ratelimit-policy']).toBe('"hits/month";q=100;w=2592000');
    expect(first?.headers.ratelimit).toMatch(/^"hits\/month";r=99;t=\d+$/);
    const disabled = expectProblem(await call(app.key, '/reports', 'POST'), 403, 'metric-disabled');
    expect(disabled.detail).toBe('The plan does not include reports.');
    // 99 more calls of any read, then the 101st is refused until the month turns.
    for (let i = 0; i < 99; i++)
      expect((await call(app.key, i % 2 ? '/alerts' : '/forecast')).status).toBe(200);
    const over = await call(app.key, '/forecast');
    const problem = expectProblem(over, 429, 'rate-limited');
    expect(problem.detail).toMatch(/^The plan allows 100 hits per month; try again in \d+ s\.$/);
    const retryAfter = Number(over.headers['retry-after']);
    const monthEnd = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1);
    expect(Math.abs(retryAfter - (monthEnd - Date.now()) / 1000)).toBeLessThan(5);
    expect(over.headers.ratelimit).toBe(`"hits/month";r=0;t=${retryAfter}`);
  });

  it('Public: pending until approved, then per-method limits per minute, each method on its own', async () => {
    const app = await provisionApp(admin, 'public-dev', plans.public);
    const subscription = (await admin.call('GET', `/subscriptions/${app.subscriptionId}`)).body;
    expect(subscription.state).toBe('pending');
    await within(5000, async () => (await call(app.key, '/forecast')).status === 403);
    expectProblem(await call(app.key, '/forecast'), 403, 'not-subscribed');
    await admin.call('PATCH', `/subscriptions/${app.subscriptionId}`, { state: 'active' });

    await awayFromMinuteEnd();
    await within(5000, async () => (await call(app.key, '/forecast')).status === 200);
    for (let i = 0; i < 4; i++) expect((await call(app.key, '/forecast')).status).toBe(200);
    const over = await call(app.key, '/forecast');
    expect(expectProblem(over, 429, 'rate-limited').detail).toMatch(/^The plan allows 5 forecast per minute/);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.headers['ratelimit-policy']).toBe('"forecast/minute";q=5;w=60');
    // Alerts have no limit on this plan; reports have their own: the bulk route counts 3.
    expect((await call(app.key, '/alerts')).status).toBe(200);
    expect((await call(app.key, '/reports/bulk', 'POST')).status).toBe(200);
    expect((await call(app.key, '/reports', 'POST')).status).toBe(200);
    expectProblem(await call(app.key, '/reports', 'POST'), 429, 'rate-limited');
    // What is left of each limit: minute windows read live from the gateway, hours from the
    // stored usage (metered within a second or so).
    const left = async () =>
      (await admin.call('GET', `/subscriptions/${app.subscriptionId}/limits`)).body.data.map(
        (l: { metric: string; period: string; used: number | null; remaining: number | null }) =>
          `${l.metric}/${l.period} ${l.used} ${l.remaining}`,
      );
    await within(5000, async () => (await left()).includes('forecast/hour 5 45'));
    expect(await left()).toEqual([
      'forecast/minute 5 0',
      'forecast/hour 5 45',
      'reports/minute 4 0',
      'reports/hour 4 36',
    ]);
  });

  it('keeps the period’s usage when the application changes plan', async () => {
    const app = await provisionApp(admin, 'upgrading-dev', plans.public);
    await admin.call('PATCH', `/subscriptions/${app.subscriptionId}`, { state: 'active' });
    await awayFromMinuteEnd();
    await within(5000, async () => (await call(app.key, '/forecast')).status === 200);
    for (let i = 0; i < 4; i++) await call(app.key, '/forecast');
    expectProblem(await call(app.key, '/forecast'), 429, 'rate-limited');
    const changed = await admin.call('PATCH', `/subscriptions/${app.subscriptionId}`, {
      planId: plans['public-plus'],
    });
    expect(changed.body).toMatchObject({ id: app.subscriptionId, planId: plans['public-plus'] });
    // 5 of the new 7 per minute are used already: two more.
    await within(5000, async () => (await call(app.key, '/forecast')).status === 200);
    expect((await call(app.key, '/forecast')).status).toBe(200);
    expectProblem(await call(app.key, '/forecast'), 429, 'rate-limited');
  });

  it('Partner (hidden): a burst limit per minute on top of a daily allowance', async () => {
    const app = await provisionApp(admin, 'partner', plans.partner);
    await awayFromMinuteEnd();
    await within(5000, async () => (await call(app.key, '/forecast')).status === 200);
    const answers = await Promise.all(Array.from({ length: 40 }, () => call(app.key, '/alerts')));
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(29);
    expect(statuses.filter((s) => s === 429)).toHaveLength(11);
    const last = await call(app.key, '/reports', 'POST');
    expect(last.headers['ratelimit-policy']).toBe('"hits/minute";q=30;w=60');
  });

  it('rate-limit policy: per client address on a keyless API', async () => {
    const upstream = await admin.create('/upstreams', {
      name: 'status-echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    const api = await admin.create('/apis', {
      name: 'status',
      basePath: '/status',
      upstreamId: upstream.id,
      keyless: true,
    });
    await admin.create(`/apis/${api.id}/routes`, { name: 'ping', methods: ['GET'], path: '/ping' });
    await admin.create('/policies', {
      name: 'rate-limit',
      apiId: api.id,
      config: { limits: [{ period: 'minute', max: 3 }], by: 'ip' },
    });
    await awayFromMinuteEnd();
    await within(
      5000,
      async () => (await send(`${tp.gateway}/status/ping`)).headers['ratelimit-policy'] !== undefined,
    );
    await send(`${tp.gateway}/status/ping`);
    const third = await send(`${tp.gateway}/status/ping`);
    expect(third.status).toBe(200);
    expect(third.headers.ratelimit).toMatch(/^"ip\/minute";r=0;t=\d+$/);
    const over = expectProblem(await send(`${tp.gateway}/status/ping`), 429, 'rate-limited');
    expect(over.detail).toMatch(/^The API allows 3 calls per minute from each client address/);
  });
});

describe('one count per node without Redis', () => {
  it('two workers admit exactly the limit between them: the primary holds the count', async () => {
    const tp = await startTurnpike({ args: ['--workers', '2'] });
    try {
      const admin = new AdminClient(tp.admin, tp.token);
      const api = await weatherApi(admin, tp, 'node-count');
      const product = await admin.create('/products', { name: 'node-count', apiIds: [api.id] });
      const plan = await admin.create('/plans', {
        productId: product.id,
        name: 'burst',
        limits: [{ metric: 'hits', period: 'minute', max: 100 }],
      });
      const app = await provisionApp(admin, 'node-count', plan.id);
      const url = `${tp.gateway}/node-count/alerts`;
      await awayFromMinuteEnd();
      await within(5000, async () => (await send(url, { headers: { 'x-api-key': app.key } })).status === 200);
      // New connections each time, so both workers take calls.
      const answers = await Promise.all(
        Array.from({ length: 250 }, () =>
          send(url, { headers: { 'x-api-key': app.key, connection: 'close' } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(99);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(151);
      // The main process holds the minute's count: /limits reads it there.
      const limits = await admin.call('GET', `/subscriptions/${app.subscriptionId}/limits`);
      expect(limits.body.data).toEqual([
        expect.objectContaining({ period: 'minute', used: 100, remaining: 0 }),
      ]);
    } finally {
      await tp.stop();
      removeDir(tp.dataDir);
    }
  });
});

describe('a month quota outlives a restart without Redis', () => {
  const dataDir = tempDir();
  const token = `quota-admin-${'x'.repeat(24)}`;
  let tp: RunningTurnpike | undefined;
  afterAll(async () => {
    await tp?.stop();
    removeDir(dataDir);
  });

  const start = async (workers: string) => {
    tp = await startTurnpike({ dataDir, args: ['--workers', workers], env: { TURNPIKE_ADMIN_TOKEN: token } });
    const admin = new AdminClient(tp.admin, token);
    // The echo upstream moved with the status port (ephemeral in tests).
    if ((await admin.call('GET', '/upstreams/quota-echo')).status === 200)
      await admin.call('PATCH', '/upstreams/quota-echo', { targets: [{ url: `${tp.status}/echo` }] });
    return { tp, admin };
  };
  const statuses = async (url: string, key: string, count: number) =>
    (
      await Promise.all(
        Array.from({ length: count }, () =>
          send(url, { headers: { 'x-api-key': key, connection: 'close' } }),
        ),
      )
    ).map((r) => r.status);

  it('the gateway workers and data-plane nodes start from the stored usage, not from zero', async () => {
    let { tp: running, admin } = await start('1');
    const api = await weatherApi(admin, running, 'quota');
    const product = await admin.create('/products', { name: 'quota', apiIds: [api.id] });
    const plan = await admin.create('/plans', {
      productId: product.id,
      name: 'monthly',
      limits: [{ metric: 'hits', period: 'month', max: 10 }],
    });
    const app = await provisionApp(admin, 'quota', plan.id);
    const url = () => `${running.gateway}/quota/alerts`;
    // A worker of its own: 6 of 10 used, then a restart.
    for (let i = 0; i < 6; i++)
      expect((await send(url(), { headers: { 'x-api-key': app.key } })).status).toBe(200);
    await running.stop();
    // Two workers counting in the main process: 4 left, not 10.
    ({ tp: running, admin } = await start('2'));
    const second = await statuses(url(), app.key, 8);
    expect(second.filter((s) => s === 200)).toHaveLength(4);
    expect(second.filter((s) => s === 429)).toHaveLength(4);
    // Metered within a second or so.
    await within(5000, async () => {
      const limits = await admin.call('GET', `/subscriptions/${app.subscriptionId}/limits`);
      return (limits.body.data as { used: number }[])[0]?.used === 10;
    });

    // A data-plane node that restarts does not hand the month out again either.
    const other = await provisionApp(admin, 'quota-node', plan.id);
    const nodeToken = (await admin.create('/tokens', { name: 'quota-node', role: 'gateway' })).token;
    const nodeDir = tempDir();
    let node = await startDataPlane({ controlPlane: running.admin, token: nodeToken, dataDir: nodeDir });
    try {
      let gateway = await node.gateway();
      await within(5000, async () => {
        const r = await send(`${gateway}/quota/forecast`, { headers: { 'x-api-key': other.key } });
        return r.status === 200;
      });
      expect((await statuses(`${gateway}/quota/forecast`, other.key, 2)).every((s) => s === 200)).toBe(true);
      await node.stop(); // 3 used, handed over as it stops
      node = await startDataPlane({ controlPlane: running.admin, token: nodeToken, dataDir: nodeDir });
      gateway = await node.gateway();
      const after = await statuses(`${gateway}/quota/forecast`, other.key, 10);
      expect(after.filter((s) => s === 200)).toHaveLength(7);
    } finally {
      await node.stop();
      removeDir(nodeDir);
    }
  });
});

describe('limits shared through Redis', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let planId = '';
  let apiName = '';

  beforeAll(async () => {
    tp = await startTurnpike({ args: ['--workers', '2', '--redis-url', redisUrl] });
    admin = new AdminClient(tp.admin, tp.token);
    const api = await weatherApi(admin, tp, `shared-${randomUUID().slice(0, 8)}`);
    const product = await admin.create('/products', { name: `shared-${api.id}`, apiIds: [api.id] });
    planId = (
      await admin.create('/plans', {
        productId: product.id,
        name: 'burst',
        limits: [{ metric: 'hits', period: 'minute', max: 20 }],
      })
    ).id;
    apiName = api.name;
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('two workers admit exactly the limit between them', async () => {
    const app = await provisionApp(admin, 'two-workers', planId);
    const url = `${tp.gateway}/${apiName}/alerts`;
    await awayFromMinuteEnd();
    await within(5000, async () => (await send(url, { headers: { 'x-api-key': app.key } })).status === 200);
    const answers = await Promise.all(
      Array.from({ length: 60 }, () => send(url, { headers: { 'x-api-key': app.key, connection: 'close' } })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(19);
    // The control plane reads the minute's count from Redis.
    const limits = await admin.call('GET', `/subscriptions/${app.subscriptionId}/limits`);
    expect(limits.body.data).toEqual([expect.objectContaining({ period: 'minute', used: 20, remaining: 0 })]);
  });

  it('three gateway nodes sharing Redis admit no more than the limit', async () => {
    const token = (await admin.create('/tokens', { name: 'nodes', role: 'gateway' })).token;
    const nodes = await Promise.all(
      [1, 2, 3].map(() => startDataPlane({ controlPlane: tp.admin, token, args: ['--redis-url', redisUrl] })),
    );
    try {
      const gateways = await Promise.all(nodes.map((n) => n.gateway()));
      const app = await provisionApp(admin, 'three-nodes', planId);
      await awayFromMinuteEnd();
      // Each node, once it knows the key, lets one call through: 3 of the 20 are used.
      for (const gateway of gateways)
        await within(5000, async () => {
          const r = await send(`${gateway}/${apiName}/forecast`, { headers: { 'x-api-key': app.key } });
          return r.status === 200;
        });
      const answers = await Promise.all(
        Array.from({ length: 90 }, (_, i) =>
          send(`${gateways[i % 3]}/${apiName}/forecast`, { headers: { 'x-api-key': app.key } }),
        ),
      );
      expect(answers.filter((a) => a.status === 200)).toHaveLength(17);
      expect(answers.filter((a) => a.status === 429)).toHaveLength(73);
      // The nodes meter what they let through and hand it to the control plane, the last of
      // it as they stop: 20 calls, stored once each.
      await Promise.all(nodes.map((n) => n.stop()));
      const usage = await admin.call('GET', `/usage?subscriptionId=${app.subscriptionId}&granularity=month`);
      const hits = (usage.body.data as { metric: string; units: number }[]).find((r) => r.metric === 'hits');
      expect(hits?.units).toBe(20);
    } finally {
      await Promise.all(nodes.map((n) => n.stop()));
      for (const node of nodes) removeDir(node.dataDir);
    }
  });

  it('fails open or closed as told when Redis does not answer', async () => {
    for (const [failure, expected] of [
      ['open', 200],
      ['closed', 503],
    ] as const) {
      const node = await startDataPlane({
        controlPlane: tp.admin,
        token: (await admin.create('/tokens', { name: `node-${failure}`, role: 'gateway' })).token,
        args: ['--redis-url', 'redis://127.0.0.1:1', '--redis-failure', failure],
      });
      try {
        const gateway = await node.gateway();
        const app = await provisionApp(admin, `redis-down-${failure}`, planId);
        await within(5000, async () => {
          const r = await send(`${gateway}/${apiName}/forecast`, { headers: { 'x-api-key': app.key } });
          return r.status === expected;
        });
        const started = performance.now();
        const answer = await send(`${gateway}/${apiName}/forecast`, { headers: { 'x-api-key': app.key } });
        expect(answer.status).toBe(expected);
        expect(performance.now() - started).toBeLessThan(500);
        if (failure === 'closed') expectProblem(answer, 503, 'limits-unavailable');
      } finally {
        await node.stop();
        removeDir(node.dataDir);
      }
    }
  });
});
