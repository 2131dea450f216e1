// Subscriptions: an application on a plan; only active ones let calls through. Cancelled and
// rejected ones stay as history, so an application may subscribe to the same plan again.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { createdAt, id, updatedAt } from './common.ts';
import { plans } from './plans.ts';

export type SubscriptionState = 'pending' | 'active' | 'suspended' | 'cancelled' | 'rejected';

export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id, { onDelete: 'restrict' }),
    state: text('state').$type<SubscriptionState>().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('subscriptions_application').on(t.applicationId), index('subscriptions_plan').on(t.planId)],
);
