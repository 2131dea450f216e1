// The behaviour every CounterStore shares, as one vitest suite that stores.test.ts runs over each
// store (hono runs one router suite over all its routers the same way).
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { CounterStore, LimitCheck, Period, Verdict } from './store.ts';

/** Opens a store whose clock is `now` (epoch ms). Stores opened by one suite may share counts. */
export type OpenCounterStore = (now: () => number) => CounterStore | Promise<CounterStore>;

export interface ConformanceOptions {
  /**
   * How many stores to spread concurrent callers over, like several gateway nodes on one Redis.
   * 1 for a store whose instances do not share counts (in-process).
   */
  readonly nodes?: number;
}

/** Wednesday 14 May 2031, 10:30:20.500 UTC: in the middle of every window. */
const t0 = Date.UTC(2031, 4, 14, 10, 30, 20, 500);
const day = 86_400;

export function describeCounterStore(name: string, open: OpenCounterStore, options: ConformanceOptions = {}) {
  describe(`counter store conformance: ${name}`, () => {
    let time = t0;
    const opened: CounterStore[] = [];
    const openStore = async () => {
      const store = await open(() => time);
      opened.push(store);
      return store;
    };
    afterEach(async () => {
      time = t0;
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    /** A key no other test (or other run of this suite on a shared Redis) uses. */
    const freshKey = () => `test:${randomUUID()}`;
    const check = (key: string, period: Period, max: number): LimitCheck => ({ key, period, max });
    const used = (verdict: Verdict) => verdict.limits.map((limit) => limit.used);

    it('allows up to max, then refuses without counting', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'minute', 3)];
      for (const expected of [1, 2, 3]) {
        const verdict = await store.consume(limit, 1);
        expect(verdict.allowed).toBe(true);
        expect(verdict.limits[0]).toMatchObject({ used: expected, remaining: 3 - expected });
      }
      const refused = await store.consume(limit, 1);
      expect(refused.allowed).toBe(false);
      expect(refused.limits[0]).toMatchObject({ used: 3, remaining: 0 });
      expect(refused.degraded).toBeUndefined();
    });

    it('counts all checks or none: a call refused by one limit uses up no other', async () => {
      const store = await openStore();
      const wide = check(freshKey(), 'month', 5);
      const narrow = check(freshKey(), 'minute', 2);
      expect((await store.consume([wide, narrow], 2)).allowed).toBe(true);
      const refused = await store.consume([wide, narrow], 1);
      expect(refused.allowed).toBe(false);
      expect(used(refused)).toEqual([2, 2]);
      expect(used(await store.consume([wide], 0))).toEqual([2]);
      // The wide limit alone still has its room.
      expect(used(await store.consume([wide], 3))).toEqual([5]);
    });

    it('counts several units at once, refusing a call that would pass max', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'hour', 10)];
      expect(used(await store.consume(limit, 4))).toEqual([4]);
      const tooMany = await store.consume(limit, 7);
      expect(tooMany.allowed).toBe(false);
      expect(tooMany.limits[0]).toMatchObject({ used: 4, remaining: 6 });
      const exact = await store.consume(limit, 6);
      expect(exact.allowed).toBe(true);
      expect(exact.limits[0]).toMatchObject({ used: 10, remaining: 0 });
      expect((await store.consume(limit, 1)).allowed).toBe(false);
    });

    it('only reads with 0 units', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'day', 2)];
      expect(await store.consume(limit, 0)).toMatchObject({
        allowed: true,
        limits: [{ used: 0, remaining: 2 }],
      });
      await store.consume(limit, 2);
      // Full, but reading does not need room.
      expect(await store.consume(limit, 0)).toMatchObject({
        allowed: true,
        limits: [{ used: 2, remaining: 0 }],
      });
      expect(await store.consume(limit, 0)).toMatchObject({ allowed: true, limits: [{ used: 2 }] });
    });

    it('refuses any positive units with max 0, and counts nothing elsewhere', async () => {
      const store = await openStore();
      const closed = check(freshKey(), 'minute', 0);
      const open = check(freshKey(), 'minute', 10);
      const verdict = await store.consume([open, closed], 1);
      expect(verdict.allowed).toBe(false);
      expect(verdict.limits[1]).toMatchObject({ used: 0, remaining: 0 });
      expect(used(await store.consume([open, closed], 0))).toEqual([0, 0]);
      expect((await store.consume([closed], 0)).allowed).toBe(true);
    });

    it('reports remaining 0, never less, when the max was lowered below what is used', async () => {
      const store = await openStore();
      const key = freshKey();
      await store.consume([check(key, 'minute', 5)], 5);
      const lowered = await store.consume([check(key, 'minute', 3)], 0);
      expect(lowered).toMatchObject({ allowed: false, limits: [{ used: 5, remaining: 0 }] });
    });

    it('keeps keys and periods apart', async () => {
      const store = await openStore();
      const [a, b] = [freshKey(), freshKey()];
      await store.consume([check(a, 'minute', 1)], 1);
      expect((await store.consume([check(a, 'minute', 1)], 1)).allowed).toBe(false);
      expect((await store.consume([check(b, 'minute', 1)], 1)).allowed).toBe(true);
      expect((await store.consume([check(a, 'hour', 1)], 1)).allowed).toBe(true);
    });

    it('counts a check listed twice once', async () => {
      const store = await openStore();
      const limit = check(freshKey(), 'minute', 5);
      expect(used(await store.consume([limit, limit], 2))).toEqual([2, 2]);
      expect(used(await store.consume([limit], 0))).toEqual([2]);
    });

    it('allows an empty list of checks', async () => {
      const store = await openStore();
      expect(await store.consume([], 1)).toMatchObject({ allowed: true, limits: [] });
    });

    it('refuses invalid units as a bug', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'minute', 5)];
      for (const units of [-1, 1.5, Number.NaN]) {
        await expect(async () => store.consume(limit, units)).rejects.toThrow(RangeError);
      }
    });

    it('reports the seconds to each window end, rounded up', async () => {
      const store = await openStore();
      const key = freshKey();
      const expected: Record<Period, number> = {
        second: 1,
        minute: 40,
        hour: 29 * 60 + 40,
        day: 13 * 3600 + 29 * 60 + 40,
        month: Math.ceil((Date.UTC(2031, 5, 1) - t0) / 1000),
        year: Math.ceil((Date.UTC(2032, 0, 1) - t0) / 1000),
        eternity: Number.POSITIVE_INFINITY,
      };
      const periods = Object.keys(expected) as Period[];
      const verdict = await store.consume(
        periods.map((period) => check(key, period, 9)),
        1,
      );
      expect(verdict.limits.map((limit) => limit.resetSeconds)).toEqual(Object.values(expected));
      time = Date.UTC(2031, 4, 14, 10, 30, 59, 999);
      expect((await store.consume([check(key, 'minute', 9)], 0)).limits[0]?.resetSeconds).toBe(1);
      time = Date.UTC(2031, 4, 14, 10, 31);
      expect((await store.consume([check(key, 'minute', 9)], 0)).limits[0]?.resetSeconds).toBe(60);
    });

    const fixed: [Period, number][] = [
      ['second', 1000],
      ['minute', 60_000],
      ['hour', 3_600_000],
      ['day', 86_400_000],
    ];
    it.each(fixed)('starts a new %s window at its boundary', async (period, length) => {
      const store = await openStore();
      const limit = [check(freshKey(), period, 2)];
      await store.consume(limit, 2);
      time = Math.floor(t0 / length) * length + length - 1;
      expect(await store.consume(limit, 1)).toMatchObject({ allowed: false, limits: [{ resetSeconds: 1 }] });
      time += 1;
      const next = await store.consume(limit, 1);
      expect(next).toMatchObject({ allowed: true, limits: [{ used: 1, resetSeconds: length / 1000 }] });
    });

    it('starts a new month on the 1st, after 29 February in a leap year', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'month', 1)];
      time = Date.UTC(2028, 1, 1);
      expect((await store.consume(limit, 1)).limits[0]?.resetSeconds).toBe(29 * day);
      time = Date.UTC(2028, 1, 29, 23, 59, 59, 999);
      expect(await store.consume(limit, 1)).toMatchObject({ allowed: false, limits: [{ resetSeconds: 1 }] });
      time += 1;
      expect(await store.consume(limit, 1)).toMatchObject({
        allowed: true,
        limits: [{ resetSeconds: 31 * day }],
      });
    });

    it('ends February 2100 on the 28th (not a leap year)', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'month', 1)];
      time = Date.UTC(2100, 1, 28, 12);
      expect((await store.consume(limit, 1)).limits[0]?.resetSeconds).toBe(day / 2);
      time = Date.UTC(2100, 2, 1);
      expect((await store.consume(limit, 1)).allowed).toBe(true);
    });

    it('starts a new month and year on 1 January', async () => {
      const store = await openStore();
      const key = freshKey();
      const limits = [check(key, 'month', 1), check(key, 'year', 1)];
      time = Date.UTC(2030, 11, 31, 23, 59, 59);
      expect(await store.consume(limits, 1)).toMatchObject({
        allowed: true,
        limits: [{ resetSeconds: 1 }, { resetSeconds: 1 }],
      });
      expect((await store.consume(limits, 1)).allowed).toBe(false);
      time = Date.UTC(2031, 0, 1);
      expect(await store.consume(limits, 1)).toMatchObject({
        allowed: true,
        limits: [
          { used: 1, resetSeconds: 31 * day },
          { used: 1, resetSeconds: 365 * day },
        ],
      });
      time = Date.UTC(2032, 0, 1);
      expect((await store.consume([limits[1] as LimitCheck], 0)).limits[0]?.resetSeconds).toBe(366 * day);
    });

    it('never starts a new eternity', async () => {
      const store = await openStore();
      const limit = [check(freshKey(), 'eternity', 1)];
      expect((await store.consume(limit, 1)).limits[0]?.resetSeconds).toBe(Number.POSITIVE_INFINITY);
      time = Date.UTC(2131, 0, 1);
      expect(await store.consume(limit, 1)).toMatchObject({ allowed: false, limits: [{ used: 1 }] });
    });

    const nodes = options.nodes ?? 1;
    const openNodes = () => Promise.all(Array.from({ length: nodes }, openStore));

    it(`admits exactly min(calls, max) of concurrent one-unit calls (${nodes} node(s))`, async () => {
      const stores = await openNodes();
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 60 }),
          fc.integer({ min: 0, max: 40 }),
          async (calls, max) => {
            const limit = [check(freshKey(), 'minute', max)];
            const verdicts = await Promise.all(
              Array.from({ length: calls }, (_, i) => (stores[i % nodes] as CounterStore).consume(limit, 1)),
            );
            expect(verdicts.filter((verdict) => verdict.allowed)).toHaveLength(Math.min(calls, max));
            expect(used(await (stores[0] as CounterStore).consume(limit, 0))).toEqual([Math.min(calls, max)]);
          },
        ),
        { numRuns: 40 },
      );
    });

    it(`never admits more than max over random concurrent calls (${nodes} node(s))`, async () => {
      const stores = await openNodes();
      const counter = fc.record({
        key: fc.integer({ min: 0, max: 2 }),
        period: fc.constantFrom<Period>('second', 'minute', 'month', 'eternity'),
        max: fc.integer({ min: 0, max: 12 }),
      });
      // Four different counters (key and period), so each has one max.
      const pool4 = fc.uniqueArray(counter, {
        minLength: 4,
        maxLength: 4,
        selector: (c) => `${c.key} ${c.period}`,
      });
      const calls = fc.array(
        fc.record({
          limits: fc.uniqueArray(fc.nat({ max: 3 }), { minLength: 1, maxLength: 4 }),
          units: fc.integer({ min: 0, max: 4 }),
        }),
        { minLength: 1, maxLength: 40 },
      );
      await fc.assert(
        fc.asyncProperty(pool4, calls, async (counters, asked) => {
          const keys = [freshKey(), freshKey(), freshKey()];
          const pool = counters.map((c) => check(keys[c.key] as string, c.period, c.max));
          const verdicts = await Promise.all(
            asked.map(({ limits, units }, i) =>
              (stores[i % nodes] as CounterStore).consume(
                limits.map((l) => pool[l] as LimitCheck),
                units,
              ),
            ),
          );
          const final = await (stores[0] as CounterStore).consume(pool, 0);
          const finalUsed = new Map(pool.map((c, i) => [`${c.key} ${c.period}`, final.limits[i]?.used ?? 0]));
          // Admitted units per counter: what the store counted, and never more than any max on it.
          const admitted = new Map<string, number>();
          asked.forEach(({ limits, units }, i) => {
            if (!verdicts[i]?.allowed) return;
            const counted = new Set(limits.map((l) => `${pool[l]?.key} ${pool[l]?.period}`));
            for (const name of counted) admitted.set(name, (admitted.get(name) ?? 0) + units);
          });
          for (const c of pool) {
            const name = `${c.key} ${c.period}`;
            expect(admitted.get(name) ?? 0).toBeLessThanOrEqual(c.max);
            expect(finalUsed.get(name)).toBe(admitted.get(name) ?? 0);
          }
          // Counts only grow within a window, so a refused call still lacks room at the end.
          asked.forEach(({ limits, units }, i) => {
            if (verdicts[i]?.allowed) return;
            const lacking = limits.some((l) => {
              const c = pool[l] as LimitCheck;
              return (finalUsed.get(`${c.key} ${c.period}`) ?? 0) + units > c.max;
            });
            expect(lacking).toBe(true);
          });
        }),
        { numRuns: 60 },
      );
    });
  });
}
