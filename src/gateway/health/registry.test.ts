// The health registry as the gateway drives it: compile a snapshot, then retain what is served.
// Readings for metrics, records shared per upstream and origin, and refused snapshots that change
// nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { compileSnapshot } from '../snapshot/compile.ts';
import type { Snapshot } from '../snapshot/types.ts';
import { defaultTimeouts, UpstreamPools } from '../upstream/pools.ts';
import { upstreamSnapshot } from '../upstream/testing.ts';

let pools: UpstreamPools;
afterEach(() => pools.close());

/** The record the served snapshot's targets on this origin share (adopt finds existing ones). */
function healthOf(origin: string) {
  return pools.health.adopt('ups_main', 'main', origin, origin);
}

function serve(input: Snapshot) {
  const compiled = compileSnapshot(input, pools);
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.problem));
  pools.retainOnly(compiled.value.origins);
  return compiled.value;
}

describe('health registry', () => {
  it('reads every target’s health, per upstream', () => {
    pools = new UpstreamPools(defaultTimeouts);
    const input = upstreamSnapshot(['http://127.0.0.1:9/a/', 'http://127.0.0.1:10']);
    input.upstreams.push({
      ...(input.upstreams[0] as Snapshot['upstreams'][0]),
      id: 'ups_other',
      name: 'other',
      targets: [{ url: 'http://127.0.0.1:9', weight: 1 }],
    });
    serve(input);
    expect(pools.targetHealth()).toEqual([
      { upstreamId: 'ups_main', upstream: 'main', target: 'http://127.0.0.1:9/a', healthy: true },
      { upstreamId: 'ups_main', upstream: 'main', target: 'http://127.0.0.1:10', healthy: true },
      { upstreamId: 'ups_other', upstream: 'other', target: 'http://127.0.0.1:9', healthy: true },
    ]);
  });

  it('keeps a target’s health across snapshots and forgets targets that are gone', () => {
    pools = new UpstreamPools(defaultTimeouts);
    serve(upstreamSnapshot(['http://127.0.0.1:9', 'http://127.0.0.1:10']));
    const health = healthOf('http://127.0.0.1:9');
    Object.assign(health, { ejected: true, ejectedUntil: Number.POSITIVE_INFINITY, out: true });
    const second = serve(
      upstreamSnapshot(['http://127.0.0.1:9'], { healthChecks: { passive: { failures: 1 } } }, 2),
    );
    expect([...second.origins]).toEqual(['http://127.0.0.1:9']);
    expect(healthOf('http://127.0.0.1:9')).toBe(health);
    expect(pools.targetHealth()).toEqual([
      { upstreamId: 'ups_main', upstream: 'main', target: 'http://127.0.0.1:9', healthy: false },
    ]);
  });

  it('clears an ejection when the circuit breaker is turned off', () => {
    pools = new UpstreamPools(defaultTimeouts);
    serve(upstreamSnapshot(['http://127.0.0.1:9'], { healthChecks: { passive: { failures: 1 } } }));
    const health = healthOf('http://127.0.0.1:9');
    Object.assign(health, { ejected: true, ejectedUntil: Number.POSITIVE_INFINITY, out: true });
    serve(upstreamSnapshot(['http://127.0.0.1:9'], { healthChecks: { passive: null } }, 2));
    expect(health.out).toBe(false);
  });

  it('lets a refused snapshot change nothing', () => {
    pools = new UpstreamPools(defaultTimeouts);
    const served = serve(
      upstreamSnapshot(['http://127.0.0.1:9'], { healthChecks: { passive: { failures: 1 } } }),
    );
    const health = healthOf('http://127.0.0.1:9');
    Object.assign(health, { ejected: true, ejectedUntil: Number.POSITIVE_INFINITY, out: true });
    const refused = upstreamSnapshot(['http://127.0.0.1:9', 'http://127.0.0.1:11'], {
      healthChecks: { passive: null },
      timeouts: { connectMs: 123 },
    });
    refused.apis.push({ ...(refused.apis[0] as Snapshot['apis'][0]), upstreamId: 'ups_missing' });
    expect(compileSnapshot(refused, pools).ok).toBe(false);
    pools.retainOnly(served.origins); // what the gateway does after a refusal
    expect(pools.targetHealth()).toEqual([
      { upstreamId: 'ups_main', upstream: 'main', target: 'http://127.0.0.1:9', healthy: false },
    ]);
    expect(health.ejected).toBe(true); // the refused snapshot's `passive: null` was not applied
    expect(pools.origins).toEqual(['http://127.0.0.1:9']);
  });

  it('shares a pool between upstreams with the same origin and connect timeout only', () => {
    pools = new UpstreamPools(defaultTimeouts);
    const a = pools.get('http://127.0.0.1:9', 1000);
    expect(pools.get('http://127.0.0.1:9', 1000)).toBe(a);
    expect(pools.get('http://127.0.0.1:9', 2000)).not.toBe(a);
  });
});
