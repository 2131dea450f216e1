// Plan pricing through the admin API, on both stores: null unless given, defaults filled in,
// exact amounts, a PATCH replaces or clears it, and bad values refused naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('plan pricing on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  const pricing = {
    currency: 'EUR',
    setupFee: 10,
    monthlyFee: 49.99,
    trialDays: 14,
    perUnit: [
      { metric: 'hits', upTo: 100_000, price: 0.000125 },
      { metric: 'hits', upTo: null, price: 0.0001 },
    ],
  };

  it('stores pricing with its amounts exact, shows it in get and list, and null when not given', async () => {
    const c = await chain(h, 'priced', '/priced');
    const plan = await created(h, '/admin/v1/plans', { productId: c.productId, name: 'pro', pricing });
    expect(plan.pricing).toEqual(pricing);
    expect((await h.call('GET', `/admin/v1/plans/${plan.id}`)).body).toEqual(plan);
    const listed = (await h.call('GET', `/admin/v1/plans?productId=${c.productId}`)).body.data;
    expect(listed.map((p: { name: string; pricing: unknown }) => [p.name, p.pricing])).toEqual([
      ['trial', null],
      ['pro', pricing],
    ]);
    // Omitted optional fields are filled in; a tier's upTo may be left out on the last tier.
    const basic = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'basic',
      pricing: { currency: 'USD', monthlyFee: 5, perUnit: [{ metric: 'search', price: 0.5 }] },
    });
    expect(basic.pricing).toEqual({
      currency: 'USD',
      setupFee: 0,
      monthlyFee: 5,
      trialDays: 0,
      perUnit: [{ metric: 'search', upTo: null, price: 0.5 }],
    });
  });

  it('replaces the pricing on PATCH, keeps it when other fields change, and clears it with null', async () => {
    const c = await chain(h, 'repriced', '/repriced');
    const patch = (body: unknown) => h.call('PATCH', `/admin/v1/plans/${c.planId}`, body);
    expect((await patch({ pricing })).body.pricing).toEqual(pricing);
    expect((await patch({ description: 'Now with a price.' })).body.pricing).toEqual(pricing);
    const cheaper = await patch({ pricing: { currency: 'GBP', monthlyFee: 0 } });
    expect(cheaper.body.pricing).toEqual({
      currency: 'GBP',
      setupFee: 0,
      monthlyFee: 0,
      trialDays: 0,
      perUnit: [],
    });
    expect((await patch({ pricing: null })).body.pricing).toBeNull();
    expect((await h.call('GET', `/admin/v1/plans/${c.planId}`)).body.pricing).toBeNull();
    const events = await h.call('GET', `/admin/v1/audit-events?objectType=plan&objectId=${c.planId}`);
    expect(events.body.data[0]).toMatchObject({
      before: { pricing: cheaper.body.pricing },
      after: { pricing: null },
    });
  });

  it('refuses a bad currency, too many decimals and tiers out of order, naming each field', async () => {
    const c = await chain(h, 'misprice', '/misprice');
    const response = await h.call('POST', '/admin/v1/plans', {
      productId: c.productId,
      name: 'bad',
      pricing: {
        currency: 'euro',
        setupFee: 9.999,
        monthlyFee: -1,
        trialDays: 400,
        perUnit: [
          { metric: 'hits', upTo: 500, price: 0.01 },
          { metric: 'hits', upTo: 100, price: 0.0000001 },
          { metric: 'hits', upTo: null, price: 0.001 },
        ],
      },
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation-failed');
    expect((response.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'body.pricing.currency',
      'body.pricing.setupFee',
      'body.pricing.monthlyFee',
      'body.pricing.trialDays',
      'body.pricing.perUnit[1].price',
      'body.pricing.perUnit[1].upTo',
    ]);
    const unknown = await h.call('PATCH', `/admin/v1/plans/${c.planId}`, {
      pricing: { currency: 'EUR', monthlyFee: 1, yearlyFee: 100 },
    });
    expect([unknown.status, unknown.body.errors?.[0]?.path]).toEqual([400, 'body.pricing']);
    expect((await h.call('GET', `/admin/v1/plans/${c.planId}`)).body.pricing).toBeNull();
  });
});
