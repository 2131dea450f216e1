// Active health checks through the gateway, with the fault-injecting upstream failing only its
// health path: a target whose probes fail leaves the rotation within one interval of the first
// failed probe, comes back after `healthyThreshold` good ones, and keeps its state and schedule
// across reloads; probes stop when the upstream goes.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it } from 'vitest';
import { FaultyUpstream } from '../../../test/support/faulty-upstream.ts';
import type { ActiveHealthCheck } from '../../shared/upstream-settings.ts';
import { api, route } from '../testing/fixtures.ts';
import { call, closeAll, gatewayFor, later, sleep, upstreamSnapshot } from '../upstream/testing.ts';
import { type TargetHealthEvent, targetHealthChannel } from './channel.ts';

afterEach(closeAll);

const probe = (fields: Partial<ActiveHealthCheck> = {}): ActiveHealthCheck => ({
  path: '/health',
  intervalMs: 200,
  timeoutMs: 150,
  healthyThreshold: 2,
  unhealthyThreshold: 1,
  ...fields,
});

/** Resolves with the first event that matches, and how long after `since` it came. */
function nextEvent(
  match: Partial<TargetHealthEvent>,
  since = performance.now(),
): Promise<[TargetHealthEvent, number]> {
  return new Promise((resolve) => {
    const listener = (message: unknown) => {
      const event = message as TargetHealthEvent;
      for (const [key, value] of Object.entries(match))
        if (event[key as keyof TargetHealthEvent] !== value) return;
      unsubscribe(targetHealthChannel.name, listener);
      resolve([event, performance.now() - since]);
    };
    subscribe(targetHealthChannel.name, listener);
  });
}

async function twoTargets(active: ActiveHealthCheck) {
  const a = later(await FaultyUpstream.start('a'));
  const b = later(await FaultyUpstream.start('b'));
  const input = upstreamSnapshot([a.url, b.url], { healthChecks: { active } });
  const gw = await gatewayFor(input);
  return { a, b, gw, input };
}

async function upstreamsOf(gw: Awaited<ReturnType<typeof gatewayFor>>, n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push((await call(gw, '/traffic')).body.upstream);
  return names;
}

