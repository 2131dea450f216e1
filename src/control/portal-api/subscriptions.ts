// /portal/v1 subscriptions, usage and limits of the developer's own applications. A developer may
// subscribe to, and move to, public published plans only; hidden plans are given by providers.
// Approval follows the plan: automatic ones are active at once, manual ones wait as pending.
import { eq, inArray } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { fail } from '../../shared/errors.ts';
import { plans, products } from '../../store/schema/index.ts';
import { sendProblem } from '../http/problems.ts';
import { usageGranularities } from '../model/usage.ts';
import type { Db } from '../services/context.ts';
import { createSubscription, listSubscriptions, updateSubscription } from '../services/subscriptions.ts';
import { limitStatus, usageSeries } from '../services/usage.ts';
import type { PortalContext } from './context.ts';
import { ownedApplication, ownedSubscription } from './owned.ts';
import { portalWrite } from './writes.ts';

const appParams = z.object({ application: z.string().max(64) });
const subscriptionParams = z.object({ subscription: z.string().max(64) });
const planBody = z.strictObject({ planId: z.string().max(64) });
const usageQuery = z.object({
  granularity: z.enum(usageGranularities).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  metric: z.string().max(100).optional(),
});

/** A plan a developer may choose: public and published. */
async function choosablePlan(db: Db, planId: string) {
  const [row] = await db
    .select({ plan: plans, product: products })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId))
    .where(eq(plans.id, planId));
  return row?.plan.visibility === 'public' && row.plan.state === 'published' ? row : undefined;
}

export function subscriptionRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get(
    '/applications/:application/subscriptions',
    { schema: { params: appParams } },
    async (request, _reply) => {
      const row = ownedApplication(request);
      const page = await listSubscriptions(ctx.db, { applicationId: row.id }, { limit: 1000 });
      const planIds = [...new Set(page.data.map((s) => s.planId))];
      const named = planIds.length
        ? await ctx.db
            .select({ id: plans.id, name: plans.name, productId: products.id, productName: products.name })
            .from(plans)
            .innerJoin(products, eq(products.id, plans.productId))
            .where(inArray(plans.id, planIds))
        : [];
      const byId = new Map(named.map((p) => [p.id, p]));
      return {
        data: page.data.map((s) => {
          const plan = byId.get(s.planId);
          return {
            ...s,
            plan: { id: s.planId, name: plan?.name ?? '' },
            product: { id: plan?.productId ?? '', name: plan?.productName ?? '' },
          };
        }),
      };
    },
  );

  app.post(
    '/applications/:application/subscriptions',
    { schema: { params: appParams, body: planBody } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const { planId } = request.body as z.infer<typeof planBody>;
      const created = await portalWrite(ctx, request, reply, {
        action: 'create',
        objectType: 'subscription',
        work: async (tx) => {
          if (!(await choosablePlan(tx, planId)))
            return fail('reference-not-found', `no public plan ${planId}`);
          return createSubscription(tx, { applicationId: row.id, planId });
        },
      });
      return created && reply.code(201).send(created);
    },
  );

  app.patch(
    '/subscriptions/:subscription',
    { schema: { params: subscriptionParams, body: planBody } },
    async (request, reply) => {
      const current = ownedSubscription(request);
      const { planId } = request.body as z.infer<typeof planBody>;
      return portalWrite(ctx, request, reply, {
        action: 'update',
        objectType: 'subscription',
        before: current,
        work: async (tx) => {
          if (!(await choosablePlan(tx, planId)))
            return fail('reference-not-found', `no public plan ${planId}`);
          return updateSubscription(tx, current.id, { planId });
        },
      });
    },
  );

  app.delete(
    '/subscriptions/:subscription',
    { schema: { params: subscriptionParams } },
    async (request, reply) => {
      const current = ownedSubscription(request);
      return portalWrite(ctx, request, reply, {
        action: 'cancel',
        objectType: 'subscription',
        before: current,
        work: (tx) => updateSubscription(tx, current.id, { state: 'cancelled' }),
      });
    },
  );

  app.get(
    '/applications/:application/usage',
    { schema: { params: appParams, querystring: usageQuery } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const query = request.query as z.infer<typeof usageQuery>;
      const series = await usageSeries(
        ctx.db,
        { applicationId: row.id, metric: query.metric },
        {
          granularity: query.granularity,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
      );
      if (!series.ok) return sendProblem(reply, series.problem);
      return { data: series.value };
    },
  );

  app.get(
    '/subscriptions/:subscription/limits',
    { schema: { params: subscriptionParams } },
    async (request, reply) => {
      const current = ownedSubscription(request);
      const limits = await limitStatus(ctx.db, current.id, new Date(), ctx.liveCounts);
      if (!limits.ok) return sendProblem(reply, limits.problem);
      return { data: limits.value };
    },
  );
}
