// Plans: the terms under which an application may use a product.
import { boolean, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';
import { products } from './products.ts';

export interface PlanLimit {
  metric: string;
  period: 'second' | 'minute' | 'hour' | 'day' | 'month' | 'year' | 'eternity';
  max: number;
  /** Absent: per subscription. `end-user`: per OAuth end user within the application. */
  per?: 'end-user';
}

/** What a plan costs, amounts as decimal numbers in `currency` (jsonb keeps them exact). */
export interface PlanPricing {
  currency: string;
  setupFee: number;
  monthlyFee: number;
  trialDays: number;
  perUnit: { metric: string; upTo: number | null; price: number }[];
}

export const plans = pgTable(
  'plans',
  {
    id: id(),
    productId: text('product_id')
      .notNull()
      .references(() => products.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    state: text('state')
      .$type<'staging' | 'published' | 'deprecated' | 'closed'>()
      .notNull()
      .default('published'),
    visibility: text('visibility').$type<'public' | 'hidden'>().notNull().default('public'),
    isDefault: boolean('is_default').notNull().default(false),
    approval: text('approval').$type<'auto' | 'manual'>().notNull().default('auto'),
    limits: jsonb('limits').$type<PlanLimit[]>().notNull().default([]),
    /** Metric names the plan refuses outright. */
    disabledMetrics: jsonb('disabled_metrics').$type<string[]>().notNull().default([]),
    /** Null: free, or not priced. Shown to developers only; nothing is charged. */
    pricing: jsonb('pricing').$type<PlanPricing | null>(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('plans_product_name').on(t.productId, t.name)],
);
