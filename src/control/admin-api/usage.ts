// /admin/v1/usage, /admin/v1/subscriptions/{id}/limits, /admin/v1/sync/usage and
// /sync/counter-seeds: reading the usage gateways counted, data-plane nodes handing it over and
// starting their counters from it. Handing over is telemetry, not a change of configuration: no
// audit event, no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { periods } from '../../gateway/limits/store.ts';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { countUsageBatches } from '../metrics/batches.ts';
import { timestamp } from '../model/fields.ts';
import {
  limitUsage,
  type UsageBatch,
  usageBatchSchema,
  usageGranularities,
  usagePoint,
  usageStored,
} from '../model/usage.ts';
import {
  counterSeeds,
  limitStatus,
  recordUsageBatch,
  UsageBatchRefused,
  usageSeries,
} from '../services/usage.ts';
import type { AdminContext } from './context.ts';
import { byId } from './filters.ts';
import { authErrors } from './resource.ts';

/**
 * Fastify's 1 MiB default is too small for a batch of 100,000 entries: at most about 300 bytes
 * each (a 100-character metric), 30 MB; 32 MiB leaves room.
 */
export const usageBodyLimit = 32 * 1024 * 1024;

const usageQuery = z.object({
  subscriptionId: byId('subscription'),
  applicationId: byId('application'),
  accountId: byId('account'),
  planId: byId('plan').describe(
    "Only usage of subscriptions now on this plan (the subscription's current plan).",
  ),
  metric: z.string().max(100).optional().describe('Only this metric.'),
  granularity: z
    .enum(usageGranularities)
    .optional()
    .meta({ default: 'day' })
    .describe('Length of each period (UTC).'),
  from: timestamp
    .optional()
    .describe('Start of the range; by default 30 days before `to`. Widened to the start of its period.'),
  to: timestamp
    .optional()
    .describe('End of the range, exclusive; by default now. Widened to the end of its period.'),
});

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

export function usageRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/usage', {
    schema: {
      operationId: 'getUsage',
      summary: 'Read usage',
      description:
        'Units counted per subscription, metric and hour, day, month or year (UTC); filters combine with AND. Seconds, minutes and per end-user counts are not stored.',
      tags: ['Usage'],
      querystring: usageQuery,
      response: {
        200: json(
          'Usage, sorted by start, subscription and metric.',
          z
            .object({ data: z.array(usagePoint) })
            .meta({ id: 'UsageSeries', description: 'Usage per period; periods without usage have no row.' }),
        ),
        400: problemResponse('The request is invalid, or the range or the answer too large.'),
        ...authErrors,
      },
    },
    handler: async (request, reply) => {
      const { granularity, from, to, ...filter } = request.query as z.infer<typeof usageQuery>;
      const result = await usageSeries(ctx.db, filter, {
        granularity,
        from: from === undefined ? undefined : new Date(from),
        to: to === undefined ? undefined : new Date(to),
      });
      return result.ok ? { data: result.value } : sendProblem(reply, result.problem);
    },
  });

  app.get('/subscriptions/:subscription/limits', {
    schema: {
      operationId: 'getSubscriptionLimits',
      summary: 'Read how much of each limit a subscription used',
      description:
        "Every limit of the subscription's current plan, with the units used in the current window and what remains. Second and minute limits and per end-user limits have `used` null: they are counted only by the gateways.",
      tags: ['Usage'],
      params: z.object({ subscription: z.string().min(1).max(200).describe('Id of the subscription.') }),
      response: {
        200: json(
          'The limits, in the order the plan lists them.',
          z.object({ data: z.array(limitUsage) }).meta({
            id: 'LimitUsageList',
            description: 'The limits of a subscription’s plan and their use.',
          }),
        ),
        ...authErrors,
        404: problemResponse('No such subscription.'),
      },
    },
    handler: async (request, reply) => {
      const { subscription } = request.params as { subscription: string };
      const result = await limitStatus(ctx.db, subscription, new Date(), ctx.liveCounts);
      return result.ok ? { data: result.value } : sendProblem(reply, result.problem);
    },
  });

  app.get('/sync/counter-seeds', {
    config: { role: 'admin', gateway: true },
    schema: {
      operationId: 'counterSeeds',
      summary: 'Usage to start in-process counters from',
      description:
        'What each active subscription used in the current hour, day, month, year and for ever of its plan limits (per subscription, hour and longer), keyed as the gateway counts. A data-plane node without Redis asks at start, so a restart does not hand out a quota again.',
      tags: ['Sync'],
      response: {
        200: z
          .strictObject({
            seeds: z.array(
              z.strictObject({
                key: z.string(),
                period: z.enum(periods),
                used: z.number().int().min(0),
              }),
            ),
          })
          .meta({ id: 'CounterSeeds' }),
        ...authErrors,
      },
    },
    handler: async () => ({ seeds: await counterSeeds(ctx.db) }),
  });

  const storeBatch = countUsageBatches('node', (batch) => recordUsageBatch(ctx.db, batch));
  app.post('/sync/usage', {
    // Sent by data-plane nodes with their gateway token, like /sync/key-usage.
    config: { role: 'admin', gateway: true },
    bodyLimit: usageBodyLimit,
    schema: {
      operationId: 'reportUsage',
      summary: 'Report usage a data-plane node counted',
      description:
        'Adds the units of each entry to the usage of its subscription, metric and hour, in one transaction. A batch whose `id` was stored before changes nothing and answers `stored: false`, so a node retries a batch until it gets an answer.',
      tags: ['Sync'],
      body: usageBatchSchema,
      response: {
        200: json('The batch is stored, now or before.', usageStored),
        400: problemResponse('The batch is malformed; nothing was stored.'),
        ...authErrors,
        413: problemResponse('The body is over 32 MiB.'),
      },
    },
    handler: async (request, reply) => {
      try {
        return await storeBatch(request.body as UsageBatch);
      } catch (error) {
        // What the schema cannot see: entries of one count whose units add up past 2^53.
        if (error instanceof UsageBatchRefused)
          return sendProblem(reply, problem('validation-failed', error.message));
        throw error;
      }
    },
  });
}
