// The domain rules of the control plane, through the admin API, on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('control-plane rules on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  it('refuses to delete an upstream that APIs use, and names them', async () => {
    const c = await chain(h, 'rule-up', '/rule-up');
    const response = await h.call('DELETE', `/admin/v1/upstreams/${c.upstreamId}`);
    expect(response.status).toBe(409);
    expect(response.body.detail).toContain('rule-up');
    expect((await h.call('GET', `/admin/v1/upstreams/${c.upstreamId}`)).status).toBe(200);
  });

  it('lets APIs share a base path when their routes differ, and refuses the same route twice', async () => {
    const up = await created(h, '/admin/v1/upstreams', {
      name: 'bp-up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    const a = await created(h, '/admin/v1/apis', { name: 'bp-a', basePath: '/bp', upstreamId: up.id });
    await created(h, `/admin/v1/apis/${a.id}/routes`, { name: 'x', methods: ['GET'], path: '/x' });
    const b = await created(h, '/admin/v1/apis', { name: 'bp-b', basePath: '/bp', upstreamId: up.id });
    expect(
      (await h.call('POST', `/admin/v1/apis/${b.id}/routes`, { name: 'y', methods: ['GET'], path: '/y' }))
        .status,
    ).toBe(201);
    const same = await h.call('POST', `/admin/v1/apis/${b.id}/routes`, {
      name: 'x',
      methods: ['GET'],
      path: '/x',
    });
    expect(same.status).toBe(409);
    expect(same.body.detail).toContain('could not tell two routes apart');
    // An API that names its host has a table of its own, searched first for that host.
    const c = await created(h, '/admin/v1/apis', {
      name: 'bp-c',
      basePath: '/bp',
      hosts: ['c.test'],
      upstreamId: up.id,
    });
    expect(
      (await h.call('POST', `/admin/v1/apis/${c.id}/routes`, { name: 'x', methods: ['GET'], path: '/x' }))
        .status,
    ).toBe(201);
  });

  it('refuses routes the gateway could not tell apart, also across APIs', async () => {
    const up = await created(h, '/admin/v1/upstreams', {
      name: 'rc-up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    const a = await created(h, '/admin/v1/apis', { name: 'rc-a', basePath: '/rc', upstreamId: up.id });
    await created(h, `/admin/v1/apis/${a.id}/routes`, { name: 'one', methods: ['GET'], path: '/items/{id}' });
    // Parameter names do not tell routes apart; methods do, and a route for every method is the
    // fallback behind routes that name theirs.
    const same = await h.call('POST', `/admin/v1/apis/${a.id}/routes`, {
      name: 'two',
      methods: ['GET'],
      path: '/items/{other}',
    });
    expect(same.status).toBe(409);
    expect(
      (
        await h.call('POST', `/admin/v1/apis/${a.id}/routes`, {
          name: 'three',
          methods: ['POST'],
          path: '/items/{x}',
        })
      ).status,
    ).toBe(201);
    expect(
      (await h.call('POST', `/admin/v1/apis/${a.id}/routes`, { name: 'any', path: '/items/{y}' })).status,
    ).toBe(201);
    // /rc + /deep/x and /rc/deep + /x are the same path for the gateway.
    await created(h, `/admin/v1/apis/${a.id}/routes`, { name: 'deep', path: '/deep/x' });
    const b = await created(h, '/admin/v1/apis', { name: 'rc-b', basePath: '/rc/deep', upstreamId: up.id });
    const across = await h.call('POST', `/admin/v1/apis/${b.id}/routes`, { name: 'x', path: '/x' });
    expect(across.status).toBe(409);
    expect(across.body.detail).toContain('could not tell two routes apart');
    // Moving an API's base path onto another's routes is refused the same way.
    expect((await h.call('POST', `/admin/v1/apis/${b.id}/routes`, { name: 'y', path: '/y' })).status).toBe(
      201,
    );
    const c = await created(h, '/admin/v1/apis', { name: 'rc-c', basePath: '/elsewhere', upstreamId: up.id });
    await created(h, `/admin/v1/apis/${c.id}/routes`, { name: 'y', path: '/deep/y' });
    expect((await h.call('PATCH', `/admin/v1/apis/${c.id}`, { basePath: '/rc' })).status).toBe(409);
    expect((await h.call('GET', `/admin/v1/apis/${c.id}`)).body.basePath).toBe('/elsewhere');
  });

  it('keeps its rules under concurrent writes (a clash across APIs, two open subscriptions)', async () => {
    const up = await created(h, '/admin/v1/upstreams', {
      name: 'race-up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    const a = await created(h, '/admin/v1/apis', { name: 'race-a', basePath: '/race', upstreamId: up.id });
    const b = await created(h, '/admin/v1/apis', { name: 'race-b', basePath: '/race/b', upstreamId: up.id });
    const c = await chain(h, 'race-subs', '/race-subs');
    const gold = await created(h, '/admin/v1/plans', { productId: c.productId, name: 'gold' });
    for (let i = 0; i < 10; i++) {
      const routes = await Promise.all([
        h.call('POST', `/admin/v1/apis/${a.id}/routes`, { name: `b${i}`, path: `/b/c${i}` }),
        h.call('POST', `/admin/v1/apis/${b.id}/routes`, { name: `c${i}`, path: `/c${i}` }),
      ]);
      expect(routes.map((r) => r.status).sort()).toEqual([201, 409]);
    }
    const app = await created(h, '/admin/v1/applications', { accountId: c.accountId, name: 'racer' });
    const subs = await Promise.all([
      h.call('POST', '/admin/v1/subscriptions', { applicationId: app.id, planId: c.planId }),
      h.call('POST', '/admin/v1/subscriptions', { applicationId: app.id, planId: gold.id }),
    ]);
    expect(subs.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it('keeps one default plan per product', async () => {
    const c = await chain(h, 'defaults', '/defaults');
    const first = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'basic',
      default: true,
    });
    const second = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'pro',
      default: true,
    });
    expect((await h.call('GET', `/admin/v1/plans/${first.id}`)).body.default).toBe(false);
    expect((await h.call('GET', `/admin/v1/plans/${second.id}`)).body.default).toBe(true);
  });

  it('moves subscriptions only along allowed states and keeps one open per product', async () => {
    const c = await chain(h, 'subs', '/subs');
    const manual = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'gold',
      approval: 'manual',
    });
    const pending = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: manual.id,
    });
    expect(pending.state).toBe('pending');
    const second = await h.call('POST', '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    expect(second.status).toBe(409);
    expect(
      (await h.call('PATCH', `/admin/v1/subscriptions/${pending.id}`, { state: 'active' })).body.state,
    ).toBe('active');
    expect(
      (await h.call('PATCH', `/admin/v1/subscriptions/${pending.id}`, { state: 'cancelled' })).status,
    ).toBe(200);
    const back = await h.call('PATCH', `/admin/v1/subscriptions/${pending.id}`, { state: 'active' });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('invalid-transition');
    // With the gold subscription cancelled, the trial plan can be taken.
    expect(
      (await h.call('POST', '/admin/v1/subscriptions', { applicationId: c.applicationId, planId: c.planId }))
        .status,
    ).toBe(201);
  });

  it('takes no new subscriptions on a closed plan', async () => {
    const c = await chain(h, 'closed', '/closed');
    await h.call('PATCH', `/admin/v1/plans/${c.planId}`, { state: 'closed' });
    const response = await h.call('POST', '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    expect(response.status).toBe(409);
  });

  it('refuses to delete a product whose plans have subscriptions, deletes it with its plans otherwise', async () => {
    const c = await chain(h, 'prod-del', '/prod-del');
    const sub = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    expect((await h.call('DELETE', `/admin/v1/products/${c.productId}`)).status).toBe(409);
    await h.call('DELETE', `/admin/v1/subscriptions/${sub.id}`);
    expect((await h.call('DELETE', `/admin/v1/products/${c.productId}`)).status).toBe(204);
    expect((await h.call('GET', `/admin/v1/plans/${c.planId}`)).status).toBe(404);
  });

  it('deletes an account with its applications, keys and subscriptions', async () => {
    const c = await chain(h, 'acct-del', '/acct-del');
    await created(h, '/admin/v1/subscriptions', { applicationId: c.applicationId, planId: c.planId });
    await created(h, `/admin/v1/applications/${c.applicationId}/keys`, {});
    expect((await h.call('DELETE', `/admin/v1/accounts/${c.accountId}`)).status).toBe(204);
    expect((await h.call('GET', `/admin/v1/applications/${c.applicationId}`)).status).toBe(404);
    expect(
      (await h.call('GET', `/admin/v1/subscriptions?applicationId=${c.applicationId}`)).body.data,
    ).toEqual([]);
  });

  it('pages through lists in creation order with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++) await created(h, '/admin/v1/accounts', { name: `page-${i}` });
    const names: string[] = [];
    let cursor: string | null = '';
    let pages = 0;
    while (cursor !== null) {
      const page: { body: { data: { name: string }[]; next: string | null } } = await h.call(
        'GET',
        `/admin/v1/accounts?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      names.push(...page.body.data.map((a) => a.name));
      cursor = page.body.next;
      pages++;
    }
    const expected = names.filter((n) => n.startsWith('page-'));
    expect(expected).toEqual(['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    expect(new Set(names).size).toBe(names.length);
    // The last page says so itself (next: null): no empty page at the end.
    expect(pages).toBe(Math.ceil(names.length / 2));
  });

  it('builds snapshots whose grants follow active subscriptions only', async () => {
    const c = await chain(h, 'grants', '/grants');
    const sub = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    const grantsOf = () => h.distributor.latest?.applications.find((a) => a.id === c.applicationId)?.grants;
    expect(grantsOf()).toEqual([{ apiId: c.apiId, planId: c.planId, subscriptionId: sub.id }]);
    await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { state: 'suspended' });
    expect(grantsOf()).toEqual([]);
    await h.call('PATCH', `/admin/v1/accounts/${c.accountId}`, { state: 'suspended' });
    expect(h.distributor.latest?.applications.find((a) => a.id === c.applicationId)?.active).toBe(false);
  });
});
