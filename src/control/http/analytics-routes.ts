// The analytics read operations, shared by the admin API (every call) and the portal API (a
// developer's own application): each takes the parsed query and the filter the caller is held
// to, and answers JSON or, with `format=csv`, CSV.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Problem } from '../../shared/errors.ts';
import {
  type AnalyticsFilterInput,
  busiest,
  type busiestQuery,
  requestLogPage,
  type requestsQuery,
  type summaryQuery,
  topList,
  type topQuery,
  type trafficQuery,
  trafficSeries,
  trafficSummary,
} from '../model/analytics.ts';
import {
  busiestTimes,
  requestLogPage as readRequestLog,
  trafficSummary as readSummary,
  topList as readTopList,
  trafficSeries as readTraffic,
  resolveRange,
} from '../services/analytics-query.ts';
import type { Db } from '../services/context.ts';
import { toCsv } from './csv.ts';
import { problemResponse, sendProblem } from './problems.ts';

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

const jsonOrCsv = (description: string, schema: z.ZodType) => ({
  description: `${description} With \`format=csv\`, the same as CSV (\`text/csv\`).`,
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
});

export const analyticsResponses = {
  traffic: { 200: jsonOrCsv('One point per interval, oldest first.', trafficSeries) },
  summary: { 200: json('The range added up.', trafficSummary) },
  top: { 200: jsonOrCsv('The busiest first.', topList) },
  busiest: { 200: json('Requests by hour of day and weekday.', busiest) },
  requests: { 200: jsonOrCsv('Newest first.', requestLogPage) },
  invalid: { 400: problemResponse('The range, a filter or the cursor is invalid.') },
};

const trafficColumns = [
  'start',
  'requests',
  'clientErrors',
  'serverErrors',
  'errorRate',
  'latencyAvgMs',
  'latencyP50Ms',
  'latencyP95Ms',
  'latencyP99Ms',
  'upstreamAvgMs',
  'gatewayAvgMs',
  'bytesIn',
  'bytesOut',
] as const;
const topColumns = [
  'id',
  'name',
  'requests',
  'clientErrors',
  'serverErrors',
  'errorRate',
  'latencyAvgMs',
  'latencyP95Ms',
] as const;
const requestColumns = [
  'time',
  'id',
  'requestId',
  'method',
  'host',
  'path',
  'query',
  'status',
  'durationMs',
  'upstreamMs',
  'bytesIn',
  'bytesOut',
  'clientIp',
  'apiId',
  'routeId',
  'metric',
  'applicationId',
  'accountId',
  'planId',
  'subscriptionId',
  'endUser',
] as const;

function csv(reply: FastifyReply, name: string, body: string) {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}.csv"`)
    .send(body);
}

/** The caller's own filter, narrowed by what it is held to (a portal developer's application). */
const scoped = <T extends AnalyticsFilterInput>(query: T, scope: AnalyticsFilterInput): T => ({
  ...query,
  ...scope,
});

type Answer = Promise<unknown>;

export class AnalyticsReads {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async traffic(
    reply: FastifyReply,
    query: z.infer<typeof trafficQuery>,
    scope: AnalyticsFilterInput = {},
  ): Answer {
    const { interval, format, ...filter } = scoped(query, scope);
    const range = resolveRange(filter, interval);
    if (!range.ok) return this.#refuse(reply, range.problem);
    const series = await readTraffic(this.#db, filter, range.value);
    return format === 'csv' ? csv(reply, 'traffic', toCsv(series.points, trafficColumns)) : series;
  }

  async summary(
    reply: FastifyReply,
    query: z.infer<typeof summaryQuery>,
    scope: AnalyticsFilterInput = {},
  ): Answer {
    const filter = scoped(query, scope);
    const range = resolveRange(filter, undefined);
    if (!range.ok) return this.#refuse(reply, range.problem);
    return readSummary(this.#db, filter, range.value);
  }

  async top(reply: FastifyReply, query: z.infer<typeof topQuery>, scope: AnalyticsFilterInput = {}): Answer {
    const { by, limit, format, ...filter } = scoped(query, scope);
    const range = resolveRange(filter, undefined);
    if (!range.ok) return this.#refuse(reply, range.problem);
    const list = await readTopList(this.#db, filter, range.value, by, limit);
    return format === 'csv' ? csv(reply, `top-${by}`, toCsv(list.items, topColumns)) : list;
  }

  async busiest(
    reply: FastifyReply,
    query: z.infer<typeof busiestQuery>,
    scope: AnalyticsFilterInput = {},
  ): Answer {
    const { utcOffsetMinutes, ...filter } = scoped(query, scope);
    const range = resolveRange(filter, undefined);
    if (!range.ok) return this.#refuse(reply, range.problem);
    return busiestTimes(this.#db, filter, range.value, utcOffsetMinutes);
  }

  async requests(
    reply: FastifyReply,
    query: z.infer<typeof requestsQuery>,
    scope: AnalyticsFilterInput = {},
  ): Answer {
    const { limit, cursor, format, hourOfDay, weekday, utcOffsetMinutes, ...filter } = scoped(query, scope);
    const page = await readRequestLog(
      this.#db,
      filter,
      { limit, cursor },
      { hourOfDay, weekday, utcOffsetMinutes },
    );
    if (!page.ok) return this.#refuse(reply, page.problem);
    return format === 'csv' ? csv(reply, 'requests', toCsv(page.value.items, requestColumns)) : page.value;
  }

  #refuse(reply: FastifyReply, problem: Problem) {
    return sendProblem(reply, problem);
  }
}
