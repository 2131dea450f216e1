// /admin/v1/plans
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { planState } from '../model/fields.ts';
import { plan, planCreate, planUpdate } from '../model/plan.ts';
import { createPlan, deletePlan, getPlan, listPlans, updatePlan } from '../services/plans.ts';
import type { AdminContext } from './context.ts';
import { byId, byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function planRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Plans',
    singular: 'Plan',
    plural: 'Plans',
    path: '/plans',
    idParam: 'plan',
    idDescription: 'Id of the plan.',
    filter: z.object({ name: byName, productId: byId('product'), state: planState.optional() }),
    create: planCreate,
    update: planUpdate,
    output: plan,
    list: async (db, _parent, filter, page) => ok(await listPlans(db, filter, page)),
    get: (db, _parent, id) => getPlan(db, id),
    insert: (db, _parent, body) => createPlan(db, body),
    change: (db, _parent, id, body) => updatePlan(db, id, body),
    remove: (db, _parent, id) => deletePlan(db, id),
  });
}
