// Reading analytics back: traffic over time, the range added up, top lists, busiest hours and
// weekdays, from the rollup table whose grain suits the range; and the request log, newest first.
import { type AnyColumn, and, desc, eq, gt, gte, inArray, lt, or, type SQL, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { latencyPercentile } from '../../shared/latency-buckets.ts';
import {
  accounts,
  analyticsDays,
  analyticsHours,
  analyticsMinutes,
  apis,
  applications,
  plans,
  products,
  type RollupTable,
  requestLog,
  routes,
} from '../../store/schema/index.ts';
import type {
  AnalyticsFilterInput,
  AnalyticsInterval,
  Busiest,
  RequestLogItem,
  RequestLogPage,
  TimeOfWeek,
  TopDimension,
  TopItem,
  TopList,
  TrafficSeries,
  TrafficSummary,
} from '../model/analytics.ts';
import type { Db } from './context.ts';

const grainMs: Record<AnalyticsInterval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const tables: Record<AnalyticsInterval, RollupTable> = {
  minute: analyticsMinutes,
  hour: analyticsHours,
  day: analyticsDays,
};
/** Most points one series may have; a longer range needs a wider interval. */
export const maxPoints = 2_000;
const defaultRangeMs = 86_400_000;

export interface AnalyticsRange {
  from: Date;
  to: Date;
  interval: AnalyticsInterval;
}

/** The grain a range reads best at: minutes up to 6 hours, hours up to 7 days, else days. */
export function autoInterval(from: Date, to: Date): AnalyticsInterval {
  const span = to.getTime() - from.getTime();
  return span <= 6 * 3_600_000 ? 'minute' : span <= 7 * 86_400_000 ? 'hour' : 'day';
}

/** The range asked for, widened to whole intervals; 400 when it is empty or has too many points. */
export function resolveRange(
  filter: AnalyticsFilterInput,
  interval: AnalyticsInterval | undefined,
  now = new Date(),
): Result<AnalyticsRange> {
  const to = filter.to === undefined ? now : new Date(filter.to);
  const from = filter.from === undefined ? new Date(to.getTime() - defaultRangeMs) : new Date(filter.from);
  if (from.getTime() >= to.getTime())
    return fail('validation-failed', '`from` must be before `to`.', [
      { path: 'from', message: 'must be before to' },
    ]);
  const chosen = interval ?? autoInterval(from, to);
  const grain = grainMs[chosen];
  const start = Math.floor(from.getTime() / grain) * grain;
  const end = Math.ceil(to.getTime() / grain) * grain;
  const points = (end - start) / grain;
  if (points > maxPoints)
    return fail(
      'validation-failed',
      `The range holds ${points} ${chosen}s; at most ${maxPoints} points fit in one answer. Choose a wider interval or a shorter range.`,
      [{ path: 'interval', message: `too many points (${points})` }],
    );
  return ok({ from: new Date(start), to: new Date(end), interval: chosen });
}

function rollupWhere(t: RollupTable, range: AnalyticsRange, filter: AnalyticsFilterInput): SQL | undefined {
  return and(gte(t.start, range.from), lt(t.start, range.to), filterWhere(t, filter));
}

/** The filters every read takes, on a rollup table or the request log (same column names). */
function filterWhere(
  t: Record<'apiId' | 'routeId' | 'applicationId' | 'accountId' | 'planId' | 'status', AnyColumn>,
  filter: AnalyticsFilterInput,
): SQL | undefined {
  return and(
    filter.apiId === undefined ? undefined : eq(t.apiId, filter.apiId),
    filter.routeId === undefined ? undefined : eq(t.routeId, filter.routeId),
    filter.applicationId === undefined ? undefined : eq(t.applicationId, filter.applicationId),
    filter.accountId === undefined ? undefined : eq(t.accountId, filter.accountId),
    filter.planId === undefined ? undefined : eq(t.planId, filter.planId),
    statusWhere(t.status, filter),
  );
}

function statusWhere(column: AnyColumn, filter: AnalyticsFilterInput): SQL | undefined {
  if (filter.status !== undefined) return eq(column, filter.status);
  if (filter.statusClass === undefined) return undefined;
  const low = Number(filter.statusClass[0]) * 100;
  return and(gte(column, low), lt(column, low + 100));
}

const numbers = (value: unknown): number[] =>
  Array.isArray(value) ? value.map(Number) : typeof value === 'string' ? parseArray(value) : [];
/** A driver that leaves arrays as text (`{1,2,3}`). */
const parseArray = (text: string) =>
  text === '{}'
    ? []
    : text
        .replace(/^\{|\}$/g, '')
        .split(',')
        .map(Number);

/** The sums every read selects, whatever it groups by. */
function sums(t: RollupTable) {
  const sum = (column: SQL | AnyColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);
  return {
    requests: sum(t.requests),
    clientErrors: sum(sql`case when ${t.status} between 400 and 499 then ${t.requests} else 0 end`),
    serverErrors: sum(sql`case when ${t.status} >= 500 then ${t.requests} else 0 end`),
    latencyMsSum: sum(t.latencyMsSum),
    upstreamMsSum: sum(t.upstreamMsSum),
    upstreamRequests: sum(t.upstreamRequests),
    bytesIn: sum(t.bytesIn),
    bytesOut: sum(t.bytesOut),
    latency: sql<number[]>`turnpike_histogram_sum(${t.latency})`.mapWith(numbers),
  };
}

type Sums = {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  latencyMsSum: number;
  upstreamMsSum: number;
  upstreamRequests: number;
  bytesIn: number;
  bytesOut: number;
  /** null when no row matched (an aggregate over nothing). */
  latency: number[] | null;
};

const empty: Sums = {
  requests: 0,
  clientErrors: 0,
  serverErrors: 0,
  latencyMsSum: 0,
  upstreamMsSum: 0,
  upstreamRequests: 0,
  bytesIn: 0,
  bytesOut: 0,
  latency: [],
};

const ms = (value: number) => Math.round(value * 1000) / 1000;

function totals(s: Sums) {
  const n = s.requests;
  const upstreamAvg = s.upstreamRequests > 0 ? s.upstreamMsSum / s.upstreamRequests : null;
  return {
    requests: n,
    clientErrors: s.clientErrors,
    serverErrors: s.serverErrors,
    errorRate: n === 0 ? 0 : Math.round(((s.clientErrors + s.serverErrors) / n) * 10_000) / 10_000,
    latencyAvgMs: n === 0 ? null : ms(s.latencyMsSum / n),
    latencyP50Ms: latencyPercentile(s.latency ?? [], 0.5),
    latencyP95Ms: latencyPercentile(s.latency ?? [], 0.95),
    latencyP99Ms: latencyPercentile(s.latency ?? [], 0.99),
    upstreamAvgMs: upstreamAvg === null ? null : ms(upstreamAvg),
    // What the gateway adds: the latency of calls that went upstream minus their upstream time,
    // or the whole latency of calls answered by the gateway itself.
    gatewayAvgMs: n === 0 ? null : ms(Math.max(0, (s.latencyMsSum - s.upstreamMsSum) / n)),
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
  };
}

export async function trafficSeries(
  db: Db,
  filter: AnalyticsFilterInput,
  range: AnalyticsRange,
): Promise<TrafficSeries> {
  const t = tables[range.interval];
  const rows = await db
    .select({ start: t.start, ...sums(t) })
    .from(t)
    .where(rollupWhere(t, range, filter))
    .groupBy(t.start)
    .orderBy(t.start);
  const byStart = new Map(rows.map((row) => [new Date(row.start).getTime(), row]));
  const grain = grainMs[range.interval];
  const points = [];
  for (let at = range.from.getTime(); at < range.to.getTime(); at += grain) {
    points.push({ start: new Date(at).toISOString(), ...totals(byStart.get(at) ?? empty) });
  }
  return { from: range.from.toISOString(), to: range.to.toISOString(), interval: range.interval, points };
}

export async function trafficSummary(
  db: Db,
  filter: AnalyticsFilterInput,
  range: AnalyticsRange,
): Promise<TrafficSummary> {
  const t = tables[range.interval];
  const [row] = await db
    .select(sums(t))
    .from(t)
    .where(rollupWhere(t, range, filter));
  return { from: range.from.toISOString(), to: range.to.toISOString(), ...totals(row ?? empty) };
}

const dimensionColumn = (t: RollupTable, by: TopDimension) =>
  ({
    api: t.apiId,
    route: t.routeId,
    application: t.applicationId,
    account: t.accountId,
    plan: t.planId,
    status: t.status,
  })[by];

export async function topList(
  db: Db,
  filter: AnalyticsFilterInput,
  range: AnalyticsRange,
  by: TopDimension,
  limit: number,
): Promise<TopList> {
  const t = tables[range.interval];
  const column = dimensionColumn(t, by);
  const key = sql<string>`${column}::text`;
  const s = sums(t);
  const rows = await db
    .select({ id: key, ...s })
    .from(t)
    .where(and(rollupWhere(t, range, filter), by === 'status' ? undefined : sql`${column} <> ''`))
    .groupBy(column)
    .orderBy(desc(s.requests), key)
    .limit(limit);
  const names = await namesOf(
    db,
    by,
    rows.map((row) => row.id),
  );
  const items: TopItem[] = rows.map((row) => {
    const all = totals(row);
    return {
      id: row.id,
      name: names.get(row.id) ?? null,
      requests: all.requests,
      clientErrors: all.clientErrors,
      serverErrors: all.serverErrors,
      errorRate: all.errorRate,
      latencyAvgMs: all.latencyAvgMs,
      latencyP95Ms: all.latencyP95Ms,
    };
  });
  return { from: range.from.toISOString(), to: range.to.toISOString(), by, items };
}

/** Names as they are now: `api/route` for routes, `product/plan` for plans. */
async function namesOf(db: Db, by: TopDimension, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const pairs = async (rows: Promise<{ id: string; name: string }[]>) =>
    new Map((await rows).map((row) => [row.id, row.name]));
  switch (by) {
    case 'status':
      return new Map(ids.map((id) => [id, statusText(Number(id))]));
    case 'api':
      return pairs(db.select({ id: apis.id, name: apis.name }).from(apis).where(inArray(apis.id, ids)));
    case 'route':
      return pairs(
        db
          .select({ id: routes.id, name: sql<string>`${apis.name} || '/' || ${routes.name}` })
          .from(routes)
          .innerJoin(apis, eq(apis.id, routes.apiId))
          .where(inArray(routes.id, ids)),
      );
    case 'application':
      return pairs(
        db
          .select({ id: applications.id, name: applications.name })
          .from(applications)
          .where(inArray(applications.id, ids)),
      );
    case 'account':
      return pairs(
        db.select({ id: accounts.id, name: accounts.name }).from(accounts).where(inArray(accounts.id, ids)),
      );
    case 'plan':
      return pairs(
        db
          .select({ id: plans.id, name: sql<string>`${products.name} || '/' || ${plans.name}` })
          .from(plans)
          .innerJoin(products, eq(products.id, plans.productId))
          .where(inArray(plans.id, ids)),
      );
  }
}

const reasons: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  304: 'Not Modified',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  499: 'Client Closed Request',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function statusText(status: number): string {
  const reason = reasons[status];
  return reason === undefined ? String(status) : `${status} ${reason}`;
}

/** Requests by hour of day and ISO weekday in the viewer's offset, from minutes or hours. */
export async function busiestTimes(
  db: Db,
  filter: AnalyticsFilterInput,
  range: AnalyticsRange,
  utcOffsetMinutes: number,
): Promise<Busiest> {
  // Days have no hours in them: a long range is read from the hours.
  const t = range.interval === 'minute' ? analyticsMinutes : analyticsHours;
  const local = sql`((${t.start} at time zone 'UTC') + make_interval(mins => ${utcOffsetMinutes}::int))`;
  const hour = sql<number>`extract(hour from ${local})::int`.mapWith(Number);
  const weekday = sql<number>`extract(isodow from ${local})::int`.mapWith(Number);
  const rows = await db
    .select({ hour, weekday, requests: sql<number>`sum(${t.requests})`.mapWith(Number) })
    .from(t)
    .where(rollupWhere(t, range, filter))
    // By position: the same expression with its own parameters would not count as the same.
    .groupBy(sql`1`, sql`2`);
  const hours = Array.from({ length: 24 }, (_, h) => ({ hour: h, requests: 0 }));
  const weekdays = Array.from({ length: 7 }, (_, d) => ({ weekday: d + 1, requests: 0 }));
  for (const row of rows) {
    (hours[row.hour] as { requests: number }).requests += row.requests;
    (weekdays[row.weekday - 1] as { requests: number }).requests += row.requests;
  }
  return { from: range.from.toISOString(), to: range.to.toISOString(), utcOffsetMinutes, hours, weekdays };
}

// ── The request log ─────────────────────────────────────────────────────────────────────────

function encodeLogCursor(row: { time: Date; id: string }): string {
  return Buffer.from(`${row.time.toISOString()}|${row.id}`).toString('base64url');
}

function decodeLogCursor(cursor: string): { time: Date; id: string } | undefined {
  const [time, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (
    time === undefined ||
    id === undefined ||
    Number.isNaN(Date.parse(time)) ||
    !/^req_[0-9a-z]{26}$/.test(id)
  )
    return undefined;
  return { time: new Date(time), id };
}

/** Requests in an hour of the day or on a day of the week of the viewer's offset, on any date. */
function timeOfWeekWhere(time: AnyColumn, when: TimeOfWeek): SQL | undefined {
  const local = sql`((${time} at time zone 'UTC') + make_interval(mins => ${when.utcOffsetMinutes}::int))`;
  return and(
    when.hourOfDay === undefined ? undefined : sql`extract(hour from ${local}) = ${when.hourOfDay}::int`,
    when.weekday === undefined ? undefined : sql`extract(isodow from ${local}) = ${when.weekday}::int`,
  );
}

/** Newest first; `from`/`to` default to the last 24 hours. */
export async function requestLogPage(
  db: Db,
  filter: AnalyticsFilterInput,
  page: { limit: number; cursor?: string | undefined },
  when: TimeOfWeek = { utcOffsetMinutes: 0 },
  now = new Date(),
): Promise<Result<RequestLogPage>> {
  const after = page.cursor === undefined ? undefined : decodeLogCursor(page.cursor);
  if (page.cursor !== undefined && after === undefined)
    return fail('validation-failed', 'The cursor is not one this API gave.', [
      { path: 'cursor', message: 'unknown cursor' },
    ]);
  const to = filter.to === undefined ? now : new Date(filter.to);
  const from = filter.from === undefined ? new Date(to.getTime() - defaultRangeMs) : new Date(filter.from);
  const t = requestLog;
  const rows = await db
    .select()
    .from(t)
    .where(
      and(
        gte(t.time, from),
        lt(t.time, to),
        // Expired entries are not shown, even before the next prune deletes them.
        gt(t.expiresAt, now),
        filterWhere(t, filter),
        timeOfWeekWhere(t.time, when),
        after === undefined
          ? undefined
          : or(lt(t.time, after.time), and(eq(t.time, after.time), lt(t.id, after.id))),
      ),
    )
    .orderBy(desc(t.time), desc(t.id))
    .limit(page.limit + 1);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return ok({ items: items.map(logItem), next: more && last ? encodeLogCursor(last) : null });
}

export async function requestLogItem(
  db: Db,
  id: string,
  now = new Date(),
): Promise<RequestLogItem | undefined> {
  const [row] = await db
    .select()
    .from(requestLog)
    .where(and(eq(requestLog.id, id), gt(requestLog.expiresAt, now)));
  return row === undefined ? undefined : logItem(row);
}

function logItem(row: typeof requestLog.$inferSelect): RequestLogItem {
  return {
    ...row,
    time: row.time.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}
