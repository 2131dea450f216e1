import { describe, expect, it } from 'vitest';
import { MemoryCounterStore } from '../../gateway/limits/memory-store.ts';
import type { PolicyResponse } from '../context.ts';
import { type TestContextInit, testConsumer, testContext } from '../test-context.ts';
import { rateLimit } from './policy.ts';
import { rateLimitSchema } from './schema.ts';

function handlerFor(config: Record<string, unknown>) {
  const counters = new MemoryCounterStore({ now: () => 1_800_000_000_000, sweepIntervalMs: 0 });
  const handler = rateLimit.create(rateLimitSchema.parse(config), { credentialOptional: false, counters });
  return (init: TestContextInit = {}) => {
    const ctx = testContext(init);
    return { ctx, outcome: handler(ctx) as PolicyResponse | undefined };
  };
}

describe('rate-limit', () => {
  it('limits each client address, with the IETF headers and Retry-After', () => {
    const call = handlerFor({ limits: [{ period: 'minute', max: 2 }] });
    const first = call({ clientIp: '198.51.100.7' });
    expect(first.outcome).toBeUndefined();
    expect(first.ctx.responseHeaders.get('ratelimit-policy')).toBe('"ip/minute";q=2;w=60');
    expect(first.ctx.responseHeaders.get('ratelimit')).toMatch(/^"ip\/minute";r=1;t=\d+$/);
    call({ clientIp: '198.51.100.7' });
    const refused = call({ clientIp: '198.51.100.7' }).outcome;
    expect(refused).toMatchObject({ code: 'rate-limited' });
    expect(refused && 'headers' in refused && refused.headers?.['retry-after']).toMatch(/^\d+$/);
    expect(call({ clientIp: '198.51.100.8' }).outcome).toBeUndefined();
  });

  it('counts by application, or by a header, falling back to the address', () => {
    const byConsumer = handlerFor({ limits: [{ period: 'hour', max: 1 }], by: 'consumer' });
    const app = (id: string) => testConsumer({ applicationId: id, accountId: 'acc' });
    expect(byConsumer({ consumer: app('app_a'), clientIp: '10.0.0.1' }).outcome).toBeUndefined();
    expect(byConsumer({ consumer: app('app_a'), clientIp: '10.0.0.2' }).outcome).toMatchObject({
      code: 'rate-limited',
    });
    expect(byConsumer({ consumer: app('app_b'), clientIp: '10.0.0.1' }).outcome).toBeUndefined();

    const byHeader = handlerFor({ limits: [{ period: 'day', max: 1 }], by: 'header', header: 'X-Tenant' });
    expect(byHeader({ headers: { 'x-tenant': 'blue' } }).outcome).toBeUndefined();
    expect(byHeader({ headers: { 'x-tenant': 'blue' } }).outcome).toMatchObject({ code: 'rate-limited' });
    expect(byHeader({ headers: { 'x-tenant': 'green' } }).outcome).toBeUndefined();
  });

  it('needs every limit to have room, and counts per API', () => {
    const call = handlerFor({
      limits: [
        { period: 'second', max: 5 },
        { period: 'minute', max: 2 },
      ],
    });
    call();
    call();
    expect(call().outcome).toMatchObject({ code: 'rate-limited' });
    expect(call({ apiId: 'api_other' }).outcome).toBeUndefined();
  });

  it('refuses configs that make no sense', () => {
    expect(rateLimitSchema.safeParse({ limits: [] }).success).toBe(false);
    expect(rateLimitSchema.parse({}).limits).toEqual([{ period: 'minute', max: 60 }]);
    expect(rateLimitSchema.safeParse({ limits: [{ period: 'fortnight', max: 1 }] }).success).toBe(false);
    expect(
      rateLimitSchema.safeParse({
        limits: [
          { period: 'minute', max: 1 },
          { period: 'minute', max: 2 },
        ],
      }).success,
    ).toBe(false);
    expect(rateLimitSchema.safeParse({ limits: [{ period: 'minute', max: 1 }], by: 'header' }).success).toBe(
      false,
    );
  });
});
