// Usage: storing the batches gateways hand over, exactly once each, and reading usage back as
// series and as what is left of each plan limit.
//
// A batch is stored in one transaction: its id first (a second copy of the batch, a retry after
// a lost answer, stops there), then its entries added to the hourly counts. Usage is not
// configuration, so this does not go through write() and never makes a new revision.
import { and, asc, eq, gte, inArray, lt, type SQL, sql } from 'drizzle-orm';
import {
  type CounterSeed,
  type LimitCheck,
  type LimitState,
  subscriptionCounterKey,
  windowOf,
} from '../../gateway/limits/store.ts';
import { fail, formatPath, ok, type Result } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { applications, plans, subscriptions, usageBatches, usageCounts } from '../../store/schema/index.ts';
import { publishAnalyticsDropped } from '../metrics/channels.ts';
import {
  type LimitUsage,
  type UsageBatch,
  type UsageGranularity,
  type UsagePoint,
  usageBatchSchema,
  usageGranularities,
} from '../model/usage.ts';
import { pruneAnalytics, storeAnalytics } from './analytics-ingest.ts';
import type { Db } from './context.ts';

export { usageBatchSchema };

/** How long batch ids are kept: a copy of a batch arriving later than this would count again. */
export const batchIdRetentionMs = 7 * 86_400_000;
const pruneEveryMs = 3_600_000;
/** Rows per INSERT, to keep each statement a few megabytes at most. */
const rowsPerInsert = 10_000;

const lastPruned = new WeakMap<Db, number>();

/** A batch that cannot be stored as it is; nothing of it was. */
export class UsageBatchRefused extends RangeError {
  constructor(detail: string) {
    super(`usage batch refused: ${detail}`);
  }
}

/**
 * Stores a batch once: `stored` is false when a batch with the same id was stored before (then
 * nothing changes). A malformed batch is a bug in the caller (the admin API validates first): it
 * throws UsageBatchRefused, and nothing is stored.
 */
export async function recordUsageBatch(db: Db, batch: UsageBatch): Promise<{ stored: boolean }> {
  const parsed = usageBatchSchema.safeParse(batch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageBatchRefused(`${formatPath(issue?.path ?? [])}: ${issue?.message}`);
  }
  const rows = mergedRows(parsed.data);
  const stored = await db.transaction(async (tx) => {
    const claimed = await tx
      .insert(usageBatches)
      .values({ id: parsed.data.id })
      .onConflictDoNothing()
      .returning({ id: usageBatches.id });
    if (claimed.length === 0) return false;
    // The rows travel as one JSON parameter per statement: no limit on parameters, and about
    // twice as fast as a VALUES list of 4 parameters a row (100,000 rows: 3 s against 7 s).
    for (let i = 0; i < rows.length; i += rowsPerInsert) {
      const chunk = JSON.stringify(rows.slice(i, i + rowsPerInsert));
      await tx.execute(sql`
        insert into ${usageCounts} (subscription_id, metric, hour, units)
        select s, m, h, u from jsonb_to_recordset(${chunk}::jsonb) as r(s text, m text, h timestamptz, u bigint)
        on conflict (subscription_id, metric, hour) do update set units = ${usageCounts}.units + excluded.units`);
    }
    const analytics = parsed.data.analytics;
    if (analytics === undefined) {
      if (isObject(batch.analytics))
        publishAnalyticsDropped({ reason: 'invalid', ...sizes(batch.analytics) });
      return true;
    }
    // In a savepoint: analytics the database refuses are dropped, the usage is stored all the same.
    await tx
      .transaction((savepoint) => storeAnalytics(savepoint, analytics))
      .catch(() => {
        publishAnalyticsDropped({ reason: 'store-failed', ...sizes(analytics) });
      });
    return true;
  });
  const now = Date.now();
  if (now - (lastPruned.get(db) ?? 0) >= pruneEveryMs) {
    lastPruned.set(db, now);
    await pruneUsageBatches(db, new Date(now));
    await pruneAnalytics(db, new Date(now));
  }
  return { stored };
}

/**
 * One row per subscription × metric × hour (an upsert may not touch a row twice), sorted, so
 * that concurrent batches lock the rows they share in the same order and cannot deadlock.
 */
