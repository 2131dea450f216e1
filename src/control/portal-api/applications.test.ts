// A developer's own applications, keys, subscriptions and usage through the portal API, on both
// stores: another account's are invisible (404), keys are shown once, plans follow their
// approval, hidden plans cannot be chosen, and usage and limits read the metered counts.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';
import { type PortalBrowser, type PortalHarness, startPortal } from '../../../test/support/portal.ts';
import { recordUsageBatch } from '../services/usage.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('portal applications on %s', (kind) => {
  let admin: AdminHarness;
  let portal: PortalHarness;
  let ada: PortalBrowser;
  let eve: PortalBrowser;
  const plans: Record<string, string> = {};

  async function developer(email: string, organization: string): Promise<PortalBrowser> {
    await portal.browser().call('POST', '/portal/v1/signup', { email, password, name: email, organization });
    const browser = portal.browser();
    await browser.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken(email, '/verify-email'),
    });
    await browser.signIn(email, password);
    return browser;
  }

  beforeAll(async () => {
    admin = await startAdmin(kind);
    portal = await startPortal(admin);
    const c = await chain(admin, 'weather', '/weather');
    plans.trial = c.planId;
    const plan = async (name: string, body: object) =>
      (plans[name] = (await created(admin, '/admin/v1/plans', { productId: c.productId, name, ...body })).id);
    await plan('public', { approval: 'manual', limits: [{ metric: 'hits', period: 'day', max: 1000 }] });
    await plan('partner', { visibility: 'hidden' });
    ada = await developer('ada@example.com', 'Ada Labs');
    eve = await developer('eve@example.com', 'Eve Corp');
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  it('creates, lists, renames and deletes applications of the own account only', async () => {
    const app = await ada.call('POST', '/portal/v1/applications', { name: 'mobile', description: 'The app' });
    expect(app.status).toBe(201);
    expect(app.body).toEqual({
      id: expect.stringMatching(/^app_/),
      name: 'mobile',
      description: 'The app',
      state: 'active',
      customFields: {},
      createdAt: expect.any(String),
    });
    expect(
      (await ada.call('GET', '/portal/v1/applications')).body.data.map((a: { name: string }) => a.name),
    ).toEqual(['mobile']);
    expect((await eve.call('GET', '/portal/v1/applications')).body.data).toEqual([]);
    // Eve cannot see, change, key or delete Ada's application: it does not exist for her.
    for (const [method, url, body] of [
      ['GET', `/portal/v1/applications/${app.body.id}`, undefined],
      ['PATCH', `/portal/v1/applications/${app.body.id}`, { name: 'stolen' }],
      ['POST', `/portal/v1/applications/${app.body.id}/keys`, {}],
      ['DELETE', `/portal/v1/applications/${app.body.id}`, undefined],
    ] as const) {
      const answer = await eve.call(method, url, body);
      expect([answer.status, answer.body.code], `${method} ${url}`).toEqual([404, 'not-found']);
    }
    const renamed = await ada.call('PATCH', `/portal/v1/applications/${app.body.id}`, { name: 'mobile-2' });
    expect(renamed.body.name).toBe('mobile-2');
    const bad = await ada.call('POST', '/portal/v1/applications', { name: 'has spaces' });
    expect(bad.status).toBe(400);
    expect((await ada.call('DELETE', `/portal/v1/applications/${app.body.id}`)).status).toBe(204);
    expect((await ada.call('GET', '/portal/v1/applications')).body.data).toEqual([]);
  });

  it('shows a new key once, lists keys without it, rotates with a grace period and revokes', async () => {
    const app = (await ada.call('POST', '/portal/v1/applications', { name: 'keys' })).body;
    const key = await ada.call('POST', `/portal/v1/applications/${app.id}/keys`, { label: 'laptop' });
    expect(key.status).toBe(201);
    expect(key.body.key).toMatch(/^tp_live_/);
    expect(key.headers['cache-control']).toBe('no-store');
    const listed = (await ada.call('GET', `/portal/v1/applications/${app.id}/keys`)).body.data;
    expect(listed).toEqual([expect.objectContaining({ id: key.body.id, label: 'laptop', status: 'active' })]);
    expect(JSON.stringify(listed)).not.toContain(key.body.key);

    const rotated = await ada.call('POST', `/portal/v1/applications/${app.id}/keys/${key.body.id}/rotate`, {
      graceSeconds: 3600,
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body.key).toMatch(/^tp_live_/);
    expect(rotated.body.key).not.toBe(key.body.key);
    const old = (await ada.call('GET', `/portal/v1/applications/${app.id}/keys`)).body.data.find(
      (k: { id: string }) => k.id === key.body.id,
    );
    expect(old.status).toBe('active'); // for the grace period
    const revoked = await ada.call(
      'POST',
      `/portal/v1/applications/${app.id}/keys/${rotated.body.id}/revoke`,
    );
    expect(revoked.body.status).toBe('revoked');
  });

  it('subscribes to public plans by their approval, refuses hidden ones, changes plan and cancels', async () => {
    const app = (await ada.call('POST', '/portal/v1/applications', { name: 'subscriber' })).body;
    const hidden = await ada.call('POST', `/portal/v1/applications/${app.id}/subscriptions`, {
      planId: plans.partner,
    });
    expect([hidden.status, hidden.body.code]).toEqual([422, 'reference-not-found']);
    const trial = await ada.call('POST', `/portal/v1/applications/${app.id}/subscriptions`, {
      planId: plans.trial,
    });
    expect(trial.body).toMatchObject({ planId: plans.trial, state: 'active' });
    // One open subscription per product: moving to Public is a plan change, kept as the same subscription.
    const moved = await ada.call('PATCH', `/portal/v1/subscriptions/${trial.body.id}`, {
      planId: plans.public,
    });
    expect(moved.body).toMatchObject({ id: trial.body.id, planId: plans.public });
    const toHidden = await ada.call('PATCH', `/portal/v1/subscriptions/${trial.body.id}`, {
      planId: plans.partner,
    });
    expect(toHidden.status).toBe(422);
    expect((await eve.call('DELETE', `/portal/v1/subscriptions/${trial.body.id}`)).status).toBe(404);
    const listed = await ada.call('GET', `/portal/v1/applications/${app.id}/subscriptions`);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: trial.body.id,
        plan: { id: plans.public, name: 'public' },
        state: 'active',
      }),
    ]);
    const cancelled = await ada.call('DELETE', `/portal/v1/subscriptions/${trial.body.id}`);
    expect(cancelled.body.state).toBe('cancelled');
    // A manual plan waits for the provider.
    const pending = await ada.call('POST', `/portal/v1/applications/${app.id}/subscriptions`, {
      planId: plans.public,
    });
    expect(pending.body.state).toBe('pending');
  });

  it('reads usage and what is left of each limit, for its own subscriptions only', async () => {
    const app = (await ada.call('POST', '/portal/v1/applications', { name: 'metered' })).body;
    const sub = (
      await admin.call('POST', '/admin/v1/subscriptions', {
        applicationId: app.id,
        planId: plans.public,
        state: 'active',
      })
    ).body;
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    await recordUsageBatch(admin.store.db, {
      id: randomUUID(),
      entries: [{ subscriptionId: sub.id, metric: 'hits', hour, units: 42 }],
    });
    const usage = await ada.call('GET', `/portal/v1/applications/${app.id}/usage?granularity=hour`);
    expect(usage.body.data).toEqual([
      expect.objectContaining({ subscriptionId: sub.id, metric: 'hits', units: 42, start: hour }),
    ]);
    const limits = await ada.call('GET', `/portal/v1/subscriptions/${sub.id}/limits`);
    expect(limits.body.data).toEqual([
      expect.objectContaining({ metric: 'hits', period: 'day', max: 1000, used: 42, remaining: 958 }),
    ]);
    expect((await eve.call('GET', `/portal/v1/subscriptions/${sub.id}/limits`)).status).toBe(404);
    expect((await eve.call('GET', `/portal/v1/applications/${app.id}/usage`)).status).toBe(404);
    const badRange = await ada.call('GET', `/portal/v1/applications/${app.id}/usage?from=yesterday`);
    expect(badRange.status).toBe(400);
  });

  it("reads its own application's traffic, errors and latency, and nobody else's", async () => {
    const app = (await ada.call('POST', '/portal/v1/applications', { name: 'watched' })).body;
    const other = (await eve.call('POST', '/portal/v1/applications', { name: 'elsewhere' })).body;
    const minute = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 120_000).toISOString();
    const rollup = (applicationId: string, status: number, requests: number) => ({
      minute,
      apiId: 'api_x',
      routeId: 'rte_x',
      applicationId,
      accountId: 'acc_x',
      planId: 'pln_x',
      status,
      requests,
      latencyMsSum: requests * 20,
      upstreamMsSum: 0,
      upstreamRequests: 0,
      bytesIn: 0,
      bytesOut: 0,
      latency: [],
    });
    await recordUsageBatch(admin.store.db, {
      id: randomUUID(),
      entries: [],
      analytics: {
        rollups: [rollup(app.id, 200, 8), rollup(app.id, 429, 2), rollup(other.id, 200, 50)],
        requests: [],
      },
    });
    const summary = await ada.call(
      'GET',
      `/portal/v1/applications/${app.id}/analytics/summary?from=${minute}`,
    );
    expect(summary.body).toMatchObject({ requests: 10, clientErrors: 2, errorRate: 0.2, latencyAvgMs: 20 });
    // A filter naming another application is not a filter a developer may send.
    const sneaky = await ada.call(
      'GET',
      `/portal/v1/applications/${app.id}/analytics/summary?from=${minute}&applicationId=${other.id}`,
    );
    expect(sneaky.body.requests ?? 10).toBe(10);
    const statuses = await ada.call(
      'GET',
      `/portal/v1/applications/${app.id}/analytics/top?by=status&from=${minute}`,
    );
    expect(statuses.body.items.map((i: { id: string; requests: number }) => [i.id, i.requests])).toEqual([
      ['200', 8],
      ['429', 2],
    ]);
    const traffic = await ada.call(
      'GET',
      `/portal/v1/applications/${app.id}/analytics/traffic?interval=minute&from=${minute}`,
    );
    expect(traffic.body.points[0]).toMatchObject({ start: minute, requests: 10 });
    expect((await eve.call('GET', `/portal/v1/applications/${app.id}/analytics/summary`)).status).toBe(404);
    const byAccount = await ada.call('GET', `/portal/v1/applications/${app.id}/analytics/top?by=account`);
    expect(byAccount.status).toBe(400);
  });
});
