// Analytics: what gateways ship inside their usage batches (per-minute rollups, sampled
// request-log entries), and what the admin and portal APIs answer from it.
import { z } from 'zod';
import { timestamp } from './fields.ts';

/** Most rollup rows or request-log entries in one batch. */
export const maxAnalyticsEntries = 100_000;

const dimension = z.string().min(1).max(64).nullable();
const count = z.int().min(0);
const millis = z.number().min(0).max(1e15);
const minute = z.iso
  .datetime({ offset: true })
  .refine((value) => Date.parse(value) % 60_000 === 0, 'must be the start of a UTC minute');

// Not strict objects, like usage entries: a batch from a newer node must not be refused.
export const rollupEntry = z
  .object({
    minute: minute.describe('Start of the UTC minute.'),
    apiId: dimension.describe('null when no route matched.'),
    routeId: dimension,
    applicationId: dimension,
    accountId: dimension,
    planId: dimension,
    status: z.int().min(100).max(999),
    requests: z.int().min(1),
    latencyMsSum: millis,
    upstreamMsSum: millis,
    upstreamRequests: count,
    bytesIn: count,
    bytesOut: count,
    latency: z.array(count).max(64).describe('Requests per latency bucket (docs/analytics.md).'),
  })
  .meta({ id: 'RollupEntry', description: 'Requests of one minute with the same dimensions and status.' });

const headers = z.record(z.string().max(200), z.string().max(8192));
const body = z.string().max(1_048_576).nullable();

export const requestLogEntry = z
  .object({
    time: timestamp,
    requestId: z.string().min(1).max(200),
    method: z.string().min(1).max(32),
    host: z.string().max(1000),
    path: z.string().max(8192),
    query: z.string().max(8192),
    status: z.int().min(100).max(999),
    durationMs: millis,
    upstreamMs: millis.nullable(),
    bytesIn: count,
    bytesOut: count,
    clientIp: z.string().max(100),
    apiId: z.string().min(1).max(64),
    routeId: z.string().min(1).max(64),
    metric: z.string().max(100),
    applicationId: dimension,
    accountId: dimension,
    planId: dimension,
    subscriptionId: dimension,
    endUser: z.string().max(1000).nullable(),
    requestHeaders: headers,
    responseHeaders: headers,
    requestBody: body,
    responseBody: body,
    retentionDays: z.int().min(1).max(3650),
  })
  .meta({ id: 'RequestLogEntry', description: 'One sampled request, as a gateway recorded it.' });

export const analyticsPayload = z
  .object({
    rollups: z.array(rollupEntry).max(maxAnalyticsEntries),
    requests: z.array(requestLogEntry).max(maxAnalyticsEntries),
  })
  .meta({ id: 'AnalyticsPayload', description: 'Analytics of the interval a usage batch covers.' });

export type RollupEntry = z.infer<typeof rollupEntry>;
export type RequestLogInput = z.infer<typeof requestLogEntry>;

// ── Reading ────────────────────────────────────────────────────────────────────────────────

export const analyticsIntervals = ['minute', 'hour', 'day'] as const;
export type AnalyticsInterval = (typeof analyticsIntervals)[number];
export const topDimensions = ['api', 'route', 'application', 'account', 'plan', 'status'] as const;
export type TopDimension = (typeof topDimensions)[number];
export const statusClasses = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

const filterId = (what: string) => z.string().min(1).max(64).optional().describe(`Only ${what}.`);

/** Query parameters every analytics read takes. */
export const analyticsFilter = z.object({
  from: timestamp.optional().describe('Start of the range; default: 24 hours before `to`.'),
  to: timestamp.optional().describe('End of the range, exclusive; default: now.'),
  apiId: filterId('calls to this API'),
  routeId: filterId('calls to this route'),
  applicationId: filterId("this application's calls"),
  accountId: filterId("this account's calls"),
  planId: filterId('calls under this plan'),
  status: z.coerce.number().int().min(100).max(999).optional().describe('Only this status code.'),
  statusClass: z.enum(statusClasses).optional().describe('Only this class of status codes.'),
});
export type AnalyticsFilterInput = z.infer<typeof analyticsFilter>;

const format = z.enum(['json', 'csv']).default('json').describe('`csv` answers `text/csv` for spreadsheets.');

export const trafficQuery = analyticsFilter.extend({
  interval: z
    .enum(analyticsIntervals)
    .optional()
    .describe('Width of each point; default by range: minute up to 6 hours, hour up to 7 days, else day.'),
  format,
});
export const summaryQuery = analyticsFilter;
export const topQuery = analyticsFilter.extend({
  by: z.enum(topDimensions).describe('What to rank.'),
  limit: z.coerce.number().int().min(1).max(100).default(10),
  format,
});
const utcOffsetMinutes = z.coerce
  .number()
  .int()
  .min(-840)
  .max(840)
  .default(0)
  .describe("Hours and weekdays in this offset from UTC (the viewer's time zone), e.g. 60 for CET.");
