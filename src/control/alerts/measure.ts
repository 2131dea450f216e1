// What each kind of rule measures, and whether that breaches it: error rate, latency percentile
// and traffic over the rule's window from the per-minute rollups; quota from the stored usage of
// each subscription against its plan's hour-and-longer limits (quota.ts).
//
// The window is the last N whole minutes, ending at the start of the current one. The current
// minute is left out: counting it would make the window N−1 minutes plus however many seconds of
// this one have passed, which depends on when the evaluator happened to start, so a 1-minute rule
// could judge an error rate on a few seconds of traffic.
import type { AlertWindow } from '../model/alert-event.ts';
import type { AnalyticsFilterInput } from '../model/analytics.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import { type AnalyticsRange, trafficSummary } from '../services/analytics-query.ts';
import type { Db } from '../services/context.ts';
import { quota } from './quota.ts';

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

/** The last `minutes` whole minutes: from `minutes` before the start of the current one to it. */
function wholeMinutes(minutes: number, now: Date): AnalyticsRange {
  const end = Math.floor(now.getTime() / minuteMs) * minuteMs;
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
  const range = wholeMinutes(minutes, now);
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
  const range = wholeMinutes(minutes, now);
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
 * Calls in the window against the same stretch a week earlier. Minute rollups are kept 3 days, so
 * last week's count comes from the hour rollups covering it, pro rata.
 */
async function trafficDrop(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement> {
  const minutes = rule.windowMinutes ?? 5;
  const range = wholeMinutes(minutes, now);
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
