// Changing a subscription's plan through the admin API, on both stores: the subscription (and
// so its id, which keys its usage) stays, only within the product, only to a published plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('subscription plan changes on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  it('moves a subscription to another plan of its product at once, keeping its id, and audits it', async () => {
    const c = await chain(h, 'move', '/move');
    const sub = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    // Manual approval applies to new subscriptions; an admin's plan change is not one.
    const pro = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'pro',
      approval: 'manual',
    });
    const moved = await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { planId: pro.id });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: sub.id, planId: pro.id, state: 'active' });
    const grants = h.distributor.latest?.applications.find((a) => a.id === c.applicationId)?.grants;
    expect(grants).toEqual([{ apiId: c.apiId, planId: pro.id, subscriptionId: sub.id }]);
    const events = await h.call('GET', `/admin/v1/audit-events?objectType=subscription&objectId=${sub.id}`);
    expect(events.body.data[0]).toMatchObject({
      action: 'update',
      before: { planId: c.planId },
      after: { planId: pro.id },
    });
    // State and plan in one call; the same plan again changes nothing but updatedAt.
    const both = await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, {
      planId: c.planId,
      state: 'suspended',
    });
    expect(both.body).toMatchObject({ id: sub.id, planId: c.planId, state: 'suspended' });
    const again = await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { planId: c.planId });
    expect(again.body).toMatchObject({ planId: c.planId, state: 'suspended' });
  });

  it('refuses a plan of another product, an unpublished plan, an unknown plan and a final subscription', async () => {
    const c = await chain(h, 'stay', '/stay');
    const other = await chain(h, 'elsewhere', '/elsewhere');
    const sub = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    const patch = (body: unknown) => h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, body);

    const across = await patch({ planId: other.planId });
    expect(across.status).toBe(409);
    expect(across.body.detail).toBe(
      'plan trial belongs to another product; a subscription changes plan only within its product',
    );
    for (const state of ['staging', 'deprecated', 'closed']) {
      const plan = await created(h, '/admin/v1/plans', { productId: c.productId, name: `p-${state}`, state });
      const refused = await patch({ planId: plan.id });
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toBe(
        `plan p-${state} is ${state}; a subscription changes only to a published plan`,
      );
    }
    const unknown = await patch({ planId: 'pln_00000000000000000000000000' });
    expect(unknown.status).toBe(422);
    expect((await patch({})).status).toBe(400);
    expect((await h.call('GET', `/admin/v1/subscriptions/${sub.id}`)).body.planId).toBe(c.planId);

    const gold = await created(h, '/admin/v1/plans', { productId: c.productId, name: 'gold' });
    await patch({ state: 'cancelled' });
    const final = await patch({ planId: gold.id });
    expect(final.status).toBe(409);
    expect(final.body.code).toBe('invalid-transition');
  });
});
