// What each kind of rule measures, and whether that breaches it: error rate, latency percentile
// and traffic over the rule's window from the per-minute rollups (the current minute included, so
// a burst counts at once, except for traffic drops, which compare whole minutes); quota from the
// stored usage of each subscription against its plan's hour-and-longer limits.
import { and, eq, sql } from 'drizzle-orm';
import { applications, plans, subscriptions } from '../../store/schema/index.ts';
import type { AlertWindow } from '../model/alert-event.ts';
import type { AnalyticsFilterInput } from '../model/analytics.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import { type AnalyticsRange, trafficSummary } from '../services/analytics-query.ts';
import type { Db } from '../services/context.ts';
import { limitStatus } from '../services/usage.ts';

const minuteMs = 60_000;
const hourMs = 3_600_000;
const weekMs = 7 * 86_400_000;

export interface Measurement {
  /** '' for the rule as a whole; a subscription id for quota rules. */
  subject: string;
  value: number | null;
  /** What `value` is compared with; for traffic drops, in calls. */
  threshold: number | null;
  breached: boolean;
  window: AlertWindow;
  /** quota: the subscription and its fullest limit. */
  detail: Record<string, string | number | null> | null;
}

export async function measure(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement[]> {
  switch (rule.kind) {
    case 'error-rate':
      return [await errorRate(db, rule, now)];
    case 'latency':
      return [await latency(db, rule, now)];
    case 'traffic-drop':
      return [await trafficDrop(db, rule, now)];
    case 'quota':
      return quota(db, rule, now);
  }
}

function filterOf(rule: AlertRuleRow): AnalyticsFilterInput {
  const { apiId, routeId, applicationId, accountId, planId } = rule.scope;
  return { apiId, routeId, applicationId, accountId, planId };
}

/** The last `minutes` minutes, the current (partial) one included. */
function recentMinutes(minutes: number, now: Date): AnalyticsRange {
  const end = Math.floor(now.getTime() / minuteMs) * minuteMs + minuteMs;
  return { from: new Date(end - minutes * minuteMs), to: new Date(end), interval: 'minute' };
}

const windowOf = (minutes: number | null, range: { from: Date; to: Date }): AlertWindow => ({
  minutes,
  from: range.from.toISOString(),
  to: range.to.toISOString(),
});

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;

async function errorRate(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement> {
  const minutes = rule.windowMinutes ?? 5;
  const range = recentMinutes(minutes, now);
  const summary = await trafficSummary(db, filterOf(rule), range);
  const failed = summary.serverErrors + (rule.statusClass === 'errors' ? summary.clientErrors : 0);
  const value = summary.requests === 0 ? null : round(failed / summary.requests, 4);
  const enough = summary.requests >= (rule.minRequests ?? 1);
  return {
    subject: '',
    value,
    threshold: rule.threshold,
    breached: enough && value !== null && rule.threshold !== null && value >= rule.threshold,
    window: windowOf(minutes, range),
    detail: null,
  };
}

async function latency(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement> {
  const minutes = rule.windowMinutes ?? 5;
  const range = recentMinutes(minutes, now);
  const summary = await trafficSummary(db, filterOf(rule), range);
  const value =
    rule.percentile === 'p50'
      ? summary.latencyP50Ms
      : rule.percentile === 'p99'
        ? summary.latencyP99Ms
        : summary.latencyP95Ms;
  const enough = summary.requests >= (rule.minRequests ?? 1);
  return {
    subject: '',
    value,
    threshold: rule.threshold,
    breached: enough && value !== null && rule.threshold !== null && value >= rule.threshold,
    window: windowOf(minutes, range),
    detail: null,
  };
}

/**
 * Calls in the last whole minutes against the same stretch a week earlier. Minute rollups are
 * kept 3 days, so last week's count comes from the hour rollups covering it, pro rata.
 */
async function trafficDrop(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement> {
  const minutes = rule.windowMinutes ?? 5;
  const to = Math.floor(now.getTime() / minuteMs) * minuteMs;
  const range: AnalyticsRange = {
    from: new Date(to - minutes * minuteMs),
    to: new Date(to),
    interval: 'minute',
  };
  const filter = filterOf(rule);
  const current = await trafficSummary(db, filter, range);
  let minimum = rule.absoluteMinimum ?? 0;
  if (rule.threshold !== null) {
    const earlierFrom = Math.floor((range.from.getTime() - weekMs) / hourMs) * hourMs;
    const earlierTo = Math.ceil((range.to.getTime() - weekMs) / hourMs) * hourMs;
    const earlier = await trafficSummary(db, filter, {
      from: new Date(earlierFrom),
      to: new Date(earlierTo),
      interval: 'hour',
    });
    const expected = (earlier.requests * minutes * minuteMs) / (earlierTo - earlierFrom);
    minimum = Math.max(minimum, rule.threshold * expected);
  }
  const threshold = round(minimum, 2);
  return {
    subject: '',
    value: current.requests,
    threshold,
    breached: threshold > 0 && current.requests < threshold,
    window: windowOf(minutes, range),
    detail: null,
  };
}

/**
 * Each active subscription the scope covers, on a plan with limits: its fullest hour-or-longer
 * limit (counted per subscription) in the current window.
 */
async function quota(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement[]> {
  const { planId, applicationId, accountId } = rule.scope;
  const candidates = await db
    .select({
      id: subscriptions.id,
      applicationId: subscriptions.applicationId,
      accountId: applications.accountId,
      planId: subscriptions.planId,
    })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
    .where(
      and(
        eq(subscriptions.state, 'active'),
        sql`${plans.limits} <> '[]'::jsonb`,
        planId === undefined ? undefined : eq(subscriptions.planId, planId),
        applicationId === undefined ? undefined : eq(subscriptions.applicationId, applicationId),
        accountId === undefined ? undefined : eq(applications.accountId, accountId),
      ),
    )
    .orderBy(subscriptions.id);
  const measurements: Measurement[] = [];
  for (const subscription of candidates) {
    const limits = await limitStatus(db, subscription.id, now);
    if (!limits.ok) continue; // deleted meanwhile
    let fullest: (typeof limits.value)[number] | undefined;
    let share = -1;
    for (const limit of limits.value) {
      // Second and minute limits are not stored; per end-user limits have no one count.
      if (limit.used === null || limit.max <= 0) continue;
      const used = limit.used / limit.max;
      if (used > share) [share, fullest] = [used, limit];
    }
    if (!fullest) continue;
    const value = round(share, 4);
    measurements.push({
      subject: subscription.id,
      value,
      threshold: rule.threshold,
      breached: rule.threshold !== null && value >= rule.threshold,
      window: { minutes: null, from: fullest.windowStart, to: fullest.windowEnd },
      detail: {
        subscriptionId: subscription.id,
        applicationId: subscription.applicationId,
        accountId: subscription.accountId,
        planId: subscription.planId,
        metric: fullest.metric,
        period: fullest.period,
        used: fullest.used,
        max: fullest.max,
      },
    });
  }
  return measurements;
}