function mergedRows(batch: UsageBatch): { s: string; m: string; h: string; u: number }[] {
  const merged = new Map<string, { s: string; m: string; h: string; u: number }>();
  for (const entry of batch.entries) {
    const hour = new Date(entry.hour).toISOString();
    const key = `${entry.subscriptionId}\n${entry.metric}\n${hour}`;
    const row = merged.get(key);
    if (row) {
      row.u += entry.units;
      if (!Number.isSafeInteger(row.u))
        throw new UsageBatchRefused(
          `the units of ${entry.subscriptionId} ${entry.metric} at ${hour} add up past 2^53`,
        );
    } else merged.set(key, { s: entry.subscriptionId, m: entry.metric, h: hour, u: entry.units });
  }
  // ISO strings of one format sort as their times do.
  return [...merged.values()].sort((a, b) => compare(a.s, b.s) || compare(a.m, b.m) || compare(a.h, b.h));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;

function sizes(analytics: Record<string, unknown> | { rollups: unknown[]; requests: unknown[] }) {
  const length = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  return { rollups: length(analytics.rollups), requests: length(analytics.requests) };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Forgets batch ids older than the retention; returns how many. Runs at most hourly from recordUsageBatch. */
export async function pruneUsageBatches(db: Db, now = new Date()): Promise<number> {
  const pruned = await db
    .delete(usageBatches)
    .where(lt(usageBatches.receivedAt, new Date(now.getTime() - batchIdRetentionMs)))
    .returning({ id: usageBatches.id });
  return pruned.length;
}

export interface UsageFilter {
  subscriptionId?: string | undefined;
  applicationId?: string | undefined;
  accountId?: string | undefined;
  /** The plan a subscription is on now: usage from before a plan change is listed under the new plan. */
  planId?: string | undefined;
  metric?: string | undefined;
}

export interface UsageSeriesOptions {
  granularity?: UsageGranularity | undefined;
  /** Default: 30 days before `to`. Widened to the start of its period. */
  from?: Date | undefined;
  /** Exclusive; default: now. Widened to the end of its period. */
  to?: Date | undefined;
}

export const maxUsageBuckets = 10_000;
export const maxUsageRows = 100_000;

/**
 * Units per subscription × metric × period, for every period that overlaps [from, to), each
 * period whole; sorted by start, then subscription, then metric. Periods with no usage have no
 * row. Refused (validation-failed) when the range spans more than 10,000 periods or the answer
 * would have more than 100,000 rows.
 */
export async function usageSeries(
  db: Db,
  filter: UsageFilter,
  options: UsageSeriesOptions = {},
): Promise<Result<UsagePoint[]>> {
  const granularity = options.granularity ?? 'day';
  if (!usageGranularities.includes(granularity)) throw new RangeError(`no granularity ${granularity}`);
  const to = options.to ?? new Date();
  const from = options.from ?? new Date(to.getTime() - 30 * 86_400_000);
  if (from.getTime() >= to.getTime()) return fail('validation-failed', 'from must be before to');
  const start = periodStart(granularity, from);
  const end = nextPeriod(granularity, periodStart(granularity, new Date(to.getTime() - 1)));
  const buckets = countPeriods(granularity, start, end);
  if (buckets > maxUsageBuckets)
    return fail(
      'validation-failed',
      `from … to spans ${buckets} ${granularity}s; at most ${maxUsageBuckets}: shorten the range or use a coarser granularity`,
    );
  // A literal, not a parameter: PostgreSQL matches the select and group by expressions only when
  // they are the same text.
  const bucket = sql<Date>`date_trunc(${sql.raw(`'${granularity}'`)}, ${usageCounts.hour}, 'UTC')`;
  const conditions: (SQL | undefined)[] = [
    gte(usageCounts.hour, start),
    lt(usageCounts.hour, end),
    filter.subscriptionId !== undefined ? eq(usageCounts.subscriptionId, filter.subscriptionId) : undefined,
    filter.metric !== undefined ? eq(usageCounts.metric, filter.metric) : undefined,
    filter.applicationId !== undefined ? eq(subscriptions.applicationId, filter.applicationId) : undefined,
    filter.accountId !== undefined ? eq(applications.accountId, filter.accountId) : undefined,
    filter.planId !== undefined ? eq(subscriptions.planId, filter.planId) : undefined,
  ];
  // Left joins: usage of a deleted subscription is still listed (without its application).
  const rows = await db
    .select({
      subscriptionId: usageCounts.subscriptionId,
      applicationId: subscriptions.applicationId,
      accountId: applications.accountId,
      planId: subscriptions.planId,
      metric: usageCounts.metric,
      start: sql<Date>`${bucket}`.mapWith((value: string | Date) => new Date(value)),
      units: sql<number>`sum(${usageCounts.units})`.mapWith(Number),
    })
    .from(usageCounts)
    .leftJoin(subscriptions, eq(subscriptions.id, usageCounts.subscriptionId))
    .leftJoin(applications, eq(applications.id, subscriptions.applicationId))
    .where(and(...conditions))
    .groupBy(
      bucket,
      usageCounts.subscriptionId,
      usageCounts.metric,
      subscriptions.applicationId,
      applications.accountId,
      subscriptions.planId,
    )
    .orderBy(asc(bucket), asc(usageCounts.subscriptionId), asc(usageCounts.metric))
    .limit(maxUsageRows + 1);
  if (rows.length > maxUsageRows)
    return fail(
      'validation-failed',
      `the answer would have more than ${maxUsageRows} rows: narrow the filters or the range, or use a coarser granularity`,
    );
  return ok(rows.map((row) => ({ ...row, start: row.start.toISOString() })));
}

/**
 * Reads what the gateways' counters hold now (nothing counted): Redis, or this node's own
 * gateway; undefined when they cannot be asked.
 */
export type LiveCounts = (checks: readonly LimitCheck[]) => Promise<readonly LimitState[] | undefined>;

/**
 * Each limit of the subscription's current plan with what the subscription used of it in the
 * current window (UTC, aligned as the gateway aligns them). Hour and longer windows come from the
 * stored usage. Second and minute windows are not stored: they come from the gateways' counters
 * through `live` when given (Redis, or the local gateway's), else their `used` is null. Per
 * end-user limits are counted per end user, so they have no one `used` here: null.
 */
export async function limitStatus(
  db: Db,
  subscriptionId: string,
  now = new Date(),
  live?: LiveCounts,
): Promise<Result<LimitUsage[]>> {
  const [found] = isId('subscription', subscriptionId)
    ? await db
        .select({ limits: plans.limits })
        .from(subscriptions)
        .innerJoin(plans, eq(plans.id, subscriptions.planId))
        .where(eq(subscriptions.id, subscriptionId))
    : [];
  if (!found) return fail('not-found', `no subscription ${subscriptionId}`);
  const stored = found.limits.filter((l) => l.per !== 'end-user' && storedPeriods.has(l.period));
  const used = await usedInWindows(db, subscriptionId, [...new Set(stored.map((l) => l.metric))], now);
  const short = found.limits.filter((l) => l.per !== 'end-user' && !storedPeriods.has(l.period));
  const counts =
    short.length > 0 && live
      ? await live(
          short.map((l) => ({
            key: subscriptionCounterKey(subscriptionId, l.metric),
            period: l.period,
            max: l.max,
          })),
        ).catch(() => undefined)
      : undefined;
  return ok(
    found.limits.map((limit) => {
      const window = windowOf(limit.period, now.getTime());
      const eternal = limit.period === 'eternity';
      const counted = limit.per !== 'end-user' && storedPeriods.has(limit.period);
      const liveIndex = short.indexOf(limit);
      const units = counted
        ? (used.get(limit.metric)?.[limit.period as StoredPeriod] ?? 0)
        : (counts?.[liveIndex]?.used ?? null);
      return {
        metric: limit.metric,
        period: limit.period,
        max: limit.max,
        per: limit.per ?? 'subscription',
        used: units,
        remaining: units === null ? null : Math.max(0, limit.max - units),
        windowStart: eternal ? null : new Date(window.start).toISOString(),
        windowEnd: eternal ? null : new Date(window.end).toISOString(),
      };
    }),
  );
}

type StoredPeriod = 'hour' | 'day' | 'month' | 'year' | 'eternity';
const storedPeriods: ReadonlySet<string> = new Set<StoredPeriod>([
  'hour',
  'day',
  'month',
  'year',
  'eternity',
]);

/** Units per metric in the current hour, day, month, year and for ever, in one query. */
async function usedInWindows(
  db: Db,
  subscriptionId: string,
  metrics: string[],
  now: Date,
): Promise<Map<string, Record<StoredPeriod, number>>> {
  if (metrics.length === 0) return new Map();
  const rows = await windowSums(
    db,
    and(eq(usageCounts.subscriptionId, subscriptionId), inArray(usageCounts.metric, metrics)),
    now,
  );
  return new Map(rows.map(({ metric, ...used }) => [metric, used]));
}

/** Per subscription and metric of the rows `where` picks: units in each current stored window. */
export function windowSums(db: Db, where: SQL | undefined, now: Date) {
  const within = (period: 'hour' | 'day' | 'month' | 'year') => {
    const window = windowOf(period, now.getTime());
    const start = new Date(window.start).toISOString();
    const end = new Date(window.end).toISOString();
    return sql<number>`coalesce(sum(${usageCounts.units}) filter (where ${usageCounts.hour} >= ${start}::timestamptz and ${usageCounts.hour} < ${end}::timestamptz), 0)`.mapWith(
      Number,
    );
  };
  return db
    .select({
      subscriptionId: usageCounts.subscriptionId,
      metric: usageCounts.metric,
      hour: within('hour'),
      day: within('day'),
      month: within('month'),
      year: within('year'),
      eternity: sql<number>`sum(${usageCounts.units})`.mapWith(Number),
    })
    .from(usageCounts)
    .where(where)
    .groupBy(usageCounts.subscriptionId, usageCounts.metric);
}

/**
 * What the active subscriptions used of their plans' stored-period limits (hour and longer, per
 * subscription) in the current windows: a gateway that counts in its own memory starts from
 * these, so a restart does not hand out a month's quota again. Windows with nothing used are left
 * out.
 */
/** Active subscriptions on plans with limits: the ones whose counts a gateway starts from. */
const limitedAndActive = and(eq(subscriptions.state, 'active'), sql`${plans.limits} <> '[]'::jsonb`);

export async function counterSeeds(db: Db, now = new Date()): Promise<CounterSeed[]> {
  const limited = await db
    .select({ subscriptionId: subscriptions.id, limits: plans.limits })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(limitedAndActive);
  const wanted = new Map<string, { metric: string; period: StoredPeriod }[]>();
  let eternal = false;
  for (const { subscriptionId, limits } of limited) {
    const stored = limits.filter((l) => l.per !== 'end-user' && storedPeriods.has(l.period));
    if (stored.length === 0) continue;
    // A plan has one limit per metric, period and counter (the model refuses a second).
    wanted.set(
      subscriptionId,
      stored.map((l) => ({ metric: l.metric, period: l.period as StoredPeriod })),
    );
    if (stored.some((l) => l.period === 'eternity')) eternal = true;
  }
  if (wanted.size === 0) return [];
  // Without an eternity limit nothing before this year's start matters.
  const since = eternal ? undefined : gte(usageCounts.hour, new Date(windowOf('year', now.getTime()).start));
  const rows = await windowSums(
    db,
    and(
      since,
      inArray(
        usageCounts.subscriptionId,
        db
          .select({ id: subscriptions.id })
          .from(subscriptions)
          .innerJoin(plans, eq(plans.id, subscriptions.planId))
          .where(limitedAndActive),
      ),
    ),
    now,
  );
  const seeds: CounterSeed[] = [];
  for (const row of rows) {
    for (const { metric, period } of wanted.get(row.subscriptionId) ?? []) {
      const used = row[period];
      if (metric === row.metric && used > 0)
        seeds.push({ key: subscriptionCounterKey(row.subscriptionId, metric), period, used });
    }
  }
  return seeds;
}

function periodStart(granularity: UsageGranularity, at: Date): Date {
  const year = at.getUTCFullYear();
  const month = at.getUTCMonth();
  const day = at.getUTCDate();
  if (granularity === 'year') return new Date(Date.UTC(year, 0, 1));
  if (granularity === 'month') return new Date(Date.UTC(year, month, 1));
  if (granularity === 'day') return new Date(Date.UTC(year, month, day));
  return new Date(Date.UTC(year, month, day, at.getUTCHours()));
}

function nextPeriod(granularity: UsageGranularity, start: Date): Date {
  const next = new Date(start);
  if (granularity === 'year') next.setUTCFullYear(next.getUTCFullYear() + 1);
  else if (granularity === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else if (granularity === 'day') next.setUTCDate(next.getUTCDate() + 1);
  else next.setUTCHours(next.getUTCHours() + 1);
  return next;
}

/** Periods from `start` (a period's start) up to `end` (another's). */
function countPeriods(granularity: UsageGranularity, start: Date, end: Date): number {
  if (granularity === 'hour') return (end.getTime() - start.getTime()) / 3_600_000;
  if (granularity === 'day') return (end.getTime() - start.getTime()) / 86_400_000;
  const months =
    (end.getUTCFullYear() - start.getUTCFullYear()) * 12 + (end.getUTCMonth() - start.getUTCMonth());
  return granularity === 'month' ? months : months / 12;
}
