// Metrics through the admin API, on both stores: an API's metric parents, a route's delta, a
// plan's limits (per subscription or end user) and disabled metrics; bad ones refused by field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('metrics on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  const refused = async (method: string, url: string, body: unknown) => {
    const response = await h.call(method, url, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation-failed');
    return (response.body.errors as { path: string; message: string }[]).map(
      (e) => `${e.path}: ${e.message}`,
    );
  };

  it('stores limits with their counter and disabled metrics, and shows per: subscription when omitted', async () => {
    const c = await chain(h, 'lim', '/lim');
    const limits = [
      { metric: 'hits', period: 'month', max: 100 },
      { metric: 'search', period: 'minute', max: 5, per: 'end-user' },
      { metric: 'search', period: 'minute', max: 50 },
    ];
    const plan = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'metered',
      limits,
      disabledMetrics: ['writes'],
    });
    const shown = [
      { metric: 'hits', period: 'month', max: 100, per: 'subscription' },
      { metric: 'search', period: 'minute', max: 5, per: 'end-user' },
      { metric: 'search', period: 'minute', max: 50, per: 'subscription' },
    ];
    expect(plan).toMatchObject({ limits: shown, disabledMetrics: ['writes'] });
    expect((await h.call('GET', `/admin/v1/plans/${plan.id}`)).body).toEqual(plan);
    // The trial plan of the chain: no limits, no disabled metrics.
    expect((await h.call('GET', `/admin/v1/plans/${c.planId}`)).body).toMatchObject({
      limits: [],
      disabledMetrics: [],
    });
    const patched = await h.call('PATCH', `/admin/v1/plans/${plan.id}`, { disabledMetrics: [] });
    expect(patched.body).toMatchObject({ limits: shown, disabledMetrics: [] });
  });

  it('refuses a repeated limit, an unknown period, a negative max and a repeated disabled metric', async () => {
    const c = await chain(h, 'lim-bad', '/lim-bad');
    expect(
      await refused('POST', '/admin/v1/plans', {
        productId: c.productId,
        name: 'bad',
        limits: [
          { metric: 'hits', period: 'minute', max: 10 },
          { metric: 'hits', period: 'fortnight', max: 10 },
          { metric: 'hits', period: 'minute', max: 20, per: 'subscription' },
          { metric: 'hits', period: 'day', max: -1 },
        ],
        disabledMetrics: ['writes', 'writes'],
      }),
    ).toEqual([
      'body.limits[1].period: Invalid option: expected one of "second"|"minute"|"hour"|"day"|"month"|"year"|"eternity"',
      'body.limits[3].max: Too small: expected number to be >=0',
      'body.disabledMetrics[1]: metric "writes" appears twice',
    ]);
    // The repeat is found once every limit is well formed on its own.
    expect(
      await refused('PATCH', `/admin/v1/plans/${c.planId}`, {
        limits: [
          { metric: 'hits', period: 'minute', max: 10 },
          { metric: 'hits', period: 'minute', max: 20, per: 'subscription' },
        ],
      }),
    ).toEqual([
      'body.limits[1]: a second limit on hits per minute per subscription (the first is at index 0)',
    ]);
    expect((await h.call('GET', `/admin/v1/plans/${c.planId}`)).body.limits).toEqual([]);
  });

  it('stores a route delta (1 unless given) and refuses 0', async () => {
    const c = await chain(h, 'delta', '/delta');
    const heavy = await created(h, `/admin/v1/apis/${c.apiId}/routes`, {
      name: 'batch',
      methods: ['POST'],
      path: '/batch',
      metric: 'writes',
      delta: 10,
    });
    expect(heavy).toMatchObject({ metric: 'writes', delta: 10 });
    expect((await h.call('GET', `/admin/v1/apis/${c.apiId}/routes/all`)).body.delta).toBe(1);
    expect(await refused('PATCH', `/admin/v1/apis/${c.apiId}/routes/batch`, { delta: 0 })).toEqual([
      'body.delta: Too small: expected number to be >=1',
    ]);
    expect(
      (await h.call('PATCH', `/admin/v1/apis/${c.apiId}/routes/batch`, { delta: 1_000_000 })).body.delta,
    ).toBe(1_000_000);
  });

  it("stores an API's metric parents and refuses a cycle or a parent for hits", async () => {
    const c = await chain(h, 'tree', '/tree');
    const metrics = [
      { name: 'search', parent: 'reads' },
      { name: 'reads', parent: 'hits' },
    ];
    const patched = await h.call('PATCH', `/admin/v1/apis/${c.apiId}`, { metrics });
    expect(patched.status).toBe(200);
    expect(patched.body.metrics).toEqual(metrics);
    expect(
      await refused('PATCH', `/admin/v1/apis/${c.apiId}`, {
        metrics: [
          { name: 'reads', parent: 'search' },
          { name: 'search', parent: 'reads' },
          { name: 'hits', parent: 'all' },
        ],
      }),
    ).toEqual([
      'body.metrics[2].name: hits has no parent',
      'body.metrics[0].parent: the parents form a cycle: reads → search → reads',
      'body.metrics[1].parent: the parents form a cycle: search → reads → search',
    ]);
    expect((await h.call('GET', `/admin/v1/apis/${c.apiId}`)).body.metrics).toEqual(metrics);
    const plain = await created(h, '/admin/v1/apis', {
      name: 'tree-plain',
      basePath: '/tree-plain',
      upstreamId: c.upstreamId,
    });
    expect(plain.metrics).toEqual([]);
  });
});
