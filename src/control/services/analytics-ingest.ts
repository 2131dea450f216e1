// Storing the analytics a usage batch carries, inside the batch's own transaction (so a batch
// sent twice stores its analytics once too): rollups added into the minute, hour and day tables,
// request-log entries inserted with the time they expire. And pruning what has outlived its
// retention.
import { type SQL, sql } from 'drizzle-orm';
import { newId } from '../../shared/ids.ts';
import {
  analyticsDays,
  analyticsHours,
  analyticsMinutes,
  type RollupTable,
  requestLog,
} from '../../store/schema/index.ts';
import type { RequestLogInput, RollupEntry } from '../model/analytics.ts';
import type { Db } from './context.ts';

const dayMs = 86_400_000;

/** How long each grain of rollups is kept. */
export const rollupRetentionMs = {
  minute: 3 * dayMs,
  hour: 90 * dayMs,
  day: 5 * 365 * dayMs,
} as const;

/** Rollup rows per statement (one JSON parameter each), to keep each a few megabytes at most. */
const rowsPerInsert = 5_000;
/** Request-log rows per INSERT: 26 parameters a row stay under PostgreSQL's 65,535. */
const logRowsPerInsert = 1_000;

interface RollupRow {
  t: string;
  a: string;
  r: string;
  p: string;
  c: string;
  l: string;
  s: number;
  n: number;
  ls: number;
  us: number;
  un: number;
  bi: number;
  bo: number;
  h: number[];
}

export async function storeAnalytics(
  tx: Db,
  analytics: { rollups: RollupEntry[]; requests: RequestLogInput[] },
): Promise<void> {
  if (analytics.rollups.length > 0) {
    await upsertRollups(tx, analyticsMinutes, mergeRollups(analytics.rollups, 60_000));
    await upsertRollups(tx, analyticsHours, mergeRollups(analytics.rollups, 3_600_000));
    await upsertRollups(tx, analyticsDays, mergeRollups(analytics.rollups, dayMs));
  }
  for (let i = 0; i < analytics.requests.length; i += logRowsPerInsert) {
    await tx.insert(requestLog).values(analytics.requests.slice(i, i + logRowsPerInsert).map(logRow));
  }
}

/** PostgreSQL's text and jsonb cannot hold U+0000; a node of another version might still send one. */
const clean = (text: string) => (text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text);
const cleanOrNull = (text: string | null) => (text === null ? null : clean(text));
const cleanHeaders = (headers: Record<string, string>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [clean(name), clean(value)]));

function logRow(raw: RequestLogInput): typeof requestLog.$inferInsert {
  const entry = {
    ...raw,
    requestId: clean(raw.requestId),
    method: clean(raw.method),
    host: clean(raw.host),
    path: clean(raw.path),
    query: clean(raw.query),
    clientIp: clean(raw.clientIp),
    metric: clean(raw.metric),
    endUser: cleanOrNull(raw.endUser),
    requestHeaders: cleanHeaders(raw.requestHeaders),
    responseHeaders: cleanHeaders(raw.responseHeaders),
    requestBody: cleanOrNull(raw.requestBody),
    responseBody: cleanOrNull(raw.responseBody),
  };
  const time = new Date(entry.time);
  return {
    id: newId('requestLog'),
    time,
    requestId: entry.requestId,
    method: entry.method,
    host: entry.host,
    path: entry.path,
    query: entry.query,
    status: entry.status,
    durationMs: entry.durationMs,
    upstreamMs: entry.upstreamMs,
    bytesIn: entry.bytesIn,
    bytesOut: entry.bytesOut,
    clientIp: entry.clientIp,
    apiId: entry.apiId,
    routeId: entry.routeId,
    metric: entry.metric,
    applicationId: entry.applicationId,
    accountId: entry.accountId,
    planId: entry.planId,
    subscriptionId: entry.subscriptionId,
    endUser: entry.endUser,
    requestHeaders: entry.requestHeaders,
    responseHeaders: entry.responseHeaders,
    requestBody: entry.requestBody,
    responseBody: entry.responseBody,
    expiresAt: new Date(time.getTime() + entry.retentionDays * dayMs),
  };
}

/**
 * One row per key at the grain (an upsert may not touch a row twice), sorted so concurrent
 * batches lock shared rows in the same order and cannot deadlock.
 */
