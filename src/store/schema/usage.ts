// Usage: what the gateways let through, per subscription × metric × hour, summed from the
// batches they hand over; and the ids of the batches stored, so a batch sent twice counts once.
// No foreign key to subscriptions: usage is history and outlives a deleted subscription.
import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

export const usageCounts = pgTable(
  'usage_counts',
  {
    subscriptionId: text('subscription_id').notNull(),
    metric: text('metric').notNull(),
    /** Start of the UTC hour the units were counted in. */
    hour: timestamp('hour', { withTimezone: true, mode: 'date' }).notNull(),
    units: bigint('units', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ name: 'usage_counts_pk', columns: [t.subscriptionId, t.metric, t.hour] })],
);

export const usageBatches = pgTable(
  'usage_batches',
  {
    id: text('id').primaryKey(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (t) => [index('usage_batches_received_at').on(t.receivedAt)],
);
