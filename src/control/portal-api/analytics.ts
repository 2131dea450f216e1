// /portal/v1/applications/{id}/analytics/…: the same traffic, error and latency reads as the
// admin API's, held to one of the developer's own applications (owned.ts checks it is theirs).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AnalyticsReads } from '../http/analytics-routes.ts';
import { summaryQuery, topQuery, trafficQuery } from '../model/analytics.ts';
import type { PortalContext } from './context.ts';
import { ownedApplication } from './owned.ts';

const appParams = z.object({ application: z.string().max(64) });
/** What a developer may narrow by: never another application, account or plan. */
const hidden = { applicationId: true, accountId: true, planId: true } as const;
const portalTraffic = trafficQuery.omit(hidden);
const portalSummary = summaryQuery.omit(hidden);
const portalTop = topQuery.omit(hidden).extend({ by: z.enum(['api', 'route', 'status']) });

export function analyticsRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const reads = new AnalyticsReads(ctx.db);
  const scope = (request: Parameters<typeof ownedApplication>[0]) => ({
    applicationId: ownedApplication(request).id,
  });

  app.get(
    '/applications/:application/analytics/traffic',
    { schema: { params: appParams, querystring: portalTraffic } },
    (request, reply) => reads.traffic(reply, request.query as z.infer<typeof portalTraffic>, scope(request)),
  );
  app.get(
    '/applications/:application/analytics/summary',
    { schema: { params: appParams, querystring: portalSummary } },
    (request, reply) => reads.summary(reply, request.query as z.infer<typeof portalSummary>, scope(request)),
  );
  app.get(
    '/applications/:application/analytics/top',
    { schema: { params: appParams, querystring: portalTop } },
    (request, reply) => reads.top(reply, request.query as z.infer<typeof portalTop>, scope(request)),
  );
}
