// /admin/v1/subscriptions
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { subscriptionState } from '../model/fields.ts';
import { subscription, subscriptionCreate, subscriptionUpdate } from '../model/subscription.ts';
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from '../services/subscriptions.ts';
import type { AdminContext } from './context.ts';
import { byId } from './filters.ts';
import { registerResource } from './resource.ts';

export function subscriptionRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Subscriptions',
    singular: 'Subscription',
    plural: 'Subscriptions',
    path: '/subscriptions',
    idParam: 'subscription',
    idDescription: 'Id of the subscription.',
    filter: z.object({
      applicationId: byId('application'),
      planId: byId('plan'),
      state: subscriptionState.optional(),
    }),
    create: subscriptionCreate,
    update: subscriptionUpdate,
    output: subscription,
    list: async (db, _parent, filter, page) => ok(await listSubscriptions(db, filter, page)),
    get: (db, _parent, id) => getSubscription(db, id),
    insert: (db, _parent, body) => createSubscription(db, body),
    change: (db, _parent, id, body) => updateSubscription(db, id, body),
    remove: (db, _parent, id) => deleteSubscription(db, id),
  });
}
