// What a plan costs, for developers to read: a currency, a setup and a monthly fee, free trial
// days and prices per unit of a metric in tiers. Display only: nothing counts, invoices or charges
// yet. Amounts are decimal numbers as written (jsonb keeps them as PostgreSQL numeric), so the
// bounds on decimals keep every stored amount exact when read back.
import { z } from 'zod';
import { metric } from './metric.ts';

/** Most money a fee or a unit price may be, in the plan's currency. */
export const maxAmount = 1_000_000;
export const maxTiers = 10;
export const maxTrialDays = 365;

/** A number with at most `places` decimals: as sent, it reads back the same when rounded to them. */
const amount = (places: number) =>
  z
    .number()
    .min(0)
    .max(maxAmount)
    .refine((v) => Number(v.toFixed(places)) === v, `must have at most ${places} decimals`);

export const currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code: three upper-case letters, such as EUR')
  .describe('ISO 4217 currency code of every amount, such as `EUR` or `USD`.');

export const pricingTier = z
  .strictObject({
    metric,
    upTo: z
      .int()
      .min(1)
      .max(Number.MAX_SAFE_INTEGER)
      .nullable()
      .optional()
      .meta({ default: null })
      .describe(
        "Last unit of the month the tier's price applies to, counting from the end of the tier before; `null` on the last tier of a metric: every unit beyond.",
      ),
    price: amount(6).describe('Price of one unit in the tier; up to 6 decimals.'),
  })
  .meta({ id: 'PricingTier', description: 'A price per unit of a metric, up to a number of units.' });

export const pricingTiers = z
  .array(pricingTier)
  .max(maxTiers)
  .superRefine((tiers, ctx) => {
    // Per metric, in list order: upTo ascends, and the last tier alone is open-ended (null).
    const last = new Map<string, number>();
    for (const [i, tier] of tiers.entries()) last.set(tier.metric, i);
    const reached = new Map<string, number>();
    for (const [i, tier] of tiers.entries()) {
      const upTo = tier.upTo ?? null;
      const isLast = last.get(tier.metric) === i;
      const before = reached.get(tier.metric);
      if (upTo === null && !isLast)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upTo'],
          message: `only the last tier of ${tier.metric} may leave upTo null`,
        });
      else if (upTo !== null && isLast)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upTo'],
          message: `must be null on the last tier of ${tier.metric}, so every unit has a price`,
        });
      if (upTo !== null && before !== undefined && upTo <= before)
        ctx.addIssue({
          code: 'custom',
          path: [i, 'upTo'],
          message: `must be more than ${before}, the upTo of the tier of ${tier.metric} before it`,
        });
      if (upTo !== null) reached.set(tier.metric, Math.max(upTo, before ?? 0));
    }
  })
  .describe(
    "Prices per unit of a metric above the plan's included usage, in tiers: per metric, `upTo` ascends and the last tier's is `null`.",
  );

export const planPricingInput = z
  .strictObject({
    currency,
    setupFee: amount(2)
      .optional()
      .meta({ default: 0 })
      .describe('Paid once, at subscription; up to 2 decimals.'),
    monthlyFee: amount(2).describe('Paid every month; up to 2 decimals; 0 when only units are paid for.'),
    trialDays: z
      .int()
      .min(0)
      .max(maxTrialDays)
      .optional()
      .meta({ default: 0 })
      .describe('Days free of charge from the start of a subscription.'),
    perUnit: pricingTiers.optional().meta({ default: [] }),
  })
  .meta({
    id: 'PlanPricing',
    description: 'What the plan costs, shown to developers; display only, nothing is charged yet.',
  });

/** As responses show it: every field, defaults filled in (inline, like a plan's limits). */
export const planPricing = z.strictObject({
  currency: z.string(),
  setupFee: z.number(),
  monthlyFee: z.number(),
  trialDays: z.int(),
  perUnit: z.array(z.strictObject({ metric: z.string(), upTo: z.int().nullable(), price: z.number() })),
});

export type PlanPricingInput = z.infer<typeof planPricingInput>;
export type PlanPricing = z.infer<typeof planPricing>;

/** The pricing with its defaults filled in, as stored and shown. */
export function resolvePricing(input: PlanPricingInput | null | undefined): PlanPricing | null {
  if (!input) return null;
  return {
    currency: input.currency,
    setupFee: input.setupFee ?? 0,
    monthlyFee: input.monthlyFee,
    trialDays: input.trialDays ?? 0,
    perUnit: (input.perUnit ?? []).map((t) => ({ metric: t.metric, upTo: t.upTo ?? null, price: t.price })),
  };
}
