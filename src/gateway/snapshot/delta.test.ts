import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultUpstreamSettings } from '../../shared/upstream-settings.ts';
import { applyDelta, composeDeltas, deltaSize, diffSnapshots, onlyCredentialsChange } from './delta.ts';
import type { Snapshot } from './types.ts';

const upstream = (id: string, url = 'http://127.0.0.1:9') => ({
  id,
  name: id,
  targets: [{ url, weight: 100 }],
  ...defaultUpstreamSettings,
});
const key = (hash: string, applicationId = 'app_1') => ({
  hash: hash.padStart(64, '0'),
  applicationId,
  expiresAt: null,
});

function snapshot(version: number, parts: Partial<Snapshot> = {}): Snapshot {
  return {
    version,
    createdAt: `t${version}`,
    upstreams: [],
    apis: [],
    applications: [],
    keys: [],
    policies: [],
    credentials: [],
    ...parts,
  };
}

describe('snapshot deltas', () => {
  it('carry only what changed, and lead to the new snapshot', () => {
    const a = snapshot(1, { upstreams: [upstream('u1'), upstream('u2')], keys: [key('1'), key('2')] });
    const b = snapshot(2, {
      upstreams: [upstream('u1', 'http://127.0.0.1:10'), upstream('u2')],
      keys: [key('2'), key('3')],
    });
    const delta = diffSnapshots(a, b);
    expect(delta.upstreams.put.map((u) => u.id)).toEqual(['u1']);
    expect(delta.upstreams.remove).toEqual([]);
    expect(delta.keys.put.map((k) => k.hash.slice(-1))).toEqual(['3']);
    expect(delta.keys.remove.map((h) => h.slice(-1))).toEqual(['1']);
    expect(deltaSize(delta)).toBe(3);
    expect(onlyCredentialsChange(delta)).toBe(false);
    expect(sorted(applyDelta(a, delta))).toEqual(sorted(b));
  });

  it('compose into one delta with the same effect', () => {
    const steps = [
      snapshot(1, { keys: [key('1'), key('2')] }),
      snapshot(2, { keys: [key('2'), key('3')] }),
      snapshot(3, { keys: [key('3'), key('1')], upstreams: [upstream('u1')] }),
      snapshot(4, { keys: [key('4')] }),
    ];
    const deltas = steps.slice(1).map((s, i) => diffSnapshots(steps[i] as Snapshot, s));
    const composed = composeDeltas(deltas);
    expect([composed.from, composed.to]).toEqual([1, 4]);
    expect(sorted(applyDelta(steps[0] as Snapshot, composed))).toEqual(sorted(steps[3] as Snapshot));
  });

  it('recognise a change that touches only keys and applications', () => {
    const a = snapshot(1, { keys: [key('1')] });
    expect(onlyCredentialsChange(diffSnapshots(a, snapshot(2, { keys: [key('2')] })))).toBe(true);
  });

  it('round-trip any pair of key sets (property)', () => {
    const keys = fc
      .uniqueArray(fc.integer({ min: 0, max: 50 }), { maxLength: 30 })
      .map((ns) => ns.map((n) => key(String(n))));
    fc.assert(
      fc.property(keys, keys, (before, after) => {
        const a = snapshot(1, { keys: before });
        const b = snapshot(2, { keys: after });
        expect(sorted(applyDelta(a, diffSnapshots(a, b)))).toEqual(sorted(b));
      }),
    );
  });
});

function sorted(s: Snapshot): Snapshot {
  const byKey =
    <T>(f: (x: T) => string) =>
    (x: T, y: T) =>
      f(x) < f(y) ? -1 : 1;
  return {
    ...s,
    upstreams: [...s.upstreams].sort(byKey((u) => u.id)),
    apis: [...s.apis].sort(byKey((a) => a.id)),
    applications: [...s.applications].sort(byKey((a) => a.id)),
    keys: [...s.keys].sort(byKey((k) => k.hash)),
  };
}
