// The circuit breaker: its state machine without sockets, then through the gateway with the
// fault-injecting upstream — ejection after N failures, 503 upstream-circuit-open with Retry-After
// when every target is out, one trial after ejectMs.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultyUpstream } from '../../../test/support/faulty-upstream.ts';
import { call, closeAll, gatewayFor, later, sleep, upstreamSnapshot } from '../upstream/testing.ts';
import { type TargetHealthEvent, targetHealthChannel } from './channel.ts';
import {
  claimTrial,
  isAvailable,
  nextChanceAt,
  recordFailure,
  recordSuccess,
  releaseTrial,
} from './circuit-breaker.ts';
import { TargetHealth } from './target-health.ts';

afterEach(closeAll);

const passive = { failures: 3, ejectMs: 1000 };

function events(): { seen: TargetHealthEvent[]; stop(): void } {
  const seen: TargetHealthEvent[] = [];
  const listener = (message: unknown) => seen.push(message as TargetHealthEvent);
  subscribe(targetHealthChannel.name, listener);
  return { seen, stop: () => unsubscribe(targetHealthChannel.name, listener) };
}

describe('circuit breaker state', () => {
  it('ejects after consecutive failures only; a success resets the count', () => {
    const health = new TargetHealth('k', 'ups_1', 'one', 'http://a');
    recordFailure(health, passive, 0, false);
    recordFailure(health, passive, 0, false);
    recordSuccess(health, false);
    recordFailure(health, passive, 0, false);
    recordFailure(health, passive, 0, false);
    expect(isAvailable(health, 0)).toBe(true);
    recordFailure(health, passive, 10, false);
    expect(health.out).toBe(true);
    expect(isAvailable(health, 500)).toBe(false);
    expect(nextChanceAt(health, 500)).toBe(1010);
  });

  it('lets one trial through after ejectMs; success closes, failure re-ejects for longer', () => {
    const health = new TargetHealth('k', 'ups_1', 'one', 'http://a');
    for (let i = 0; i < 3; i++) recordFailure(health, passive, 0, false);
    expect(isAvailable(health, 1000)).toBe(true);
    expect(claimTrial(health)).toBe(true);
    expect(isAvailable(health, 1000)).toBe(false); // one trial at a time
    recordFailure(health, passive, 1100, false); // an older request's answer decides nothing
    recordFailure(health, passive, 1200, true);
    expect(health.ejectedUntil).toBe(1200 + 2000);
    expect(isAvailable(health, 3199)).toBe(false);
    expect(claimTrial(health)).toBe(true);
    releaseTrial(health); // the client went away: no verdict, the next request may try
    expect(isAvailable(health, 3200)).toBe(true);
    claimTrial(health);
    recordSuccess(health, true);
    expect(health.out).toBe(false);
    expect(health.ejections).toBe(0);
  });

  it('publishes leaving and rejoining the rotation, once each', () => {
    const listening = events();
    try {
      const health = new TargetHealth('k', 'ups_1', 'one', 'http://a/x');
      for (let i = 0; i < 4; i++) recordFailure(health, passive, 0, false);
      claimTrial(health);
      recordFailure(health, passive, 1000, true);
      claimTrial(health);
      recordSuccess(health, true);
      expect(listening.seen).toEqual([
        { upstreamId: 'ups_1', upstreamName: 'one', target: 'http://a/x', healthy: false, reason: 'passive' },
        {
          upstreamId: 'ups_1',
          upstreamName: 'one',
          target: 'http://a/x',
          healthy: true,
          reason: 'recovered',
        },
      ]);
    } finally {
      listening.stop();
    }
  });
});

describe('circuit breaker in the gateway', () => {
  it('ejects a failing target after `failures` answers and sends it one trial after ejectMs', async () => {
    const bad = later(await FaultyUpstream.start('bad'));
    const good = later(await FaultyUpstream.start('good'));
    await bad.set({ kind: 'status', status: 503 });
    const gw = await gatewayFor(
      upstreamSnapshot([bad.url, good.url], { healthChecks: { passive: { failures: 3, ejectMs: 300 } } }),
    );
    for (let i = 0; i < 20; i++) await call(gw, '/x');
    expect(bad.hits()).toBe(3);
    expect(good.hits()).toBe(17);

    await sleep(350);
    for (let i = 0; i < 10; i++) await call(gw, '/x');
    expect(bad.hits()).toBe(4); // one trial, which failed: ejected again, now for 600 ms

    await bad.set({ kind: 'ok' });
    await sleep(350);
    for (let i = 0; i < 10; i++) await call(gw, '/x');
    expect(bad.hits()).toBe(4);
    await sleep(300);
    for (let i = 0; i < 10; i++) await call(gw, '/x');
    expect(bad.hits()).toBe(9); // the trial succeeded: back in rotation, half the traffic
  });

  it('counts refused connections, resets and timeouts as failures', async () => {
    const bad = later(await FaultyUpstream.start('bad'));
    const good = later(await FaultyUpstream.start('good'));
    const gw = await gatewayFor(
      upstreamSnapshot([bad.url, good.url], {
        healthChecks: { passive: { failures: 2, ejectMs: 60_000 } },
        timeouts: { responseMs: 100 },
      }),
    );
    await bad.set({ kind: 'reset' });
    for (let i = 0; i < 10; i++) await call(gw, '/x');
    expect(bad.hits()).toBe(2);
  });

  it('answers 503 upstream-circuit-open with Retry-After when every target is out', async () => {
    const only = later(await FaultyUpstream.start('only'));
    await only.set({ kind: 'reset' });
    const gw = await gatewayFor(
      upstreamSnapshot([only.url], { healthChecks: { passive: { failures: 2, ejectMs: 1500 } } }),
    );
    expect((await call(gw, '/x')).status).toBe(502);
    expect((await call(gw, '/x')).status).toBe(502);
    const started = performance.now();
    const open = await call(gw, '/x', { headers: { 'x-request-id': 'open-1' } });
    expect(performance.now() - started).toBeLessThan(100);
    expect(open.status).toBe(503);
    expect(open.headers['content-type']).toBe('application/problem+json');
    expect(open.body).toMatchObject({ code: 'upstream-circuit-open', requestId: 'open-1' });
    expect(open.headers['x-request-id']).toBe('open-1');
    expect(['1', '2']).toContain(open.headers['retry-after']);
    expect(only.hits()).toBe(2);
  });

  it('lets a single trial through while the rest still get 503, and closes on its success', async () => {
    const only = later(await FaultyUpstream.start('only'));
    await only.set({ kind: 'status', status: 502 });
    const gw = await gatewayFor(
      upstreamSnapshot([only.url], { healthChecks: { passive: { failures: 1, ejectMs: 200 } } }),
    );
    expect((await call(gw, '/x')).status).toBe(502);
    expect((await call(gw, '/x')).status).toBe(503);
    await only.set({ kind: 'slow', headMs: 200 });
    await sleep(250);
    const trial = call(gw, '/trial');
    await sleep(50);
    const during = await call(gw, '/during');
    expect(during.status).toBe(503);
    expect(during.body.code).toBe('upstream-circuit-open');
    expect((await trial).status).toBe(200);
    await only.set({ kind: 'ok' });
    expect((await call(gw, '/after')).status).toBe(200);
    expect(only.hits()).toBe(3);
  });
});
