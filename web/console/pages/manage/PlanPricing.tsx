// The Pricing fieldset of the plan editor: a switch for a priced plan, its currency, fees and
// trial, and prices per unit as tier rows. Display only: the portal shows it, nothing charges.
import {
  Button,
  Fieldset,
  Group,
  NumberInput,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import type { Pricing } from '../../../ui/pricing.ts';
import { numberOf } from './resources.ts';

interface TierRow {
  metric: string;
  /** Empty: the metric's last tier, every unit beyond. */
  upTo: number | string;
  price: number | string;
}

/** The fieldset's values as typed: numbers may be empty strings while edited. */
export interface PricingDraft {
  priced: boolean;
  currency: string;
  setupFee: number | string;
  monthlyFee: number | string;
  trialDays: number | string;
  tiers: TierRow[];
}

export function pricingDraft(pricing: Pricing | null | undefined): PricingDraft {
  return {
    priced: Boolean(pricing),
    currency: pricing?.currency ?? 'EUR',
    setupFee: pricing?.setupFee ?? 0,
    monthlyFee: pricing?.monthlyFee ?? '',
    trialDays: pricing?.trialDays ?? 0,
    tiers: (pricing?.perUnit ?? []).map((t) => ({ metric: t.metric, upTo: t.upTo ?? '', price: t.price })),
  };
}

/** The `pricing` of a plan's body: null when not priced; the admin API checks the rest. */
export function pricingBody(draft: PricingDraft) {
  if (!draft.priced) return null;
  return {
    currency: draft.currency.trim().toUpperCase(),
    setupFee: numberOf(draft.setupFee) ?? 0,
    monthlyFee: numberOf(draft.monthlyFee),
    trialDays: numberOf(draft.trialDays) ?? 0,
    perUnit: draft.tiers.map((t) => ({
      metric: t.metric.trim(),
      upTo: numberOf(t.upTo) ?? null,
      price: numberOf(t.price),
    })),
  };
}

export function PricingFieldset({
  value,
  onChange,
}: {
  value: PricingDraft;
  onChange: (value: PricingDraft) => void;
}) {
  const set = (change: Partial<PricingDraft>) => onChange({ ...value, ...change });
  const setTier = (index: number, change: Partial<TierRow>) =>
    set({ tiers: value.tiers.map((t, i) => (i === index ? { ...t, ...change } : t)) });
  return (
    <Fieldset legend="Pricing">
      <Stack gap="sm">
        <Switch
          label="Priced plan"
          description="Shown to developers in the portal; off, the plan reads Free. Display only: nothing is invoiced or charged."
          checked={value.priced}
          onChange={(e) => set({ priced: e.currentTarget.checked })}
        />
        {value.priced && (
          <>
            <SimpleGrid cols={{ base: 1, sm: 4 }}>
              <TextInput
                label="Currency"
                description="ISO 4217 code, such as EUR."
                required
                maxLength={3}
                value={value.currency}
                onChange={(e) => set({ currency: e.currentTarget.value.toUpperCase() })}
              />
              <NumberInput
                label="Setup fee"
                description="Paid once."
                min={0}
                max={1_000_000}
                decimalScale={2}
                thousandSeparator=","
                value={value.setupFee}
                onChange={(setupFee) => set({ setupFee })}
              />
              <NumberInput
                label="Monthly fee"
                description="0 when only units are paid for."
                required
                min={0}
                max={1_000_000}
                decimalScale={2}
                thousandSeparator=","
                value={value.monthlyFee}
                onChange={(monthlyFee) => set({ monthlyFee })}
              />
              <NumberInput
                label="Trial days"
                description="Free of charge at first."
                min={0}
                max={365}
                allowDecimal={false}
                value={value.trialDays}
                onChange={(trialDays) => set({ trialDays })}
              />
            </SimpleGrid>
            <Text size="sm" c="dimmed">
              Prices per unit of a metric, in tiers. Per metric, Up to ascends, and the last tier leaves it
              empty to price every unit beyond.
            </Text>
            {value.tiers.map((tier, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows are edited in place, by position
              <Group key={index} align="flex-end" gap="sm" wrap="nowrap">
                <TextInput
                  label={`Metric (tier ${index + 1})`}
                  required
                  style={{ flex: 1 }}
                  value={tier.metric}
                  onChange={(e) => setTier(index, { metric: e.currentTarget.value })}
                />
                <NumberInput
                  label={`Up to (tier ${index + 1})`}
                  placeholder="every unit beyond"
                  min={1}
                  allowDecimal={false}
                  thousandSeparator=","
                  w={180}
                  value={tier.upTo}
                  onChange={(upTo) => setTier(index, { upTo })}
                />
                <NumberInput
                  label={`Price (tier ${index + 1})`}
                  required
                  min={0}
                  max={1_000_000}
                  decimalScale={6}
                  w={160}
                  value={tier.price}
                  onChange={(price) => setTier(index, { price })}
                />
                <Button
                  variant="default"
                  aria-label={`Remove tier ${index + 1}`}
                  onClick={() => set({ tiers: value.tiers.filter((_, i) => i !== index) })}
                >
                  Remove
                </Button>
              </Group>
            ))}
            <Group>
              <Button
                variant="default"
                onClick={() => set({ tiers: [...value.tiers, { metric: 'hits', upTo: '', price: '' }] })}
                disabled={value.tiers.length >= 10}
              >
                Add tier
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Fieldset>
  );
}
