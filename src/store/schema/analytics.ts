// Analytics: per-minute rollups of every request, added up again into hours and days when they
// are stored (so a range of any length reads few rows), and the sampled request log.
// No foreign keys: analytics are history and outlive deleted APIs, applications and plans.
// Missing dimensions (no route matched, no consumer) are '' so they take part in the key.
import { sql } from 'drizzle-orm';
import {
  bigint,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

function rollupTable(name: string) {
  return pgTable(
    name,
    {
      start: timestamp('start', { withTimezone: true, mode: 'date' }).notNull(),
      apiId: text('api_id').notNull().default(''),
      routeId: text('route_id').notNull().default(''),
      applicationId: text('application_id').notNull().default(''),
      accountId: text('account_id').notNull().default(''),
      planId: text('plan_id').notNull().default(''),
      status: integer('status').notNull(),
      requests: bigint('requests', { mode: 'number' }).notNull(),
      latencyMsSum: doublePrecision('latency_ms_sum').notNull(),
      upstreamMsSum: doublePrecision('upstream_ms_sum').notNull(),
      upstreamRequests: bigint('upstream_requests', { mode: 'number' }).notNull(),
      bytesIn: bigint('bytes_in', { mode: 'number' }).notNull(),
      bytesOut: bigint('bytes_out', { mode: 'number' }).notNull(),
      /** Counts per latency bucket (src/shared/latency-buckets.ts). */
      latency: bigint('latency', { mode: 'number' }).array().notNull().default(sql`'{}'::bigint[]`),
    },
    (t) => [
      primaryKey({
        name: `${name}_pk`,
        columns: [t.start, t.apiId, t.routeId, t.applicationId, t.accountId, t.planId, t.status],
      }),
    ],
  );
}

export const analyticsMinutes = rollupTable('analytics_minutes');
export const analyticsHours = rollupTable('analytics_hours');
export const analyticsDays = rollupTable('analytics_days');
export type RollupTable = typeof analyticsMinutes;

export const requestLog = pgTable(
  'request_log',
  {
    id: text('id').primaryKey(),
    time: timestamp('time', { withTimezone: true, mode: 'date' }).notNull(),
    requestId: text('request_id').notNull(),
    method: text('method').notNull(),
    host: text('host').notNull(),
    path: text('path').notNull(),
    query: text('query').notNull(),
    status: integer('status').notNull(),
    durationMs: doublePrecision('duration_ms').notNull(),
    upstreamMs: doublePrecision('upstream_ms'),
    bytesIn: bigint('bytes_in', { mode: 'number' }).notNull(),
    bytesOut: bigint('bytes_out', { mode: 'number' }).notNull(),
    clientIp: text('client_ip').notNull(),
    apiId: text('api_id').notNull(),
    routeId: text('route_id').notNull(),
    metric: text('metric').notNull(),
    applicationId: text('application_id'),
    accountId: text('account_id'),
    planId: text('plan_id'),
    subscriptionId: text('subscription_id'),
    endUser: text('end_user'),
    requestHeaders: jsonb('request_headers').$type<Record<string, string>>().notNull(),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>().notNull(),
    requestBody: text('request_body'),
    responseBody: text('response_body'),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (t) => [
    index('request_log_time').on(t.time, t.id),
    index('request_log_application_time').on(t.applicationId, t.time),
    index('request_log_api_time').on(t.apiId, t.time),
    index('request_log_expires_at').on(t.expiresAt),
  ],
);
