// The usage endpoints over HTTP, on both stores: nodes hand batches over with a gateway token
// (viewers cannot), a retried batch counts once, a malformed one is a 400 that stores nothing;
// viewers read usage and what is left of each limit.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('usage endpoints on %s', (kind) => {
  let h: AdminHarness;
  const tokens = { viewer: '', editor: '', gateway: '' };
  let subscriptionId = '';
  let c: Awaited<ReturnType<typeof chain>>;

  beforeAll(async () => {
    h = await startAdmin(kind);
    for (const role of ['viewer', 'editor', 'gateway'] as const)
      tokens[role] = (await created(h, '/admin/v1/tokens', { name: `usage-${role}`, role })).token as string;
    c = await chain(h, 'metered', '/metered');
    subscriptionId = (
      await created(h, '/admin/v1/subscriptions', { applicationId: c.applicationId, planId: c.planId })
    ).id;
  });
  afterAll(() => h.close());

  const as = async (role: keyof typeof tokens, method: 'GET' | 'POST', url: string, body?: unknown) => {
    const response = await h.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${tokens[role]}` },
      ...(body !== undefined && { payload: body as object }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };
  const hour = (iso: string) => new Date(iso).toISOString();
  const thisHour = hour(new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString());

  it('POST /sync/usage: a gateway token stores a batch once; a retry answers stored: false', async () => {
    const status = (await h.call('GET', '/admin/v1/status')).body.revision;
    const events = (await h.call('GET', '/admin/v1/audit-events?limit=200')).body.data.length;
    const batch = {
      id: randomUUID(),
      entries: [
        { subscriptionId, metric: 'hits', hour: thisHour, units: 3 },
        { subscriptionId, metric: 'hits', hour: thisHour, units: 4 },
      ],
    };
    expect(await as('gateway', 'POST', '/admin/v1/sync/usage', batch)).toEqual({
      status: 200,
      body: { stored: true },
    });
    expect(await as('gateway', 'POST', '/admin/v1/sync/usage', batch)).toEqual({
      status: 200,
      body: { stored: false },
    });
    expect((await h.call('POST', '/admin/v1/sync/usage', batch)).body).toEqual({ stored: false });
    const usage = await h.call('GET', `/admin/v1/usage?subscriptionId=${subscriptionId}&granularity=hour`);
    expect(usage.body.data).toEqual([
      {
        subscriptionId,
        applicationId: c.applicationId,
        accountId: c.accountId,
        planId: c.planId,
        metric: 'hits',
        start: thisHour,
        units: 7,
      },
    ]);
    // Telemetry: no new revision, no audit event.
    expect((await h.call('GET', '/admin/v1/status')).body.revision).toBe(status);
    expect((await h.call('GET', '/admin/v1/audit-events?limit=200')).body.data.length).toBe(events);
  });

  it('POST /sync/usage: viewers and editors are refused, and nothing is stored', async () => {
    const batch = {
      id: randomUUID(),
      entries: [{ subscriptionId, metric: 'refused', hour: thisHour, units: 1 }],
    };
    for (const role of ['viewer', 'editor'] as const) {
      const refused = await as(role, 'POST', '/admin/v1/sync/usage', batch);
      expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
    }
    const anonymous = await h.app.inject({ method: 'POST', url: '/admin/v1/sync/usage', payload: batch });
    expect(anonymous.statusCode).toBe(401);
    expect((await h.call('GET', '/admin/v1/usage?metric=refused')).body.data).toEqual([]);
    // The id was not used up: the same batch from the node is stored.
    expect((await as('gateway', 'POST', '/admin/v1/sync/usage', batch)).body).toEqual({ stored: true });
  });

  it('POST /sync/usage: a malformed batch is a 400 naming the field, and nothing is stored', async () => {
    const id = randomUUID();
    const good = { subscriptionId, metric: 'malformed', hour: thisHour, units: 1 };
    const refused = await as('gateway', 'POST', '/admin/v1/sync/usage', {
      id,
      entries: [good, { ...good, hour: '2026-03-01T10:15:00.000Z' }, { ...good, units: -1 }],
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation-failed');
    expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'body.entries[1].hour',
      'body.entries[2].units',
    ]);
    expect((await as('gateway', 'POST', '/admin/v1/sync/usage', { entries: [good] })).status).toBe(400);
    const overflow = await as('gateway', 'POST', '/admin/v1/sync/usage', {
      id,
      entries: [{ ...good, units: Number.MAX_SAFE_INTEGER }, good],
    });
    expect([overflow.status, overflow.body.code]).toEqual([400, 'validation-failed']);
    expect((await h.call('GET', '/admin/v1/usage?metric=malformed')).body.data).toEqual([]);
    expect((await as('gateway', 'POST', '/admin/v1/sync/usage', { id, entries: [good] })).body).toEqual({
      stored: true,
    });
  });

  it('POST /sync/usage: takes a batch over 1 MiB', async () => {
    const start = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 20_000 * 3_600_000;
    const entries = Array.from({ length: 20_000 }, (_, i) => ({
      subscriptionId,
      metric: 'bulk',
      hour: new Date(start + i * 3_600_000).toISOString(),
      units: 1,
    }));
    const body = { id: randomUUID(), entries };
    expect(JSON.stringify(body).length).toBeGreaterThan(1024 * 1024);
    expect(await as('gateway', 'POST', '/admin/v1/sync/usage', body)).toEqual({
      status: 200,
      body: { stored: true },
    });
    const year = await h.call(
      'GET',
      `/admin/v1/usage?metric=bulk&granularity=year&from=2000-01-01T00:00:00Z`,
    );
    expect(year.body.data.reduce((sum: number, p: { units: number }) => sum + p.units, 0)).toBe(20_000);
  });

  it('GET /usage: viewers read it, filtered and by period; bad parameters are a 400', async () => {
    const read = await as(
      'viewer',
      'GET',
      `/admin/v1/usage?accountId=${c.accountId}&metric=hits&granularity=month`,
    );
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual([
      expect.objectContaining({
        metric: 'hits',
        units: 7,
        start: `${thisHour.slice(0, 7)}-01T00:00:00.000Z`,
      }),
    ]);
    expect(
      (await as('viewer', 'GET', `/admin/v1/usage?planId=${c.planId}&metric=nothing`)).body.data,
    ).toEqual([]);
    expect((await as('gateway', 'GET', '/admin/v1/usage')).status).toBe(403);
    for (const query of [
      'granularity=week',
      'from=yesterday',
      'from=2026-01-01T00:00:00Z&to=2025-01-01T00:00:00Z',
    ]) {
      const bad = await h.call('GET', `/admin/v1/usage?${query}`);
      expect([bad.status, bad.body.code], query).toEqual([400, 'validation-failed']);
    }
    const tooLong = await h.call('GET', '/admin/v1/usage?granularity=hour&from=2000-01-01T00:00:00Z');
    expect(tooLong.body.detail).toMatch(/^from … to spans \d+ hours; at most 10000/);
  });

  it('GET /subscriptions/{id}/limits: each limit with what is used and left; 404 for an unknown one', async () => {
    const limits = [
      // Eternity, so that the answer does not depend on the hour the test runs in.
      { metric: 'hits', period: 'eternity', max: 5 },
      { metric: 'hits', period: 'minute', max: 2 },
    ];
    expect((await h.call('PATCH', `/admin/v1/plans/${c.planId}`, { limits })).status).toBe(200);
    const read = await as('viewer', 'GET', `/admin/v1/subscriptions/${subscriptionId}/limits`);
    expect(read.status).toBe(200);
    expect(read.body.data).toEqual([
      expect.objectContaining({
        metric: 'hits',
        period: 'eternity',
        max: 5,
        per: 'subscription',
        used: 7,
        remaining: 0,
        windowStart: null,
      }),
      expect.objectContaining({ metric: 'hits', period: 'minute', max: 2, used: null, remaining: null }),
    ]);
    expect(Date.parse(read.body.data[1].windowEnd) - Date.parse(read.body.data[1].windowStart)).toBe(60_000);
    for (const id of ['sub_00000000000000000000000000', 'nothing-here']) {
      const missing = await h.call('GET', `/admin/v1/subscriptions/${id}/limits`);
      expect([missing.status, missing.body.code]).toEqual([404, 'not-found']);
    }
    expect((await as('gateway', 'GET', `/admin/v1/subscriptions/${subscriptionId}/limits`)).status).toBe(403);
  });

  it('describes the three operations in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/admin/v1/openapi.json' })).json();
    expect(doc.paths['/admin/v1/usage'].get.operationId).toBe('getUsage');
    expect(doc.paths['/admin/v1/subscriptions/{subscription}/limits'].get.operationId).toBe(
      'getSubscriptionLimits',
    );
    expect(doc.paths['/admin/v1/sync/usage'].post.operationId).toBe('reportUsage');
  });

  it('GET /sync/counter-seeds: a gateway token gets what is used of the stored windows; viewers cannot', async () => {
    expect(
      (
        await h.call('PATCH', `/admin/v1/plans/${c.planId}`, {
          limits: [{ metric: 'hits', period: 'day', max: 50 }],
        })
      ).status,
    ).toBe(200);
    const batch = {
      id: randomUUID(),
      entries: [{ subscriptionId, metric: 'hits', hour: thisHour, units: 5 }],
    };
    expect((await as('gateway', 'POST', '/admin/v1/sync/usage', batch)).status).toBe(200);
    const answer = await as('gateway', 'GET', '/admin/v1/sync/counter-seeds');
    expect(answer.status).toBe(200);
    const mine = (answer.body.seeds as { key: string; period: string; used: number }[]).filter((seed) =>
      seed.key.includes(subscriptionId),
    );
    // Whatever the earlier tests here stored this hour, plus these 5.
    expect(mine).toEqual([{ key: `plan\n${subscriptionId}\nhits`, period: 'day', used: expect.any(Number) }]);
    expect(mine[0]?.used).toBeGreaterThanOrEqual(5);
    expect((await as('viewer', 'GET', '/admin/v1/sync/counter-seeds')).status).toBe(403);
  });
});
