// Both counter stores through the shared conformance suite (the Redis one spread over three
// connections, like three gateway nodes), and what only the memory store has: its sweep and seeds.
import { describe, expect, it } from 'vitest';
import { describeCounterStore } from './conformance.ts';
import { MemoryCounterStore } from './memory-store.ts';
import { useTestRedis } from './testing.ts';

describeCounterStore('memory', (now) => new MemoryCounterStore({ now, sweepIntervalMs: 0 }));

describe('redis', () => {
  const redis = useTestRedis();
  describeCounterStore('redis', (now) => redis.open({ testNow: now }), { nodes: 3 });
});

describe('MemoryCounterStore', () => {
  it('drops ended windows when swept, and keeps live ones and eternity', async () => {
    let time = Date.UTC(2031, 4, 14, 10, 30, 20);
    const store = new MemoryCounterStore({ now: () => time, sweepIntervalMs: 0 });
    store.consume(
      (['second', 'minute', 'day', 'eternity'] as const).map((period) => ({ key: 'k', period, max: 5 })),
      1,
    );
    expect(store.size).toBe(4);
    time += 60_000;
    store.sweep();
    expect(store.size).toBe(2);
    await store.close();
  });

  it('reuses a window that rolled over instead of holding one per window', () => {
    let time = 0;
    const store = new MemoryCounterStore({ now: () => time, sweepIntervalMs: 0 });
    for (; time < 10_000; time += 500) store.consume([{ key: 'k', period: 'second', max: 1 }], 1);
    expect(store.size).toBe(1);
  });

  it('starts from seeded usage in the current window only, adding to what it counted', () => {
    let time = Date.UTC(2031, 4, 31, 23, 59, 0);
    const store = new MemoryCounterStore({ now: () => time, sweepIntervalMs: 0 });
    const month = [{ key: 'k', period: 'month' as const, max: 10 }];
    store.consume(month, 1);
    store.seed([{ key: 'k', period: 'month', used: 7 }]);
    const verdict = store.consume(month, 2);
    expect(verdict).toMatchObject({ allowed: true, limits: [{ used: 10, remaining: 0 }] });
    expect(store.consume(month, 1).allowed).toBe(false);
    // June is a new month: the seed belonged to May.
    time += 60_000;
    expect(store.consume(month, 1)).toMatchObject({ allowed: true, limits: [{ used: 1 }] });
    expect(() => store.seed([{ key: 'k', period: 'day', used: -1 }])).toThrow(RangeError);
  });
});
