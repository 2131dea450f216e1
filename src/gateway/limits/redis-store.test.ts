// What only the Redis store has: its key layout and expiry, its Lua calendar, its own clock, and
// what it answers when Redis is slow or gone. The shared behaviour is in stores.test.ts.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowOfLua } from './redis-script.ts';
import { expiryMarginMs, RedisCounterStore } from './redis-store.ts';
import { type LimitCheck, type Period, periods, windowOf } from './store.ts';
import { stallingProxy, testRedisUrl, useTestRedis } from './testing.ts';

describe('RedisCounterStore', () => {
  const redis = useTestRedis();
  const admin = () => redis.admin();
  const keysOf = (pattern: string) => admin().keys(`${redis.prefix}${pattern}`);

  it('names keys prefix, key, period and window start, and expires them after the window', async () => {
    const t0 = Date.UTC(2031, 4, 14, 10, 30, 20, 500);
    const store = await redis.open({ testNow: () => t0 });
    const key = `plan:${randomUUID()}:hits`;
    await store.consume(
      periods.map((period) => ({ key, period, max: 5 })),
      1,
    );
    for (const period of periods) {
      const { start, end } = windowOf(period, t0);
      const name = `${redis.prefix}${key}:${period}:${start}`;
      expect(await admin().get(name)).toBe('1');
      const ttl = await admin().pttl(name);
      if (period === 'eternity') expect(ttl).toBe(-1);
      else {
        expect(ttl).toBeLessThanOrEqual(end - t0 + expiryMarginMs);
        expect(ttl).toBeGreaterThan(end - t0 + expiryMarginMs - 1000);
      }
    }
    await store.close();
  });

  it("takes the time from Redis: windows and expiry follow Redis's clock", async () => {
    const store = await redis.open();
    const key = randomUUID();
    const before = await redis.time();
    const verdict = await store.consume(
      periods.map((period) => ({ key, period, max: 5 })),
      1,
    );
    const after = await redis.time();
    expect(verdict.allowed).toBe(true);
    const lengths: Record<Period, number> = {
      second: 1000,
      minute: 60_000,
      hour: 3_600_000,
      day: 86_400_000,
      month: 31 * 86_400_000,
      year: 366 * 86_400_000,
      eternity: -1,
    };
    for (const [i, period] of periods.entries()) {
      const names = await keysOf(`${key}:${period}:*`);
      expect(names).toHaveLength(1);
      const start = Number(names[0]?.split(':').at(-1));
      expect([windowOf(period, before).start, windowOf(period, after).start]).toContain(start);
      const ttl = await admin().pttl(names[0] as string);
      if (period === 'eternity') expect(ttl).toBe(-1);
      else {
        expect(ttl).toBeGreaterThan(0);
        expect(ttl).toBeLessThanOrEqual(lengths[period] + expiryMarginMs);
        const reset = verdict.limits[i]?.resetSeconds ?? 0;
        expect(Math.abs(reset - Math.ceil((windowOf(period, start).end - after) / 1000))).toBeLessThanOrEqual(
          1,
        );
      }
    }
    await store.close();
  });

  it('starts a new one-second window on the real clock', async () => {
    const store = await redis.open();
    const limit = [{ key: randomUUID(), period: 'second' as const, max: 1 }];
    // Begin early in a second of Redis's clock, so the first two calls share a window.
    const ms = (await redis.time()) % 1000;
    if (ms > 500) await sleep(1000 - ms + 20);
    expect((await store.consume(limit, 1)).allowed).toBe(true);
    expect((await store.consume(limit, 1)).allowed).toBe(false);
    await sleep(1000 - ((await redis.time()) % 1000) + 20);
    expect(await store.consume(limit, 1)).toMatchObject({ allowed: true, limits: [{ used: 1 }] });
    await store.close();
  });

  it('computes windows in Lua exactly as windowOf, across leap years and year ends', async () => {
    const script = `${windowOfLua}
      local out = {}
      for i = 2, #ARGV do
        local start, finish = window_of(ARGV[1], tonumber(ARGV[i]))
        out[#out + 1] = start
        out[#out + 1] = finish
      end
      return out`;
    const compare = async (period: Period, times: number[]) => {
      const reply = (await admin().eval(script, 0, period, ...times)) as number[];
      const expected = times.flatMap((t) => {
        const { start, end } = windowOf(period, t);
        return [start, end === Number.POSITIVE_INFINITY ? -1 : end];
      });
      expect(reply).toEqual(expected);
    };
    // Each month's first millisecond and the one before it, in years with and without 29 February.
    const edges = [1970, 1999, 2000, 2023, 2024, 2038, 2099, 2100, 2104, 2399, 2400].flatMap((year) =>
      Array.from({ length: 12 }, (_, month) => Date.UTC(year, month, 1)).flatMap((t) => [t - 1, t, t + 1]),
    );
    for (const period of periods)
      await compare(
        period,
        edges.filter((t) => t >= 0),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...periods),
        fc.array(fc.integer({ min: 0, max: Date.UTC(2400, 0, 1) }), { minLength: 1, maxLength: 100 }),
        compare,
      ),
      { numRuns: 200 },
    );
  });

  it('reloads its script when Redis has forgotten it (after a restart)', async () => {
    const store = await redis.open();
    const limit = [{ key: randomUUID(), period: 'minute' as const, max: 5 }];
    await admin().script('FLUSH');
    expect(await store.consume(limit, 1)).toMatchObject({ allowed: true, limits: [{ used: 1 }] });
    await store.close();
  });

  it('answers degraded instead of throwing when the script fails', async () => {
    const t0 = Date.UTC(2031, 4, 14, 10, 30, 20, 500);
    const seen: Error[] = [];
    const store = await redis.open({ testNow: () => t0, onError: (error) => seen.push(error) });
    const key = randomUUID();
    await admin().lpush(`${redis.prefix}${key}:minute:${windowOf('minute', t0).start}`, 'not a counter');
    const verdict = await store.consume([{ key, period: 'minute', max: 5 }], 1);
    expect(verdict).toMatchObject({ allowed: true, degraded: true, limits: [{ used: 0, remaining: 5 }] });
    expect(seen[0]?.message).toMatch(/WRONGTYPE/);
    await store.close();
  });

  describe('when Redis cannot answer', () => {
    const checks: LimitCheck[] = [
      { key: 'k', period: 'minute', max: 10 },
      { key: 'k', period: 'eternity', max: 3 },
    ];
    const timed = async (store: RedisCounterStore) => {
      const started = performance.now();
      const verdict = await store.consume(checks, 1);
      return { verdict, ms: performance.now() - started };
    };
    const reset = () => Math.ceil((windowOf('minute', Date.now()).end - Date.now()) / 1000);

    it.each([
      ['open', true, [10, 3]],
      ['closed', false, [0, 0]],
    ] as const)('fails %s at once when Redis is unreachable', async (failure, allowed, remaining) => {
      const seen: Error[] = [];
      const store = new RedisCounterStore({
        url: 'redis://127.0.0.1:1',
        failure,
        onError: (error) => seen.push(error),
      });
      for (let i = 0; i < 3; i++) {
        const { verdict, ms } = await timed(store);
        expect(ms).toBeLessThan(300);
        expect(verdict).toMatchObject({ allowed, degraded: true });
        expect(verdict.limits.map((limit) => limit.remaining)).toEqual(remaining);
        expect(Math.abs((verdict.limits[0]?.resetSeconds ?? 0) - reset())).toBeLessThanOrEqual(1);
        expect(verdict.limits[1]?.resetSeconds).toBe(Number.POSITIVE_INFINITY);
      }
      expect(seen.length).toBeGreaterThan(0);
      await store.close();
    });

    it.each([
      ['open', true],
      ['closed', false],
    ] as const)('fails %s within the timeout when Redis stalls, and recovers', async (failure, allowed) => {
      const proxy = await stallingProxy(testRedisUrl);
      const seen: Error[] = [];
      const store = await redis.open({
        url: proxy.url,
        failure,
        timeoutMs: 50,
        onError: (error) => seen.push(error),
      });
      proxy.stall();
      const { verdict, ms } = await timed(store);
      expect(verdict).toMatchObject({ allowed, degraded: true });
      expect(ms).toBeGreaterThanOrEqual(45);
      expect(ms).toBeLessThan(300);
      expect(seen.map((error) => error.message)).toContain('Command timed out');
      proxy.resume();
      await sleep(50);
      expect(
        (await store.consume([{ key: randomUUID(), period: 'minute', max: 1 }], 1)).degraded,
      ).toBeUndefined();
      await store.close();
      await proxy.close();
    });
  });
});
