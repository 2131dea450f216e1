// Usage on both stores: a batch counts once however often and however concurrently it is sent,
// entries of one batch merge, a malformed batch stores nothing; series by hour, day and month
// filtered by application, account and plan; what is left of each limit in its current window.
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';
import { type UsageBatch as MeterBatch, UsageMeter } from '../../gateway/metering/usage-meter.ts';
import { subscriptionCounterKey } from '../../policies/counters.ts';
import { usageBatches, usageCounts } from '../../store/schema/index.ts';
import type { UsageEntry } from '../model/usage.ts';
import {
  batchIdRetentionMs,
  counterSeeds,
  limitStatus,
  pruneUsageBatches,
  recordUsageBatch,
  usageBatchSchema,
  usageSeries,
} from './usage.ts';
import { currentRevision } from './write.ts';

const batch = (entries: UsageEntry[]) => ({ id: randomUUID(), entries });
const entry = (subscriptionId: string, metric: string, hour: string, units: number) => ({
  subscriptionId,
  metric,
  hour,
  units,
});

describe.each(storeKinds)('usage on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  const counts = async (subscriptionId: string) =>
    (
      await h.store.db
        .select({ metric: usageCounts.metric, hour: usageCounts.hour, units: usageCounts.units })
        .from(usageCounts)
        .where(eq(usageCounts.subscriptionId, subscriptionId))
        .orderBy(usageCounts.metric, usageCounts.hour)
    ).map((r) => `${r.metric} ${r.hour.toISOString()} ${r.units}`);
  const batchStored = async (id: string) =>
    (await h.store.db.select().from(usageBatches).where(eq(usageBatches.id, id))).length === 1;

  it('counts a batch once when it is sent three times, one after the other or all at once', async () => {
    const revision = await currentRevision(h.store.db);
    const once = batch([entry('sub_once', 'hits', '2026-03-01T10:00:00.000Z', 3)]);
    expect(await recordUsageBatch(h.store.db, once)).toEqual({ stored: true });
    expect(await recordUsageBatch(h.store.db, once)).toEqual({ stored: false });
    expect(await recordUsageBatch(h.store.db, once)).toEqual({ stored: false });
    expect(await counts('sub_once')).toEqual(['hits 2026-03-01T10:00:00.000Z 3']);

    const racing = batch([
      entry('sub_race', 'hits', '2026-03-01T10:00:00.000Z', 5),
      entry('sub_race', 'search', '2026-03-01T11:00:00.000Z', 2),
    ]);
    const answers = await Promise.all([1, 2, 3].map(() => recordUsageBatch(h.store.db, racing)));
    expect(answers.filter((a) => a.stored)).toHaveLength(1);
    expect(await counts('sub_race')).toEqual([
      'hits 2026-03-01T10:00:00.000Z 5',
      'search 2026-03-01T11:00:00.000Z 2',
    ]);
    // Usage is not configuration: no new revision for the gateways.
    expect(await currentRevision(h.store.db)).toBe(revision);
  });

  it('adds up different batches sent at once on the same counts, exactly', async () => {
    const hours = ['2026-03-02T00:00:00.000Z', '2026-03-02T01:00:00.000Z', '2026-03-02T02:00:00.000Z'];
    // Each batch lists the shared counts in another order: the upserts must not deadlock.
    const batches = [0, 1, 2, 3, 4, 5].map((i) =>
      batch(
        (i % 2 ? [...hours].reverse() : hours).flatMap((hour) => [
          entry('sub_many', 'hits', hour, i + 1),
          entry('sub_many', 'a', hour, 1),
        ]),
      ),
    );
    const answers = await Promise.all(batches.map((b) => recordUsageBatch(h.store.db, b)));
    expect(answers.every((a) => a.stored)).toBe(true);
    expect(await counts('sub_many')).toEqual([
      ...hours.map((hour) => `a ${hour} 6`),
      ...hours.map((hour) => `hits ${hour} 21`),
    ]);
  });

  it('merges entries of one batch that name the same count, however the hour is written', async () => {
    const merged = batch([
      entry('sub_merge', 'hits', '2026-03-03T05:00:00.000Z', 1),
      entry('sub_merge', 'hits', '2026-03-03T05:00:00Z', 2),
      entry('sub_merge', 'hits', '2026-03-03T07:00:00+02:00', 4),
      entry('sub_merge', 'hits', '2026-03-03T06:00:00.000Z', 8),
    ]);
    expect(await recordUsageBatch(h.store.db, merged)).toEqual({ stored: true });
    expect(await counts('sub_merge')).toEqual([
      'hits 2026-03-03T05:00:00.000Z 7',
      'hits 2026-03-03T06:00:00.000Z 8',
    ]);
  });

  it('stores a batch larger than one insert holds', async () => {
    const start = Date.parse('2020-01-01T00:00:00.000Z');
    const entries = Array.from({ length: 12_001 }, (_, i) =>
      entry('sub_big', `m${i % 3}`, new Date(start + Math.floor(i / 3) * 3_600_000).toISOString(), 1),
    );
    expect(await recordUsageBatch(h.store.db, batch(entries))).toEqual({ stored: true });
    expect((await counts('sub_big')).length).toBe(12_001);
  });

  it('refuses a malformed batch and stores none of it', async () => {
    const good = entry('sub_bad', 'hits', '2026-03-04T00:00:00.000Z', 1);
    const malformed: [string, unknown][] = [
      [
        'entries[1].hour: must be the start of a UTC hour',
        [good, { ...good, hour: '2026-03-04T00:30:00.000Z' }],
      ],
      ['entries[1].units: Too small: expected number to be >=1', [good, { ...good, units: 0 }]],
      ['entries[0].units', [{ ...good, units: 1.5 }]],
      ['entries[0].units', [{ ...good, units: 2 ** 53 }]],
      ['entries[0].hour', [{ ...good, hour: 'yesterday' }]],
      ['entries[0].metric', [{ ...good, metric: '' }]],
      ['entries[0].subscriptionId', [{ ...good, subscriptionId: 'x'.repeat(65) }]],
      ['entries', Array.from({ length: 100_001 }, () => good)],
      [
        'add up past 2^53',
        [
          { ...good, units: Number.MAX_SAFE_INTEGER },
          { ...good, units: 1 },
        ],
      ],
    ];
    for (const [message, entries] of malformed) {
      const id = randomUUID();
      await expect(recordUsageBatch(h.store.db, { id, entries } as never)).rejects.toThrow(message);
      expect(await batchStored(id)).toBe(false);
    }
    for (const id of ['', 'a'.repeat(65), 'not a uuid']) {
      await expect(recordUsageBatch(h.store.db, { id, entries: [good] })).rejects.toThrow(
        /^usage batch refused: id/,
      );
    }
    expect(await counts('sub_bad')).toEqual([]);
    expect(usageBatchSchema.safeParse({ id: randomUUID(), entries: [good] }).success).toBe(true);
  });

  it("stores what the gateway's meter hands over, as it is", async () => {
    let now = Date.parse('2026-03-05T09:59:59.000Z');
    const meter = new UsageMeter(() => now);
    meter.record('sub_meter', ['search', 'hits'], 2);
    now += 2_000; // the next hour
    meter.record('sub_meter', ['hits'], 1);
    const handed: MeterBatch | undefined = meter.take();
    if (!handed) throw new Error('the meter handed over nothing');
    expect(await recordUsageBatch(h.store.db, handed)).toEqual({ stored: true });
    expect(await counts('sub_meter')).toEqual([
      'hits 2026-03-05T09:00:00.000Z 2',
      'hits 2026-03-05T10:00:00.000Z 1',
      'search 2026-03-05T09:00:00.000Z 2',
    ]);
  });

  it('forgets batch ids after seven days, not before', async () => {
    const now = new Date('2026-03-20T00:00:00.000Z');
    const old = randomUUID();
    const recent = randomUUID();
    await h.store.db.insert(usageBatches).values([
      { id: old, receivedAt: new Date(now.getTime() - batchIdRetentionMs - 1000) },
      { id: recent, receivedAt: new Date(now.getTime() - batchIdRetentionMs + 60_000) },
    ]);
    expect(await pruneUsageBatches(h.store.db, now)).toBeGreaterThanOrEqual(1);
    expect(await batchStored(old)).toBe(false);
    expect(await batchStored(recent)).toBe(true);
  });

  describe('series', () => {
    let one: Awaited<ReturnType<typeof chain>>;
    let two: Awaited<ReturnType<typeof chain>>;
    const subs = { a1: '', a2: '', b1: '' };
    let appA2 = '';

    beforeAll(async () => {
      one = await chain(h, 'series-one', '/series-one');
      two = await chain(h, 'series-two', '/series-two');
      appA2 = (await created(h, '/admin/v1/applications', { accountId: one.accountId, name: 'second' })).id;
      const subscribe = async (applicationId: string, planId: string) =>
        (await created(h, '/admin/v1/subscriptions', { applicationId, planId })).id;
      subs.a1 = await subscribe(one.applicationId, one.planId);
      subs.a2 = await subscribe(appA2, one.planId);
      subs.b1 = await subscribe(two.applicationId, two.planId);
      await recordUsageBatch(
        h.store.db,
        batch([
          entry(subs.a1, 'hits', '2025-01-31T22:00:00.000Z', 1),
          entry(subs.a1, 'hits', '2025-01-31T23:00:00.000Z', 2),
          entry(subs.a1, 'search', '2025-01-31T23:00:00.000Z', 2),
          entry(subs.a1, 'hits', '2025-02-01T00:00:00.000Z', 4),
          entry(subs.a2, 'hits', '2025-02-01T00:00:00.000Z', 8),
          entry(subs.b1, 'hits', '2025-02-15T10:00:00.000Z', 16),
          entry(subs.b1, 'hits', '2025-03-01T00:00:00.000Z', 32), // after the range below
        ]),
      );
    });

    const range = { from: new Date('2025-01-31T00:00:00.000Z'), to: new Date('2025-03-01T00:00:00.000Z') };
    const series = async (
      filter: Parameters<typeof usageSeries>[1],
      granularity: 'hour' | 'day' | 'month',
    ) => {
      const result = await usageSeries(h.store.db, filter, { ...range, granularity });
      if (!result.ok) throw new Error(result.problem.detail);
      return result.value.map(
        (p) =>
          `${p.start} ${p.subscriptionId === subs.a1 ? 'a1' : p.subscriptionId === subs.a2 ? 'a2' : 'b1'} ${p.metric} ${p.units}`,
      );
    };

    it('by hour, day and month, sorted by start, subscription and metric', async () => {
      const byAccount = { accountId: one.accountId };
      expect(await series(byAccount, 'hour')).toEqual([
        '2025-01-31T22:00:00.000Z a1 hits 1',
        '2025-01-31T23:00:00.000Z a1 hits 2',
        '2025-01-31T23:00:00.000Z a1 search 2',
        ...[subs.a1, subs.a2]
          .sort()
          .map((s) => `2025-02-01T00:00:00.000Z ${s === subs.a1 ? 'a1 hits 4' : 'a2 hits 8'}`),
      ]);
      expect(await series({ applicationId: one.applicationId }, 'day')).toEqual([
        '2025-01-31T00:00:00.000Z a1 hits 3',
        '2025-01-31T00:00:00.000Z a1 search 2',
        '2025-02-01T00:00:00.000Z a1 hits 4',
      ]);
      expect(await series({ applicationId: one.applicationId, metric: 'hits' }, 'month')).toEqual([
        '2025-01-01T00:00:00.000Z a1 hits 3',
        '2025-02-01T00:00:00.000Z a1 hits 4',
      ]);
      expect(await series({ planId: two.planId }, 'month')).toEqual(['2025-02-01T00:00:00.000Z b1 hits 16']);
      expect(await series({ subscriptionId: subs.a2 }, 'day')).toEqual([
        '2025-02-01T00:00:00.000Z a2 hits 8',
      ]);
      expect(await series({ accountId: two.accountId, planId: one.planId }, 'day')).toEqual([]);
    });

    it('names the application, account and current plan of each row', async () => {
      const result = await usageSeries(
        h.store.db,
        { subscriptionId: subs.b1 },
        { ...range, granularity: 'month' },
      );
      expect(result).toEqual({
        ok: true,
        value: [
          {
            subscriptionId: subs.b1,
            applicationId: two.applicationId,
            accountId: two.accountId,
            planId: two.planId,
            metric: 'hits',
            start: '2025-02-01T00:00:00.000Z',
            units: 16,
          },
        ],
      });
    });

    it('counts whole periods: a range starting mid-month includes the whole month', async () => {
      const result = await usageSeries(
        h.store.db,
        { planId: one.planId },
        {
          granularity: 'month',
          from: new Date('2025-01-31T23:30:00.000Z'),
          to: new Date('2025-01-31T23:31:00.000Z'),
        },
      );
      expect(result.ok && result.value.map((p) => `${p.metric} ${p.units}`)).toEqual(['hits 3', 'search 2']);
    });

    it('lists usage of a deleted subscription without its application', async () => {
      const gone = await created(h, '/admin/v1/subscriptions', { applicationId: appA2, planId: two.planId });
      await recordUsageBatch(h.store.db, batch([entry(gone.id, 'hits', '2025-02-02T00:00:00.000Z', 5)]));
      expect((await h.call('DELETE', `/admin/v1/subscriptions/${gone.id}`)).status).toBe(204);
      const result = await usageSeries(h.store.db, { subscriptionId: gone.id }, range);
      expect(result.ok && result.value).toEqual([
        {
          subscriptionId: gone.id,
          applicationId: null,
          accountId: null,
          planId: null,
          metric: 'hits',
          start: '2025-02-02T00:00:00.000Z',
          units: 5,
        },
      ]);
      // Filters through the subscription no longer find it.
      const byApp = await usageSeries(h.store.db, { applicationId: appA2 }, range);
      expect(byApp.ok && byApp.value.map((p) => p.subscriptionId)).toEqual([subs.a2]);
    });

    it('refuses a range of more than 10,000 periods or one that ends before it starts', async () => {
      const tooLong = await usageSeries(
        h.store.db,
        {},
        {
          granularity: 'hour',
          from: new Date('2024-01-01T00:00:00.000Z'),
          to: new Date('2025-03-01T00:00:00.000Z'),
        },
      );
      expect(tooLong.ok || tooLong.problem).toMatchObject({ code: 'validation-failed' });
      const backwards = await usageSeries(h.store.db, {}, { from: range.to, to: range.from });
      expect(backwards.ok || backwards.problem.detail).toBe('from must be before to');
      const days = await usageSeries(
        h.store.db,
        { subscriptionId: 'sub_none' },
        {
          granularity: 'day',
          from: new Date('2000-01-01T00:00:00.000Z'),
          to: new Date('2025-03-01T00:00:00.000Z'),
        },
      );
      expect(days).toEqual({ ok: true, value: [] });
    });
  });

  describe('limits', () => {
    it('shows what is used and left of each limit in its current window; minute and end-user limits unknown', async () => {
      const c = await chain(h, 'limits', '/limits');
      const sub = await created(h, '/admin/v1/subscriptions', {
        applicationId: c.applicationId,
        planId: c.planId,
      });
      const limits = [
        { metric: 'hits', period: 'hour', max: 100 },
        { metric: 'hits', period: 'day', max: 10 },
        { metric: 'hits', period: 'month', max: 1000 },
        { metric: 'hits', period: 'year', max: 1000 },
        { metric: 'hits', period: 'eternity', max: 50 },
        { metric: 'hits', period: 'minute', max: 10 },
        { metric: 'search', period: 'second', max: 3 },
        { metric: 'search', period: 'day', max: 5, per: 'end-user' },
        { metric: 'orders', period: 'month', max: 9 },
      ];
      expect((await h.call('PATCH', `/admin/v1/plans/${c.planId}`, { limits })).status).toBe(200);
      await recordUsageBatch(
        h.store.db,
        batch([
          entry(sub.id, 'hits', '2026-03-10T14:00:00.000Z', 7),
          entry(sub.id, 'hits', '2026-03-10T13:00:00.000Z', 5),
          entry(sub.id, 'hits', '2026-03-09T23:00:00.000Z', 11),
          entry(sub.id, 'hits', '2026-02-28T10:00:00.000Z', 13),
          entry(sub.id, 'hits', '2025-12-31T23:00:00.000Z', 17),
          entry(sub.id, 'search', '2026-03-10T14:00:00.000Z', 4),
          entry('sub_someone_else', 'hits', '2026-03-10T14:00:00.000Z', 1000),
        ]),
      );
      const status = await limitStatus(h.store.db, sub.id, new Date('2026-03-10T14:30:15.500Z'));
      expect(status.ok && status.value).toEqual([
        {
          metric: 'hits',
          period: 'hour',
          max: 100,
          per: 'subscription',
          used: 7,
          remaining: 93,
          windowStart: '2026-03-10T14:00:00.000Z',
          windowEnd: '2026-03-10T15:00:00.000Z',
        },
        {
          metric: 'hits',
          period: 'day',
          max: 10,
          per: 'subscription',
          used: 12,
          remaining: 0,
          windowStart: '2026-03-10T00:00:00.000Z',
          windowEnd: '2026-03-11T00:00:00.000Z',
        },
        {
          metric: 'hits',
          period: 'month',
          max: 1000,
          per: 'subscription',
          used: 23,
          remaining: 977,
          windowStart: '2026-03-01T00:00:00.000Z',
          windowEnd: '2026-04-01T00:00:00.000Z',
        },
        {
          metric: 'hits',
          period: 'year',
          max: 1000,
          per: 'subscription',
          used: 36,
          remaining: 964,
          windowStart: '2026-01-01T00:00:00.000Z',
          windowEnd: '2027-01-01T00:00:00.000Z',
        },
        {
          metric: 'hits',
          period: 'eternity',
          max: 50,
          per: 'subscription',
          used: 53,
          remaining: 0,
          windowStart: null,
          windowEnd: null,
        },
        {
          metric: 'hits',
          period: 'minute',
          max: 10,
          per: 'subscription',
          used: null,
          remaining: null,
          windowStart: '2026-03-10T14:30:00.000Z',
          windowEnd: '2026-03-10T14:31:00.000Z',
        },
        {
          metric: 'search',
          period: 'second',
          max: 3,
          per: 'subscription',
          used: null,
          remaining: null,
          windowStart: '2026-03-10T14:30:15.000Z',
          windowEnd: '2026-03-10T14:30:16.000Z',
        },
        {
          metric: 'search',
          period: 'day',
          max: 5,
          per: 'end-user',
          used: null,
          remaining: null,
          windowStart: '2026-03-10T00:00:00.000Z',
          windowEnd: '2026-03-11T00:00:00.000Z',
        },
        {
          metric: 'orders',
          period: 'month',
          max: 9,
          per: 'subscription',
          used: 0,
          remaining: 9,
          windowStart: '2026-03-01T00:00:00.000Z',
          windowEnd: '2026-04-01T00:00:00.000Z',
        },
      ]);
      // An hour later the hour window is a new one; the next day, the day too.
      const later = await limitStatus(h.store.db, sub.id, new Date('2026-03-11T00:00:00.000Z'));
      expect(later.ok && later.value.slice(0, 3).map((l) => l.used)).toEqual([0, 0, 23]);
    });

    it('gives a starting gateway what active subscriptions used of their hour-and-longer limits', async () => {
      const c = await chain(h, 'seeds', '/seeds');
      const sub = await created(h, '/admin/v1/subscriptions', {
        applicationId: c.applicationId,
        planId: c.planId,
      });
      const limits = [
        { metric: 'hits', period: 'month', max: 1000 },
        { metric: 'hits', period: 'hour', max: 100 },
        { metric: 'hits', period: 'minute', max: 10 }, // not stored: no seed
        { metric: 'search', period: 'day', max: 5, per: 'end-user' }, // per end user: no seed
        { metric: 'search', period: 'day', max: 50 },
        { metric: 'orders', period: 'eternity', max: 9 },
        { metric: 'unused', period: 'day', max: 9 }, // nothing used: no seed
      ];
      expect((await h.call('PATCH', `/admin/v1/plans/${c.planId}`, { limits })).status).toBe(200);
      await recordUsageBatch(
        h.store.db,
        batch([
          entry(sub.id, 'hits', '2026-03-10T14:00:00.000Z', 7),
          entry(sub.id, 'hits', '2026-03-02T13:00:00.000Z', 5),
          entry(sub.id, 'hits', '2026-02-28T10:00:00.000Z', 13),
          entry(sub.id, 'search', '2026-03-10T01:00:00.000Z', 4),
          entry(sub.id, 'orders', '2024-06-01T00:00:00.000Z', 2),
          entry(sub.id, 'orders', '2026-03-10T14:00:00.000Z', 1),
        ]),
      );
      const now = new Date('2026-03-10T14:30:00.000Z');
      const mine = async () =>
        (await counterSeeds(h.store.db, now))
          .filter((seed) => seed.key.startsWith(`plan\n${sub.id}\n`))
          .map((seed) => `${seed.key.split('\n')[2]} ${seed.period} ${seed.used}`)
          .sort();
      expect(await mine()).toEqual(['hits hour 7', 'hits month 12', 'orders eternity 3', 'search day 4']);
      // The key is the one the plan-limits policy counts under.
      expect((await counterSeeds(h.store.db, now)).map((seed) => seed.key)).toContain(
        subscriptionCounterKey(sub.id, 'hits'),
      );
      // A suspended subscription lets nothing through: nothing to start from.
      expect(
        (await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { state: 'suspended' })).status,
      ).toBe(200);
      expect(await mine()).toEqual([]);
    });

    it('keeps the usage when the subscription changes plan, and has none for a plan without limits', async () => {
      const c = await chain(h, 'moving', '/moving');
      const sub = await created(h, '/admin/v1/subscriptions', {
        applicationId: c.applicationId,
        planId: c.planId,
      });
      expect(await limitStatus(h.store.db, sub.id)).toEqual({ ok: true, value: [] });
      const gold = await created(h, '/admin/v1/plans', {
        productId: c.productId,
        name: 'gold',
        limits: [{ metric: 'hits', period: 'day', max: 10 }],
      });
      const now = new Date('2026-03-10T12:00:00.000Z');
      await recordUsageBatch(h.store.db, batch([entry(sub.id, 'hits', '2026-03-10T09:00:00.000Z', 4)]));
      expect((await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { planId: gold.id })).status).toBe(
        200,
      );
      const status = await limitStatus(h.store.db, sub.id, now);
      expect(status.ok && status.value.map((l) => [l.used, l.remaining])).toEqual([[4, 6]]);
    });

    it('answers not-found for an unknown subscription', async () => {
      for (const id of ['sub_00000000000000000000000000', 'nothing-here']) {
        const status = await limitStatus(h.store.db, id);
        expect(status.ok || status.problem.code).toBe('not-found');
      }
    });
  });
});
