// Retries over real sockets: idempotent requests without a body are tried again on another target
// after a connection failure or a 502/503/504, others never are, and the budget caps how much
// load retries add while every target fails.
import { afterEach, describe, expect, it } from 'vitest';
import { FaultyUpstream } from '../../../test/support/faulty-upstream.ts';
import { call, closeAll, gatewayFor, later, upstreamSnapshot } from './testing.ts';

afterEach(closeAll);

async function pair() {
  const bad = later(await FaultyUpstream.start('bad'));
  const good = later(await FaultyUpstream.start('good'));
  return { bad, good };
}

const retryOnce = { retries: { attempts: 1, budgetPercent: 100, minPerSecond: 100 } };

describe('retries', () => {
  it('retries a GET on another target after a reset', async () => {
    const { bad, good } = await pair();
    await bad.set({ kind: 'reset' });
    const gw = await gatewayFor(upstreamSnapshot([bad.url, good.url], retryOnce));
    for (let i = 0; i < 10; i++) {
      const answer = await call(gw, `/r${i}`);
      expect(answer.status).toBe(200);
      expect(answer.body.upstream).toBe('good');
    }
    expect(bad.hits()).toBe(5);
    expect(good.hits()).toBe(10);
    // The retry carries the other target's Host.
    expect(good.requests.every((r) => r.headers.host === new URL(good.url).host)).toBe(true);
  });

  it('retries after a refused connection and after a 502, 503 or 504 answer', async () => {
    const { bad, good } = await pair();
    const gw = await gatewayFor(upstreamSnapshot([bad.url, good.url], retryOnce));
    for (const fault of [
      { kind: 'refuse' },
      { kind: 'status', status: 503 },
      { kind: 'status', status: 502 },
    ] as const) {
      await bad.set(fault);
      for (let i = 0; i < 4; i++) expect((await call(gw, '/x')).body.upstream).toBe('good');
    }
  });

  it('retries HEAD, PUT and DELETE without a body, but never POST or a request with a body', async () => {
    const { bad, good } = await pair();
    await bad.set({ kind: 'reset' });
    const gw = await gatewayFor(upstreamSnapshot([bad.url, good.url], retryOnce));
    const statuses = async (init: Parameters<typeof call>[2]) => {
      const seen = new Set<number>();
      for (let i = 0; i < 4; i++) seen.add((await call(gw, '/x', init)).status);
      return [...seen].sort();
    };
    expect(await statuses({ method: 'HEAD' })).toEqual([200]);
    expect(await statuses({ method: 'PUT' })).toEqual([200]);
    expect(await statuses({ method: 'DELETE' })).toEqual([200]);
    expect(await statuses({ method: 'POST' })).toEqual([200, 502]);
    expect(await statuses({ method: 'PUT', body: 'payload' })).toEqual([200, 502]);
    expect(bad.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
  });

  it('passes the failed answer on when retries are off', async () => {
    const { bad, good } = await pair();
    await bad.set({ kind: 'status', status: 503 });
    const gw = await gatewayFor(upstreamSnapshot([bad.url, good.url], { retries: { attempts: 0 } }));
    const answers = [await call(gw, '/a'), await call(gw, '/b')];
    expect(answers.map((a) => a.status).sort()).toEqual([200, 503]);
  });

  it('tries the same target again when it is the only one', async () => {
    const only = later(await FaultyUpstream.start('only'));
    await only.set({ kind: 'status', status: 503 });
    const gw = await gatewayFor(
      upstreamSnapshot([only.url], { retries: { attempts: 2, budgetPercent: 100, minPerSecond: 100 } }),
    );
    expect((await call(gw, '/x')).status).toBe(503);
    expect(only.hits()).toBe(3);
  });

  it('keeps retries within the budget while every target fails', async () => {
    const { bad, good } = await pair();
    await bad.set({ kind: 'status', status: 503 });
    await good.set({ kind: 'status', status: 503 });
    const gw = await gatewayFor(
      upstreamSnapshot([bad.url, good.url], { retries: { attempts: 3, budgetPercent: 20, minPerSecond: 0 } }),
    );
    const requests = 100;
    for (let batch = 0; batch < requests / 10; batch++)
      await Promise.all(Array.from({ length: 10 }, () => call(gw, '/x')));
    const attempts = bad.hits() + good.hits();
    // Without a budget, 3 retries each would make 400 attempts.
    expect(attempts).toBeGreaterThan(requests);
    expect(attempts).toBeLessThanOrEqual(requests * 1.2 + 1);
  });
});
