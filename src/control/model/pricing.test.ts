// The pricing rules as the admin API and the declarative file see them: currency codes, amounts
// with few enough decimals and in bounds, tiers ascending per metric with an open last tier.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../shared/errors.ts';
import { planPricingInput, resolvePricing } from './pricing.ts';

const problems = (value: unknown) =>
  (planPricingInput.safeParse(value).error?.issues ?? []).map((i) => `${formatPath(i.path)}: ${i.message}`);

describe('plan pricing', () => {
  it('fills in no setup fee, no trial and no tiers', () => {
    const parsed = planPricingInput.parse({ currency: 'EUR', monthlyFee: 49 });
    expect(resolvePricing(parsed)).toEqual({
      currency: 'EUR',
      setupFee: 0,
      monthlyFee: 49,
      trialDays: 0,
      perUnit: [],
    });
    expect(resolvePricing(null)).toBeNull();
    expect(resolvePricing(undefined)).toBeNull();
  });

  it('refuses a currency that is not three upper-case letters, and amounts out of bounds', () => {
    expect(problems({ currency: 'eur', setupFee: -1, monthlyFee: 1_000_000.01, trialDays: 366 })).toEqual([
      'currency: must be an ISO 4217 currency code: three upper-case letters, such as EUR',
      'setupFee: Too small: expected number to be >=0',
      'monthlyFee: Too big: expected number to be <=1000000',
      'trialDays: Too big: expected number to be <=365',
    ]);
    expect(problems({ currency: 'EURO', monthlyFee: 1 })[0]).toMatch(/^currency: /);
    expect(problems({ currency: 'EUR' })).toEqual([
      'monthlyFee: Invalid input: expected number, received undefined',
    ]);
    expect(problems({ currency: 'EUR', monthlyFee: 1, trialDays: 1.5 })).toEqual([
      'trialDays: Invalid input: expected int, received number',
    ]);
  });

  it('takes fees with at most 2 decimals and unit prices with at most 6', () => {
    expect(problems({ currency: 'USD', setupFee: 0.1, monthlyFee: 49.99 })).toEqual([]);
    expect(problems({ currency: 'USD', setupFee: 0.1 + 0.2, monthlyFee: 49.999 })).toEqual([
      'setupFee: must have at most 2 decimals',
      'monthlyFee: must have at most 2 decimals',
    ]);
    const tier = (price: number) => ({
      currency: 'USD',
      monthlyFee: 0,
      perUnit: [{ metric: 'hits', price }],
    });
    expect(problems(tier(0.000001))).toEqual([]);
    expect(problems(tier(1e-7))).toEqual(['perUnit[0].price: must have at most 6 decimals']);
    expect(problems(tier(0.0000015))).toEqual(['perUnit[0].price: must have at most 6 decimals']);
  });

  it('accepts every amount written with at most 2 decimals up to a million', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (cents) => {
        const fee = Number(`${Math.trunc(cents / 100)}.${String(cents % 100).padStart(2, '0')}`);
        return planPricingInput.safeParse({ currency: 'EUR', monthlyFee: fee, setupFee: fee }).success;
      }),
    );
  });

  it('takes tiers per metric ascending by upTo, each metric ending with an open tier', () => {
    expect(
      problems({
        currency: 'EUR',
        monthlyFee: 10,
        perUnit: [
          { metric: 'hits', upTo: 10_000, price: 0.002 },
          { metric: 'search', price: 0.01 },
          { metric: 'hits', upTo: null, price: 0.001 },
        ],
      }),
    ).toEqual([]);
  });

  it('refuses tiers out of order, an open tier before the last, a bounded last tier and more than 10', () => {
    expect(
      problems({
        currency: 'EUR',
        monthlyFee: 10,
        perUnit: [
          { metric: 'hits', upTo: 1000, price: 0.002 },
          { metric: 'hits', upTo: 1000, price: 0.001 },
          { metric: 'hits', price: 0.001 },
          { metric: 'hits', upTo: 5000, price: 0.0005 },
          { metric: 'search', upTo: 0, price: 1 },
        ],
      }),
    ).toEqual([
      'perUnit[4].upTo: Too small: expected number to be >=1',
      'perUnit[1].upTo: must be more than 1000, the upTo of the tier of hits before it',
      'perUnit[2].upTo: only the last tier of hits may leave upTo null',
      'perUnit[3].upTo: must be null on the last tier of hits, so every unit has a price',
      'perUnit[4].upTo: must be null on the last tier of search, so every unit has a price',
    ]);
    const eleven = Array.from({ length: 11 }, (_, i) => ({ metric: `m${i}`, price: 1 }));
    expect(problems({ currency: 'EUR', monthlyFee: 0, perUnit: eleven })).toEqual([
      'perUnit: Too big: expected array to have <=10 items',
    ]);
  });
});
