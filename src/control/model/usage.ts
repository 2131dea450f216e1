// Usage: the batches gateways hand over (what they let through, per subscription × metric ×
// hour), the usage series the admin API reads back, and how much of each plan limit is used.
import { z } from 'zod';
import { analyticsPayload } from './analytics.ts';
import { timestamp } from './fields.ts';
import { limitCounters, limitPeriods } from './metric.ts';

/** Most entries in one batch; a node with more to report sends several batches. */
export const maxUsageBatchEntries = 100_000;

const hourMs = 3_600_000;

// Not strict objects: a batch comes from a node that may run a newer Turnpike. Refusing it for a
// field this version does not know would lose its usage, as the node would retry it forever.
export const usageEntry = z
  .object({
    subscriptionId: z.string().min(1).max(64).describe('Id of the subscription (`sub_…`).'),
    metric: z.string().min(1).max(100).describe('The metric counted.'),
    hour: z.iso
      .datetime({ offset: true })
      .refine((value) => Date.parse(value) % hourMs === 0, 'must be the start of a UTC hour')
      .describe('Start of the UTC hour the units were counted in, such as `2026-11-21T18:00:00.000Z`.'),
    units: z.int().min(1).describe('Units counted; a positive whole number.'),
  })
  .meta({ id: 'UsageEntry', description: 'Units of one metric for one subscription in one hour.' });

export const usageBatchSchema = z
  .object({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, 'must be letters, digits, "_" or "-" (a UUID)')
      .describe('Unique per batch, a UUID; a batch whose id was stored before is not counted again.'),
    entries: z.array(usageEntry).max(maxUsageBatchEntries),
    // Malformed analytics never cost a batch its usage: they are dropped (and counted) instead.
    analytics: analyticsPayload.optional().catch(undefined),
  })
  .meta({ id: 'UsageBatch', description: 'What a gateway let through since its previous batch.' });

export const usageStored = z
  .strictObject({
    stored: z
      .boolean()
      .describe('true: counted now; false: a batch with this id was counted before, so nothing changed.'),
  })
  .meta({ id: 'UsageStored', description: 'Whether the batch was counted by this call.' });

export const usageGranularities = ['hour', 'day', 'month', 'year'] as const;

export const usagePoint = z
  .strictObject({
    subscriptionId: z.string(),
    applicationId: z.string().nullable().describe('null when the subscription has been deleted.'),
    accountId: z.string().nullable().describe('null when the subscription has been deleted.'),
    planId: z
      .string()
      .nullable()
      .describe("The subscription's current plan; null when the subscription has been deleted."),
    metric: z.string(),
    start: timestamp.describe('Start of the hour, day, month or year (UTC).'),
    units: z.int().describe('Units counted in that period.'),
  })
  .meta({ id: 'UsagePoint', description: 'Units of one metric for one subscription in one period.' });

export const limitUsage = z
  .strictObject({
    metric: z.string(),
    period: z.enum(limitPeriods),
    max: z.int(),
    per: z.enum(limitCounters),
    used: z
      .int()
      .nullable()
      .describe(
        'Units counted in the current window; null for second and minute limits and per end-user limits, which are not stored.',
      ),
    remaining: z.int().nullable().describe('`max` − `used`, at least 0; null when `used` is.'),
    windowStart: timestamp.nullable().describe('Start of the current window (UTC); null for eternity.'),
    windowEnd: timestamp.nullable().describe('End of the current window, exclusive; null for eternity.'),
  })
  .meta({ id: 'LimitUsage', description: 'A limit of the plan and how much of it the subscription used.' });

export type UsageEntry = z.infer<typeof usageEntry>;
export type UsageBatch = z.infer<typeof usageBatchSchema>;
export type UsageGranularity = (typeof usageGranularities)[number];
export type UsagePoint = z.infer<typeof usagePoint>;
export type LimitUsage = z.infer<typeof limitUsage>;
