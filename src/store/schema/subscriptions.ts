// Subscriptions: an application on a plan; only active ones let calls through.
import { index, pgTable, text, unique } from 'drizzle-orm/pg-core';
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
  (t) => [
    unique('subscriptions_application_plan').on(t.applicationId, t.planId),
    index('subscriptions_plan').on(t.planId),
  ],
);
