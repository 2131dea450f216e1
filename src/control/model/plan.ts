// Plan: the terms under which applications use a product.
import { z } from 'zod';
import { description, id, name, planApproval, planState, planVisibility, timestamp } from './fields.ts';
import { disabledMetrics, limitCounters, limitPeriods, planLimits } from './metric.ts';
import { planPricing, planPricingInput } from './pricing.ts';

const changeable = {
  name,
  description: description.optional().meta({ default: '' }),
  state: planState.optional().meta({ default: 'published' }),
  visibility: planVisibility.optional().meta({ default: 'public' }),
  default: z
    .boolean()
    .optional()
    .meta({ default: false })
    .describe('The plan new applications get; one per product.'),
  approval: planApproval.optional().meta({ default: 'auto' }),
  limits: planLimits.optional().meta({ default: [] }),
  disabledMetrics: disabledMetrics.optional().meta({ default: [] }),
  pricing: planPricingInput
    .nullable()
    .optional()
    .meta({ default: null })
    .describe('What the plan costs, shown to developers; `null`: free, or not priced. Display only.'),
};

export const planCreate = z
  .strictObject({ productId: id('prd').describe('Product the plan belongs to.'), ...changeable })
  .meta({ id: 'PlanCreate', description: 'A new plan.' });
export const planUpdate = z
  .strictObject(changeable)
  .partial()
  .meta({ id: 'PlanUpdate', description: 'Fields to change.' });

export const plan = z
  .strictObject({
    id: id('pln'),
    productId: id('prd'),
    name,
    description,
    state: planState,
    visibility: planVisibility,
    default: z.boolean(),
    approval: planApproval,
    limits: z.array(
      z.strictObject({
        metric: z.string(),
        period: z.enum(limitPeriods),
        max: z.int(),
        per: z.enum(limitCounters),
      }),
    ),
    disabledMetrics: z.array(z.string()),
    pricing: planPricing.nullable().describe('What the plan costs; `null`: free, or not priced.'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Plan', description: 'A plan of a product.' });

export type PlanCreate = z.infer<typeof planCreate>;
export type PlanUpdate = z.infer<typeof planUpdate>;
export type Plan = z.infer<typeof plan>;