export function mergeRollups(entries: readonly RollupEntry[], grainMs: number): RollupRow[] {
  const merged = new Map<string, RollupRow>();
  for (const e of entries) {
    const start = Math.floor(Date.parse(e.minute) / grainMs) * grainMs;
    const row: RollupRow = {
      t: new Date(start).toISOString(),
      a: e.apiId ?? '',
      r: e.routeId ?? '',
      p: e.applicationId ?? '',
      c: e.accountId ?? '',
      l: e.planId ?? '',
      s: e.status,
      n: e.requests,
      ls: e.latencyMsSum,
      us: e.upstreamMsSum,
      un: e.upstreamRequests,
      bi: e.bytesIn,
      bo: e.bytesOut,
      h: [...e.latency],
    };
    const key = `${row.t}\n${row.a}\n${row.r}\n${row.p}\n${row.c}\n${row.l}\n${row.s}`;
    const seen = merged.get(key);
    if (seen === undefined) {
      merged.set(key, row);
      continue;
    }
    seen.n += row.n;
    seen.ls += row.ls;
    seen.us += row.us;
    seen.un += row.un;
    seen.bi = Math.min(seen.bi + row.bi, Number.MAX_SAFE_INTEGER);
    seen.bo += row.bo;
    for (let i = 0; i < row.h.length; i++) seen.h[i] = (seen.h[i] ?? 0) + (row.h[i] ?? 0);
  }
  return [...merged.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}

async function upsertRollups(tx: Db, table: RollupTable, rows: RollupRow[]): Promise<void> {
  for (let i = 0; i < rows.length; i += rowsPerInsert) {
    // One JSON parameter per statement, like usage counts: no limit on parameters.
    const chunk = JSON.stringify(rows.slice(i, i + rowsPerInsert));
    await tx.execute(sql`
      insert into ${table} (start, api_id, route_id, application_id, account_id, plan_id, status,
        requests, latency_ms_sum, upstream_ms_sum, upstream_requests, bytes_in, bytes_out, latency)
      select t, a, r, p, c, l, s, n, ls, us, un, bi, bo, h
      from jsonb_to_recordset(${chunk}::jsonb) as x(t timestamptz, a text, r text, p text, c text,
        l text, s integer, n bigint, ls float8, us float8, un bigint, bi bigint, bo bigint, h bigint[])
      on conflict (start, api_id, route_id, application_id, account_id, plan_id, status) do update set
        requests = ${table}.requests + excluded.requests,
        latency_ms_sum = ${table}.latency_ms_sum + excluded.latency_ms_sum,
        upstream_ms_sum = ${table}.upstream_ms_sum + excluded.upstream_ms_sum,
        upstream_requests = ${table}.upstream_requests + excluded.upstream_requests,
        bytes_in = least(${table}.bytes_in + excluded.bytes_in, 9007199254740991),
        bytes_out = ${table}.bytes_out + excluded.bytes_out,
        latency = turnpike_histogram_add(${table}.latency, excluded.latency)`);
  }
}

/** Deletes rollups and request-log entries past their retention; returns how many rows went. */
export async function pruneAnalytics(db: Db, now = new Date()): Promise<number> {
  const before = (ms: number) => new Date(now.getTime() - ms).toISOString();
  // Counted in the database: a large prune does not bring every deleted row back.
  const prune = async (table: RollupTable | typeof requestLog, where: SQL) => {
    // Both drivers answer with `rows`.
    const result = (await db.execute(
      sql`with gone as (delete from ${table} where ${where} returning 1) select count(*)::int as n from gone`,
    )) as unknown as { rows: { n: number }[] };
    return Number(result.rows[0]?.n ?? 0);
  };
  const counts = await Promise.all([
    prune(
      analyticsMinutes,
      sql`${analyticsMinutes.start} < ${before(rollupRetentionMs.minute)}::timestamptz`,
    ),
    prune(analyticsHours, sql`${analyticsHours.start} < ${before(rollupRetentionMs.hour)}::timestamptz`),
    prune(analyticsDays, sql`${analyticsDays.start} < ${before(rollupRetentionMs.day)}::timestamptz`),
    prune(requestLog, sql`${requestLog.expiresAt} < ${now.toISOString()}::timestamptz`),
  ]);
  return counts.reduce((sum, n) => sum + n, 0);
}
