// Subscription: an application on a plan; only active ones let calls through. Its id keys the
// usage counted for it, so a plan change keeps the id.
import { z } from 'zod';
import { id, subscriptionState, timestamp } from './fields.ts';

export const subscriptionCreate = z
  .strictObject({
    applicationId: id('app'),
    planId: id('pln'),
    state: subscriptionState
      .optional()
      .describe("Starting state; by default active, or pending when the plan's approval is manual."),
  })
  .meta({ id: 'SubscriptionCreate', description: 'A new subscription.' });

export const subscriptionUpdate = z
  .strictObject({
    state: subscriptionState.optional(),
    planId: id('pln')
      .optional()
      .describe(
        'Another published plan of the same product; the change applies at once, and usage counted so far in each period carries over.',
      ),
  })
  .refine((patch) => patch.state !== undefined || patch.planId !== undefined, 'give state, planId or both')
  .meta({
    id: 'SubscriptionUpdate',
    description: 'A state change (approve, reject, suspend, resume, cancel), a plan change, or both.',
  });

export const subscription = z
  .strictObject({
    id: id('sub'),
    applicationId: id('app'),
    planId: id('pln'),
    state: subscriptionState,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Subscription', description: 'An application subscribed to a plan.' });

export type SubscriptionCreate = z.infer<typeof subscriptionCreate>;
export type SubscriptionUpdate = z.infer<typeof subscriptionUpdate>;
export type Subscription = z.infer<typeof subscription>;