describe('active health checks', () => {
  it('probes every target with GET on the path, with the target’s Host', async () => {
    const { a, b } = await twoTargets(probe());
    await expect.poll(() => a.hits('/health') >= 2 && b.hits('/health') >= 2).toBe(true);
    const first = a.requests.find((r) => r.url === '/health');
    expect(first?.method).toBe('GET');
    expect(first?.headers.host).toBe(new URL(a.url).host);
  });

  it('takes a target whose probes fail out within one interval, and brings it back', async () => {
    const { a, gw } = await twoTargets(probe());
    await expect.poll(() => a.hits('/health')).toBeGreaterThan(0);
    const out = nextEvent({ target: a.url, healthy: false });
    await a.set({ kind: 'status', status: 503 }, '/health');
    const [event, ms] = await out;
    expect(event).toMatchObject({ upstreamId: 'ups_main', upstreamName: 'main', reason: 'active' });
    expect(ms).toBeLessThan(200 + 150);
    expect(new Set(await upstreamsOf(gw, 6))).toEqual(new Set(['b']));

    const back = nextEvent({ target: a.url, healthy: true });
    await a.set({ kind: 'ok' }, '/health');
    const [recovered, backMs] = await back;
    expect(recovered.reason).toBe('recovered');
    // Two good probes: the first within an interval, the confirming one half an interval later.
    expect(backMs).toBeLessThan(200 + 100 + 150);
    expect(new Set(await upstreamsOf(gw, 6))).toEqual(new Set(['a', 'b']));
  });

  it('counts refused connections and probe timeouts as failures', async () => {
    const { a, b } = await twoTargets(probe({ unhealthyThreshold: 2 }));
    await expect.poll(() => a.hits('/health') > 0 && b.hits('/health') > 0).toBe(true);
    const aOut = nextEvent({ target: a.url, healthy: false });
    const bOut = nextEvent({ target: b.url, healthy: false });
    await a.set({ kind: 'refuse' });
    await b.set({ kind: 'hang' }, '/health');
    const [, aMs] = await aOut;
    const [, bMs] = await bOut;
    // Two failures needed: the second comes half an interval after the first.
    expect(aMs).toBeLessThan(200 + 100 + 150);
    expect(bMs).toBeLessThan(200 + 150 + 100 + 150 + 100);
  });

  it('answers 503 upstream-circuit-open when every target fails its probes', async () => {
    const { a, b, gw } = await twoTargets(probe({ intervalMs: 1000 }));
    await expect.poll(() => a.hits('/health') > 0 && b.hits('/health') > 0).toBe(true);
    await a.set({ kind: 'status', status: 500 }, '/health');
    await b.set({ kind: 'status', status: 500 }, '/health');
    await expect.poll(async () => (await call(gw, '/x')).status, { timeout: 3000 }).toBe(503);
    const answer = await call(gw, '/x');
    expect(answer.body.code).toBe('upstream-circuit-open');
    // Two good probes are needed, the next one due within an interval.
    expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(answer.headers['retry-after'])).toBeLessThanOrEqual(2);
  });

  it('keeps health and the probe schedule across reloads', async () => {
    const { a, gw, input } = await twoTargets(probe({ intervalMs: 300 }));
    await expect.poll(() => a.hits('/health')).toBeGreaterThan(0);
    const out = nextEvent({ target: a.url, healthy: false });
    await a.set({ kind: 'status', status: 503 }, '/health');
    await out;
    const probesBefore = a.hits('/health');
    for (let version = 2; version < 12; version++) {
      const loaded = gw.gateway.load({
        ...input,
        version,
        apis: [api({ id: 'api_main', routes: [route('/*', [], `r${version}`)] })],
      });
      expect(loaded.ok).toBe(true);
    }
    // Still out right after the reloads, and no probe was started by them.
    expect(new Set(await upstreamsOf(gw, 4))).toEqual(new Set(['b']));
    expect(a.hits('/health') - probesBefore).toBeLessThanOrEqual(1);
    await sleep(650);
    expect(a.hits('/health') - probesBefore).toBeLessThanOrEqual(3);
  });

  it('stops probing a target whose upstream left the snapshot', async () => {
    const { a, b, gw, input } = await twoTargets(probe({ intervalMs: 100 }));
    await expect.poll(() => a.hits('/health')).toBeGreaterThan(1);
    const other = later(await FaultyUpstream.start('other'));
    const next = upstreamSnapshot([other.url], {}, 2);
    expect(gw.gateway.load({ ...next, apis: input.apis }).ok).toBe(true);
    await sleep(50);
    const [aProbes, bProbes] = [a.hits('/health'), b.hits('/health')];
    await sleep(300);
    expect(a.hits('/health')).toBe(aProbes);
    expect(b.hits('/health')).toBe(bProbes);
    expect(other.hits('/health')).toBe(0);
  });

  it('stops probing when active checks are turned off, and puts the target back', async () => {
    const { a, gw, input } = await twoTargets(probe({ intervalMs: 100 }));
    await expect.poll(() => a.hits('/health')).toBeGreaterThan(0);
    const out = nextEvent({ target: a.url, healthy: false });
    await a.set({ kind: 'status', status: 503 }, '/health');
    await out;
    const back = nextEvent({ target: a.url, healthy: true });
    const upstream = input.upstreams[0] as (typeof input.upstreams)[0];
    const off = { ...upstream, healthChecks: { active: null, passive: null } };
    expect(gw.gateway.load({ ...input, version: 2, upstreams: [off] }).ok).toBe(true);
    expect((await back)[0].reason).toBe('recovered');
    const probes = a.hits('/health');
    await sleep(250);
    expect(a.hits('/health')).toBe(probes);
  });
});
