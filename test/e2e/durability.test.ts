// User story: "Whatever the admin API acknowledged is still there after a restart, and after a
// crash (kill -9): objects, keys that work at the gateway, the configuration revision. A crashed
// process's lock file does not keep Turnpike from starting again."
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ProvisionedApp, provisionApp, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike, tempDir } from '../support/cli.ts';
import { send } from '../support/http.ts';
import { TestUpstream } from '../support/upstream.ts';

describe('durability across crashes and restarts', () => {
  const dataDir = tempDir();
  // Outlives the Turnpike processes (whose own ports change on every start).
  const svc = new TestUpstream('svc');
  const instances: RunningTurnpike[] = [];
  let token = '';
  /** Paths under /admin/v1 of every object the admin API acknowledged. */
  const acknowledged: string[] = [];
  let app: ProvisionedApp;
  let laterKey = '';
  let revision = 0;

  const start = async () => {
    // A fixed issuer: the default one names the portal's port, which is new on every start here,
    // and a new issuer is (rightly) a new revision for the gateways; this test counts revisions.
    const running = await startTurnpike({
      dataDir,
      env: { TURNPIKE_OAUTH_ISSUER: 'http://127.0.0.1:8002/oauth' },
    });
    instances.push(running);
    return running;
  };
  const adminOf = (running: RunningTurnpike) => new AdminClient(running.admin, token);
  const callWith = (running: RunningTurnpike, key: string, query = '') =>
    send(`${running.gateway}/stock/v1/levels${query}`, { headers: { 'x-api-key': key } });

  /** Every acknowledged object still answers 200, with the same id. */
  async function expectAllThere(running: RunningTurnpike) {
    const admin = adminOf(running);
    const missing: string[] = [];
    for (const path of acknowledged) {
      const response = await admin.call('GET', path);
      if (response.status !== 200 || !path.endsWith(response.body.id))
        missing.push(`${path}: ${response.status}`);
    }
    expect(missing).toEqual([]);
  }

  beforeAll(async () => {
    await svc.start();
    const first = await start();
    token = first.token;
  });

  afterAll(async () => {
    for (const running of instances) await running.stop();
    await svc.close();
    removeDir(dataDir);
  });

  it('keeps every acknowledged write after a kill -9 right after the 201s', async () => {
    const first = instances[0] as RunningTurnpike;
    const admin = adminOf(first);
    const upstream = await admin.create('/upstreams', {
      name: 'stock',
      targets: [{ url: svc.url }],
    });
    const api = await admin.create('/apis', {
      name: 'stock',
      basePath: '/stock/v1',
      upstreamId: upstream.id,
    });
    const route = await admin.create(`/apis/${api.id}/routes`, {
      name: 'levels',
      methods: ['GET'],
      path: '/levels',
    });
    const planId = await provisionPlan(admin, 'stock', [api.id]);
    const plan = (await admin.call('GET', `/plans/${planId}`)).body;
    app = await provisionApp(admin, 'warehouse', planId);
    acknowledged.push(
      `/upstreams/${upstream.id}`,
      `/apis/${api.id}`,
      `/apis/${api.id}/routes/${route.id}`,
      `/products/${plan.productId}`,
      `/plans/${planId}`,
      `/accounts/${app.accountId}`,
      `/applications/${app.applicationId}`,
      `/subscriptions/${app.subscriptionId}`,
      `/applications/${app.applicationId}/keys/${app.keyId}`,
    );
    expect((await callWith(first, app.key)).status).toBe(200);
    revision = (await admin.call('GET', '/status')).body.revision;

    await first.kill(); // SIGKILL: no shutdown, no checkpoint, the lock file stays
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(readFileSync(join(dataDir, 'turnpike.lock'), 'utf8')).toBe(String(first.process.pid));

    const second = await start(); // the stale lock does not stop it
    await expectAllThere(second);
    expect((await adminOf(second).call('GET', '/status')).body.revision).toBe(revision);
    const response = await callWith(second, app.key);
    expect(response.status, response.text).toBe(200);
    expect(response.json().headers['x-consumer-application']).toBe(app.applicationId);
    expect(readFileSync(join(dataDir, 'turnpike.lock'), 'utf8')).toBe(String(second.process.pid));
  });

  it('keeps every write acknowledged before a crash that cuts others off mid-flight', async () => {
    const running = instances.at(-1) as RunningTurnpike;
    const admin = adminOf(running);
    // Enough that the kill, sent after the 10th acknowledgement, lands with writes in flight even
    // when this process reads the answers late (a busy test machine: 100 were once all answered).
    const total = 400;
    const created: string[] = [];
    let killing: Promise<void> | undefined;
    const writes = Array.from({ length: total }, async (_, i) => {
      try {
        const response = await admin.call('POST', '/upstreams', {
          name: `burst-${i}`,
          targets: [{ url: `http://127.0.0.1:9/${i}` }],
        });
        if (response.status === 201) {
          created.push(response.body.id);
          acknowledged.push(`/upstreams/${response.body.id}`);
          if (created.length === 10) killing ??= running.kill(); // crash with writes still in flight
        }
      } catch {
        // cut off by the crash: not acknowledged, so no promise was made
      }
    });
    await Promise.all(writes);
    await killing;
    expect(running.process.signalCode).toBe('SIGKILL');
    expect(created.length).toBeGreaterThanOrEqual(10);
    expect(created.length).toBeLessThan(total); // the crash did cut writes off

    const after = await start();
    await expectAllThere(after);
    // Writes that were cut off are either whole or absent: never half a row.
    const all: { name: string; targets: unknown }[] = [];
    for (let cursor = ''; ; ) {
      const page = (await adminOf(after).call('GET', `/upstreams?limit=200${cursor && `&cursor=${cursor}`}`))
        .body;
      all.push(...page.data);
      if (!page.next) break;
      cursor = page.next;
    }
    const burst = all.filter((u) => u.name.startsWith('burst-'));
    expect(burst.length).toBeGreaterThanOrEqual(created.length);
    expect(burst.length).toBeLessThanOrEqual(total);
    for (const u of burst)
      expect(u.targets).toEqual([{ url: `http://127.0.0.1:9/${u.name.slice(6)}`, weight: 100 }]);
    expect((await callWith(after, app.key)).status).toBe(200);
  });

  it('keeps everything after a clean stop, including what was written since the crash', async () => {
    const running = instances.at(-1) as RunningTurnpike;
    const admin = adminOf(running);
    const key = await admin.create(`/applications/${app.applicationId}/keys`, { label: 'after-crash' });
    laterKey = key.key;
    acknowledged.push(`/applications/${app.applicationId}/keys/${key.id}`);
    // Bad input is refused and changes nothing, not even the revision.
    const before = (await admin.call('GET', '/status')).body.revision;
    const bad = await admin.call('POST', '/apis', { name: 'bad', basePath: 'no-slash', upstreamId: 'ups_x' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation-failed');
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual([
      'body.basePath',
      'body.upstreamId',
    ]);
    expect((await admin.call('GET', '/status')).body.revision).toBe(before);

    // SIGTERM while a call is in flight at the gateway and an admin write was just sent: the
    // call is answered, and the write, if acknowledged, is kept.
    const slow = callWith(running, app.key, '?delay=800');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lastWrite = admin
      .call('POST', '/upstreams', { name: 'last-word', targets: [{ url: svc.url }] })
      .catch(() => undefined);
    const stopped = running.stop();
    const answered = await slow;
    expect(answered.status, answered.text).toBe(200);
    expect(answered.json().url).toBe('/levels?delay=800');
    expect(await stopped).toBe(0);
    expect(existsSync(join(dataDir, 'turnpike.lock'))).toBe(false);
    const last = await lastWrite;
    const expectedRevision = last?.status === 201 ? before + 1 : before;
    if (last?.status === 201) acknowledged.push(`/upstreams/${last.body.id}`);

    const again = await start();
    await expectAllThere(again);
    expect((await adminOf(again).call('GET', '/status')).body.revision).toBe(expectedRevision);
    expect((await adminOf(again).call('GET', '/apis?name=bad')).body.data).toEqual([]);
    expect((await callWith(again, app.key)).status).toBe(200);
    expect((await callWith(again, laterKey)).status).toBe(200);
    expect(again.output()).not.toMatch(/tpa_/); // the admin token from the first start is the one
  });
});
