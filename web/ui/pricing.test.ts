// The price lines the portal shows with a plan, in the plan's currency.
import { describe, expect, it } from 'vitest';
import { formatPricing, formatTiers, type Pricing } from './pricing.ts';

const priced = (change: Partial<Pricing>): Pricing => ({
  currency: 'EUR',
  setupFee: 0,
  monthlyFee: 0,
  trialDays: 0,
  perUnit: [],
  ...change,
});

describe('plan prices', () => {
  it('reads Free without pricing or with nothing to pay', () => {
    expect(formatPricing(null)).toBe('Free');
    expect(formatPricing(undefined)).toBe('Free');
    expect(formatPricing(priced({ trialDays: 30 }))).toBe('Free');
  });

  it('joins the monthly fee, the setup fee and the trial', () => {
    expect(formatPricing(priced({ monthlyFee: 49, setupFee: 10, trialDays: 14 }))).toBe(
      '€49.00 a month · €10.00 setup · 14-day trial',
    );
    expect(formatPricing(priced({ currency: 'USD', monthlyFee: 1250.5 }))).toBe('$1,250.50 a month');
    expect(formatPricing(priced({ perUnit: [{ metric: 'hits', upTo: null, price: 0.01 }] }))).toBe(
      'No monthly fee',
    );
  });

  it("shows the currency's own decimals, and the cents a currency without them was given", () => {
    expect(formatPricing(priced({ currency: 'JPY', monthlyFee: 5000 }))).toBe('¥5,000 a month');
    expect(formatPricing(priced({ currency: 'JPY', monthlyFee: 5000.5 }))).toBe('¥5,000.5 a month');
    // Intl puts a no-break space after a currency code.
    expect(formatPricing(priced({ currency: 'KWD', monthlyFee: 3 }))).toBe('KWD\u00a03.000 a month');
  });

  it('reads tiers per metric: the first, the ones between and the open last one', () => {
    const pricing = priced({
      perUnit: [
        { metric: 'hits', upTo: 10_000, price: 0.002 },
        { metric: 'search', upTo: null, price: 0.5 },
        { metric: 'hits', upTo: 50_000, price: 0.001 },
        { metric: 'hits', upTo: null, price: 0.000125 },
      ],
    });
    expect(formatTiers(pricing)).toEqual([
      '€0.002 per call for the first 10,000',
      '€0.50 per search call',
      '€0.001 per call from 10,001 to 50,000',
      '€0.000125 per call above 50,000',
    ]);
    expect(formatTiers(null)).toEqual([]);
  });
});
