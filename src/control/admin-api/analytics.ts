// /admin/v1/analytics/…: traffic over time, totals, top lists, busiest times and the request
// log, read from what gateways ship with their usage batches. Reading only: analytics are
// written by the gateways (POST /sync/usage carries them).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { AnalyticsReads, analyticsResponses as answers } from '../http/analytics-routes.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import {
  busiestQuery,
  requestLogItem,
  requestsQuery,
  summaryQuery,
  topQuery,
  trafficQuery,
} from '../model/analytics.ts';
import { requestLogItem as readRequest } from '../services/analytics-query.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';

const tags = ['Analytics'];

export function analyticsRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const reads = new AnalyticsReads(ctx.db);
  const errors = { ...answers.invalid, ...authErrors };

  app.get('/analytics/traffic', {
    schema: {
      operationId: 'getTraffic',
      summary: 'Traffic, errors and latency over time',
      description:
        'Requests, 4xx and 5xx responses, error rate, latency percentiles (p50, p95, p99), upstream and gateway time and bytes per minute, hour or day. Filters combine with AND.',
      tags,
      querystring: trafficQuery,
      response: { ...answers.traffic, ...errors },
    },
    handler: (request, reply) => reads.traffic(reply, request.query as z.infer<typeof trafficQuery>),
  });

  app.get('/analytics/summary', {
    schema: {
      operationId: 'getTrafficSummary',
      summary: 'Traffic, errors and latency over a range, added up',
      tags,
      querystring: summaryQuery,
      response: { ...answers.summary, ...errors },
    },
    handler: (request, reply) => reads.summary(reply, request.query as z.infer<typeof summaryQuery>),
  });

  app.get('/analytics/top', {
    schema: {
      operationId: 'getTopList',
      summary: 'Top APIs, routes, applications, accounts, plans or status codes',
      description:
        'Ranked by requests; `by=status` is the status-code breakdown, `by=plan` the traffic per plan.',
      tags,
      querystring: topQuery,
      response: { ...answers.top, ...errors },
    },
    handler: (request, reply) => reads.top(reply, request.query as z.infer<typeof topQuery>),
  });

  app.get('/analytics/busiest', {
    schema: {
      operationId: 'getBusiestTimes',
      summary: 'Busiest hours of the day and days of the week',
      tags,
      querystring: busiestQuery,
      response: { ...answers.busiest, ...errors },
    },
    handler: (request, reply) => reads.busiest(reply, request.query as z.infer<typeof busiestQuery>),
  });

  app.get('/analytics/requests', {
    schema: {
      operationId: 'listRequests',
      summary: 'The request log',
      description:
        'Requests the `request-log` policy sampled, newest first, with redacted headers and, where the policy captures them, the first bytes of the bodies.',
      tags,
      querystring: requestsQuery,
      response: { ...answers.requests, ...errors },
    },
    handler: (request, reply) => reads.requests(reply, request.query as z.infer<typeof requestsQuery>),
  });

  app.get('/analytics/requests/:request', {
    schema: {
      operationId: 'getRequest',
      summary: 'One request of the request log',
      tags,
      params: z.object({ request: z.string().min(1).max(200).describe('Id of the entry (`req_…`).') }),
      response: {
        200: { description: 'The entry.', content: { 'application/json': { schema: requestLogItem } } },
        ...authErrors,
        404: problemResponse('No such entry (or it expired).'),
      },
    },
    handler: async (request, reply) => {
      const { request: id } = request.params as { request: string };
      const item = await readRequest(ctx.db, id);
      return item ?? sendProblem(reply, problem('not-found', `no request-log entry ${id}`));
    },
  });
}