export const busiestQuery = analyticsFilter.extend({ utcOffsetMinutes });
export const requestsQuery = analyticsFilter.extend({
  hourOfDay: z.coerce
    .number()
    .int()
    .min(0)
    .max(23)
    .optional()
    .describe('Only requests in this hour of the day (0–23) in `utcOffsetMinutes`, on any day of the range.'),
  weekday: z.coerce
    .number()
    .int()
    .min(1)
    .max(7)
    .optional()
    .describe('Only requests on this day of the week (1 Monday … 7 Sunday) in `utcOffsetMinutes`.'),
  utcOffsetMinutes,
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().max(200).optional().describe('`next` of the previous page.'),
  format,
});

/** Hour of the day and day of the week a request-log read is narrowed to, in the viewer's offset. */
export interface TimeOfWeek {
  hourOfDay?: number | undefined;
  weekday?: number | undefined;
  utcOffsetMinutes: number;
}

const nullableMs = z.number().nullable();

const totals = {
  requests: z.int(),
  clientErrors: z.int().describe('Responses with a 4xx status.'),
  serverErrors: z.int().describe('Responses with a 5xx status.'),
  errorRate: z.number().describe('(clientErrors + serverErrors) / requests; 0 without requests.'),
  latencyAvgMs: nullableMs.describe('Mean time from request to response; null without requests.'),
  latencyP50Ms: nullableMs,
  latencyP95Ms: nullableMs,
  latencyP99Ms: nullableMs,
  upstreamAvgMs: nullableMs.describe('Mean upstream time of the requests that reached an upstream.'),
  gatewayAvgMs: nullableMs.describe('Mean time spent in the gateway itself (total − upstream).'),
  bytesIn: z.int(),
  bytesOut: z.int(),
};

export const trafficPoint = z
  .strictObject({ start: timestamp, ...totals })
  .meta({ id: 'TrafficPoint', description: 'Requests in one interval; empty intervals are included.' });
export const trafficSeries = z
  .strictObject({
    from: timestamp.describe('Start of the first point (the range, widened to whole intervals).'),
    to: timestamp,
    interval: z.enum(analyticsIntervals),
    points: z.array(trafficPoint),
  })
  .meta({ id: 'TrafficSeries' });
export const trafficSummary = z
  .strictObject({ from: timestamp, to: timestamp, ...totals })
  .meta({ id: 'TrafficSummary', description: 'The whole range added up.' });

export const topItem = z
  .strictObject({
    id: z.string().describe('Id of the API, route, application, account or plan; the code for `status`.'),
    name: z
      .string()
      .nullable()
      .describe('Its name now (`api/route`, `product/plan`); null when it has been deleted.'),
    requests: z.int(),
    clientErrors: z.int(),
    serverErrors: z.int(),
    errorRate: z.number(),
    latencyAvgMs: nullableMs,
    latencyP95Ms: nullableMs,
  })
  .meta({ id: 'TopItem' });
export const topList = z
  .strictObject({ from: timestamp, to: timestamp, by: z.enum(topDimensions), items: z.array(topItem) })
  .meta({
    id: 'TopList',
    description: 'Busiest first; calls without the dimension (no route, no consumer) are left out.',
  });

export const busiest = z
  .strictObject({
    from: timestamp,
    to: timestamp,
    utcOffsetMinutes: z.int(),
    hours: z.array(z.strictObject({ hour: z.int().min(0).max(23), requests: z.int() })).length(24),
    weekdays: z
      .array(
        z.strictObject({
          weekday: z.int().min(1).max(7).describe('1 Monday … 7 Sunday.'),
          requests: z.int(),
        }),
      )
      .length(7),
  })
  .meta({
    id: 'BusiestTimes',
    description: 'Requests by hour of the day and by day of the week, added over the range.',
  });

export const requestLogItem = z
  .strictObject({
    id: z.string(),
    time: timestamp,
    requestId: z.string(),
    method: z.string(),
    host: z.string(),
    path: z.string(),
    query: z.string(),
    status: z.int(),
    durationMs: z.number(),
    upstreamMs: nullableMs,
    bytesIn: z.int(),
    bytesOut: z.int(),
    clientIp: z.string(),
    apiId: z.string(),
    routeId: z.string(),
    metric: z.string(),
    applicationId: z.string().nullable(),
    accountId: z.string().nullable(),
    planId: z.string().nullable(),
    subscriptionId: z.string().nullable(),
    endUser: z.string().nullable(),
    requestHeaders: z.record(z.string(), z.string()),
    responseHeaders: z.record(z.string(), z.string()),
    requestBody: z.string().nullable(),
    responseBody: z.string().nullable(),
    expiresAt: timestamp,
  })
  .meta({ id: 'RequestLogItem', description: 'One request of the request log.' });
export const requestLogPage = z
  .strictObject({
    items: z.array(requestLogItem),
    next: z.string().nullable().describe('Cursor of the next (older) page; null at the end.'),
  })
  .meta({ id: 'RequestLogPage', description: 'Newest first.' });

export type TrafficPoint = z.infer<typeof trafficPoint>;
export type TrafficSeries = z.infer<typeof trafficSeries>;
export type TrafficSummary = z.infer<typeof trafficSummary>;
export type TopItem = z.infer<typeof topItem>;
export type TopList = z.infer<typeof topList>;
export type Busiest = z.infer<typeof busiest>;
export type RequestLogItem = z.infer<typeof requestLogItem>;
export type RequestLogPage = z.infer<typeof requestLogPage>;
