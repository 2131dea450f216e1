// How a plan's price reads on the pages: "€49.00 a month · €10.00 setup · 14-day trial", "Free",
// and one line per tier of a price per unit. Amounts come as decimal numbers in the currency.
import { formatNumber } from './format.ts';

export interface PricingTier {
  metric: string;
  /** The tier's last unit; null on a metric's last tier: every unit beyond. */
  upTo: number | null;
  price: number;
}

export interface Pricing {
  currency: string;
  setupFee: number;
  monthlyFee: number;
  trialDays: number;
  perUnit: PricingTier[];
}

/** A currency formatter showing the currency's own decimals, and up to `places` more when an amount has them. */
function money(currency: string, places: number): Intl.NumberFormat {
  const own =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return new Intl.NumberFormat('en', {
    style: 'currency',
    currency,
    minimumFractionDigits: own,
    maximumFractionDigits: Math.max(own, places),
  });
}

/** `Free` when there is nothing to pay, else the fees and the trial joined by `·`. */
export function formatPricing(pricing: Pricing | null | undefined): string {
  return pricingParts(pricing).join(' · ');
}

/** The pieces of `formatPricing`, for pages that keep each on one line. */
export function pricingParts(pricing: Pricing | null | undefined): string[] {
  if (!pricing) return ['Free'];
  const { currency, setupFee, monthlyFee, trialDays, perUnit } = pricing;
  if (setupFee === 0 && monthlyFee === 0 && perUnit.length === 0) return ['Free'];
  const fee = money(currency, 2);
  const parts = [monthlyFee > 0 ? `${fee.format(monthlyFee)} a month` : 'No monthly fee'];
  if (setupFee > 0) parts.push(`${fee.format(setupFee)} setup`);
  if (trialDays > 0) parts.push(`${trialDays}-day trial`);
  return parts;
}

/** One line per tier: `€0.002 per call for the first 10,000`, `… from 10,001 to 50,000`, `… above 50,000`. */
export function formatTiers(pricing: Pricing | null | undefined): string[] {
  if (!pricing) return [];
  const unit = money(pricing.currency, 6);
  const reached = new Map<string, number>();
  return pricing.perUnit.map((tier) => {
    const what = tier.metric === 'hits' ? 'call' : `${tier.metric} call`;
    const price = `${unit.format(tier.price)} per ${what}`;
    const before = reached.get(tier.metric);
    if (tier.upTo !== null) reached.set(tier.metric, tier.upTo);
    if (tier.upTo === null) return before === undefined ? price : `${price} above ${formatNumber(before)}`;
    return before === undefined
      ? `${price} for the first ${formatNumber(tier.upTo)}`
      : `${price} from ${formatNumber(before + 1)} to ${formatNumber(tier.upTo)}`;
  });
}
