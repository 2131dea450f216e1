// Applying changes (deltas) to the snapshot being served: keys and applications change in place,
// all or nothing; anything else rebuilds on top of them; a delta that does not follow is refused.
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { diffSnapshots, type SnapshotDelta } from './snapshot/delta.ts';
import type { Snapshot } from './snapshot/types.ts';
import { api, consumer, snapshot, startTestGateway, startUpstream } from './testing/fixtures.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

const alice = consumer('app_alice', ['api_main']);
const bob = consumer('app_bob', ['api_main']);

async function setup() {
  const upstream = await startUpstream();
  const first = snapshot(upstream.url, {
    apis: [api({ id: 'api_main', keyless: false })],
    applications: [alice.application],
    keys: [alice.keyRecord],
  });
  const gw = await startTestGateway(first);
  cleanup.push(
    () => upstream.close(100),
    () => gw.close(),
  );
  const status = async (key: string, path = '/x') => {
    const response = await request(`${gw.server.url}${path}`, { headers: { 'x-api-key': key } });
    await response.body.dump();
    return response.statusCode;
  };
  return { first, gw, status };
}

function next(from: Snapshot, fields: Partial<Snapshot>): { to: Snapshot; delta: SnapshotDelta } {
  const to = { ...from, version: from.version + 1, createdAt: new Date().toISOString(), ...fields };
  return { to, delta: diffSnapshots(from, to) };
}

describe('loadDelta', () => {
  it('adds and removes keys in place, and the plain snapshot follows', async () => {
    const { first, gw, status } = await setup();
    const added = next(first, {
      applications: [alice.application, bob.application],
      keys: [alice.keyRecord, bob.keyRecord],
    });
    expect(gw.gateway.loadDelta(added.delta)).toEqual({ ok: true, value: { version: 2 } });
    expect(await status(bob.key)).toBe(200);
    const removed = next(added.to, { keys: [bob.keyRecord] });
    expect(gw.gateway.loadDelta(removed.delta).ok).toBe(true);
    expect(await status(alice.key)).toBe(401);
    expect(await status(bob.key)).toBe(200);
    expect(gw.gateway.version).toBe(3);
    expect(gw.gateway.summary?.createdAt).toBe(removed.to.createdAt);
    expect(gw.gateway.snapshot).toEqual(removed.to);
  });

  it.each([
    [
      'a key of an unknown application',
      { keys: [alice.keyRecord, { ...bob.keyRecord }] },
      'keys.put[0].applicationId',
    ],
    [
      'a grant to an unknown API',
      { applications: [{ ...alice.application, grants: [{ apiId: 'api_gone', planId: 'pln_x' }] }] },
      'applications.put[0].grants[0].apiId',
    ],
    ['removing an application that still has keys', { applications: [] }, 'applications.remove'],
    [
      'an expiry that is not a date',
      { keys: [alice.keyRecord, { ...consumer('app_alice', []).keyRecord, expiresAt: 'soon' }] },
      'keys.put[0].expiresAt',
    ],
  ])('refuses %s whole and keeps serving what it had', async (_, fields, path) => {
    const { first, gw, status } = await setup();
    const bad = next(first, fields as Partial<Snapshot>);
    const loaded = gw.gateway.loadDelta(bad.delta);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem.errors?.map((e) => e.path)).toContain(path);
    expect(gw.gateway.version).toBe(1);
    expect(await status(alice.key)).toBe(200);
    expect(gw.gateway.snapshot).toEqual(first);
  });

  it('does not apply half of a refused change', async () => {
    const { first, gw, status } = await setup();
    const bad = next(first, {
      applications: [alice.application, bob.application],
      keys: [alice.keyRecord, bob.keyRecord, { ...consumer('app_nobody', []).keyRecord }],
    });
    expect(gw.gateway.loadDelta(bad.delta).ok).toBe(false);
    expect(await status(bob.key)).toBe(401);
  });

  it('rebuilds a change to APIs on top of the key changes before it', async () => {
    const { first, gw, status } = await setup();
    const keys = next(first, {
      applications: [alice.application, bob.application],
      keys: [alice.keyRecord, bob.keyRecord],
    });
    expect(gw.gateway.loadDelta(keys.delta).ok).toBe(true);
    const moved = next(keys.to, { apis: [api({ id: 'api_main', keyless: false, basePath: '/v2' })] });
    expect(gw.gateway.loadDelta(moved.delta).ok).toBe(true);
    expect(await status(bob.key, '/v2/x')).toBe(200);
    expect(await status(bob.key, '/x')).toBe(404);
    expect(gw.gateway.snapshot).toEqual(moved.to);
  });

  it('refuses changes that do not follow the version being served', async () => {
    const { first, gw } = await setup();
    const skipped = next({ ...first, version: 5 }, { keys: [] });
    const loaded = gw.gateway.loadDelta(skipped.delta);
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.problem.detail).toContain('follow version 5, not 1');
  });
});
