import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../gateway/limits/memory-store.ts';
import type { Consumer, PolicyResponse } from '../context.ts';
import type { PlanRules } from '../counters.ts';
import { type TestContextInit, testConsumer, testContext } from '../test-context.ts';
import { planLimits } from './policy.ts';
import { planLimitsSchema } from './schema.ts';

const consumer = (subscriptionId: string, subject?: string): Consumer =>
  testConsumer({ applicationId: 'app_1', accountId: 'acc_1', planId: 'pln_public', subscriptionId, subject });

const plan: PlanRules = {
  id: 'pln_public',
  limits: [
    { metric: 'hits', period: 'hour', max: 5, per: 'subscription' },
    { metric: 'search', period: 'minute', max: 2, per: 'subscription' },
    { metric: 'hits', period: 'minute', max: 3, per: 'end-user' },
  ],
  disabledMetrics: ['delete_order'],
};

function setUp(now = () => 1_800_000_000_000) {
  const counters = new MemoryCounterStore({ now, sweepIntervalMs: 0 });
  const metered: [string, string[], number][] = [];
  const handler = planLimits.create(planLimitsSchema.parse({}), {
    credentialOptional: false,
    plans: new Map([[plan.id, plan]]),
    counters,
    meter: {
      record: (subscription, metrics, units) => void metered.push([subscription, [...metrics], units]),
    },
  });
  const call = (init: TestContextInit) => {
    const ctx = testContext(init);
    return { ctx, outcome: handler(ctx) as PolicyResponse | undefined };
  };
  return { call, counters, metered };
}

describe('plan-limits', () => {
  it('counts a call in its metric and its parents, and refuses at the first full limit with 429', () => {
    const { call } = setUp();
    const search = { consumer: consumer('sub_1'), metrics: ['search', 'hits'] };
    expect(call(search).outcome).toBeUndefined();
    const second = call(search);
    expect(second.outcome).toBeUndefined();
    // The per-minute search limit is the closest to running out: 0 left.
    expect(second.ctx.responseHeaders.get('ratelimit-policy')).toBe('"search/minute";q=2;w=60');
    expect(second.ctx.responseHeaders.get('ratelimit')).toMatch(/^"search\/minute";r=0;t=\d+$/);
    const third = call(search).outcome;
    expect(third).toMatchObject({ code: 'rate-limited' });
    expect(third && 'detail' in third && third.detail).toMatch(
      /^The plan allows 2 search per minute; try again in \d+ s\.$/,
    );
    expect(third && 'headers' in third && third.headers?.['retry-after']).toMatch(/^\d+$/);
    // The refused call counted nowhere: 3 hits left of 5 this hour, so 3 plain calls pass.
    for (let i = 0; i < 3; i++) expect(call({ consumer: consumer('sub_1') }).outcome).toBeUndefined();
    expect(call({ consumer: consumer('sub_1') }).outcome).toMatchObject({ code: 'rate-limited' });
  });

  it('counts per subscription, so another subscription has its own allowance', () => {
    const { call } = setUp();
    for (let i = 0; i < 5; i++) call({ consumer: consumer('sub_1') });
    expect(call({ consumer: consumer('sub_1') }).outcome).toMatchObject({ code: 'rate-limited' });
    expect(call({ consumer: consumer('sub_2') }).outcome).toBeUndefined();
  });

  it('adds the route delta and refuses a call that does not fit whole', () => {
    const { call } = setUp();
    expect(call({ consumer: consumer('sub_1'), delta: 4 }).outcome).toBeUndefined();
    expect(call({ consumer: consumer('sub_1'), delta: 2 }).outcome).toMatchObject({ code: 'rate-limited' });
    expect(call({ consumer: consumer('sub_1'), delta: 1 }).outcome).toBeUndefined();
  });

  it('limits each end user within the application, and callers without one by subscription only', () => {
    const { call } = setUp();
    for (let i = 0; i < 3; i++)
      expect(call({ consumer: consumer('sub_1', 'usr_a') }).outcome).toBeUndefined();
    expect(call({ consumer: consumer('sub_1', 'usr_a') }).outcome).toMatchObject({ code: 'rate-limited' });
    expect(call({ consumer: consumer('sub_1', 'usr_b') }).outcome).toBeUndefined();
    expect(call({ consumer: consumer('sub_1') }).outcome).toBeUndefined();
  });

  it('refuses a disabled metric with 403 before counting anything', () => {
    const { call } = setUp();
    expect(call({ consumer: consumer('sub_1'), metrics: ['delete_order', 'hits'] }).outcome).toMatchObject({
      code: 'metric-disabled',
      detail: 'The plan does not include delete_order.',
    });
    for (let i = 0; i < 5; i++) expect(call({ consumer: consumer('sub_1') }).outcome).toBeUndefined();
  });

  it('lets calls of plans without limits, and calls with no plan, through untouched', () => {
    const { call } = setUp();
    const free = { ...consumer('sub_9'), planId: 'pln_free' };
    expect(call({ consumer: free }).outcome).toBeUndefined();
    expect(call({}).outcome).toBeUndefined();
  });

  it('starts counting again when the window turns', () => {
    let now = Date.UTC(2026, 10, 21, 10, 59, 0);
    const { call } = setUp(() => now);
    for (let i = 0; i < 5; i++) call({ consumer: consumer('sub_1') });
    expect(call({ consumer: consumer('sub_1') }).outcome).toMatchObject({ code: 'rate-limited' });
    now = Date.UTC(2026, 10, 21, 11, 0, 0);
    expect(call({ consumer: consumer('sub_1') }).outcome).toBeUndefined();
  });

  it('meters every call it lets through, in the metric and its parents, and none it refuses', () => {
    const { call, metered } = setUp();
    call({ consumer: consumer('sub_1'), metrics: ['search', 'hits'], delta: 2 });
    call({ consumer: consumer('sub_1'), metrics: ['delete_order', 'hits'] }); // disabled
    call({ consumer: { ...consumer('sub_2'), planId: 'pln_free' }, metrics: ['report', 'hits'] }); // no limits
    for (let i = 0; i < 5; i++) call({ consumer: consumer('sub_3') });
    expect(metered.slice(0, 2)).toEqual([
      ['sub_1', ['search', 'hits'], 2],
      ['sub_2', ['report', 'hits'], 1],
    ]);
    expect(metered).toHaveLength(2 + 5);
    call({ consumer: consumer('sub_3') }); // over the hour's 5
    expect(metered).toHaveLength(7);
  });
});
