import { describe, expect, it } from 'vitest';
import { UsageMeter } from './usage-meter.ts';

describe('usage meter', () => {
  it('sums units per subscription, metric and hour, and hands them over once', () => {
    let now = Date.UTC(2026, 10, 21, 10, 15);
    const meter = new UsageMeter(() => now);
    meter.record('sub_a', ['forecast', 'hits'], 1);
    meter.record('sub_a', ['forecast', 'hits'], 2);
    meter.record('sub_b', ['hits'], 1);
    meter.record('sub_b', ['hits'], 0);
    now = Date.UTC(2026, 10, 21, 11, 0, 1); // the next hour
    meter.record('sub_a', ['hits'], 5);
    const batch = meter.take();
    expect(batch?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(batch?.entries).toEqual([
      { subscriptionId: 'sub_a', metric: 'forecast', hour: '2026-11-21T10:00:00.000Z', units: 3 },
      { subscriptionId: 'sub_a', metric: 'hits', hour: '2026-11-21T10:00:00.000Z', units: 3 },
      { subscriptionId: 'sub_b', metric: 'hits', hour: '2026-11-21T10:00:00.000Z', units: 1 },
      { subscriptionId: 'sub_a', metric: 'hits', hour: '2026-11-21T11:00:00.000Z', units: 5 },
    ]);
    expect(meter.take()).toBeUndefined();
    meter.record('sub_a', ['hits'], 1);
    const next = meter.take();
    expect(next?.id).not.toBe(batch?.id);
    expect(next?.entries).toEqual([
      { subscriptionId: 'sub_a', metric: 'hits', hour: '2026-11-21T11:00:00.000Z', units: 1 },
    ]);
  });
});
