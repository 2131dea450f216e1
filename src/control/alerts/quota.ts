// What quota rules measure: for each active subscription the scope covers, on a plan with limits,
// the fullest of its hour-and-longer limits (counted per subscription) in the current windows.
// Two queries per rule, whatever the number of subscriptions: the candidates with their plans'
// limits, then their usage summed per subscription and metric over each window, grouped, as
// counterSeeds in services/usage.ts does for the gateways (and aligned as limitStatus aligns them).
import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { windowOf } from '../../gateway/limits/store.ts';
import { applications, type PlanLimit, plans, subscriptions, usageCounts } from '../../store/schema/index.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import { windowSums } from '../services/usage.ts';
import type { Measurement } from './measure.ts';

type StoredPeriod = 'hour' | 'day' | 'month' | 'year' | 'eternity';
const storedPeriods: ReadonlySet<string> = new Set<StoredPeriod>([
  'hour',
  'day',
  'month',
  'year',
  'eternity',
]);

/** Limits with a stored count: hour and longer, per subscription (per end-user ones have no one count). */
const watched = (limit: PlanLimit): limit is PlanLimit & { period: StoredPeriod } =>
  limit.per !== 'end-user' && storedPeriods.has(limit.period) && limit.max > 0;

export async function quota(db: Db, rule: AlertRuleRow, now: Date): Promise<Measurement[]> {
  const { planId, applicationId, accountId } = rule.scope;
  const inScope = and(
    eq(subscriptions.state, 'active'),
    sql`${plans.limits} <> '[]'::jsonb`,
    planId === undefined ? undefined : eq(subscriptions.planId, planId),
    applicationId === undefined ? undefined : eq(subscriptions.applicationId, applicationId),
    accountId === undefined ? undefined : eq(applications.accountId, accountId),
  );
  const candidates = (
    await db
      .select({
        id: subscriptions.id,
        applicationId: subscriptions.applicationId,
        accountId: applications.accountId,
        planId: subscriptions.planId,
        limits: plans.limits,
      })
      .from(subscriptions)
      .innerJoin(plans, eq(plans.id, subscriptions.planId))
      .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
      .where(inScope)
      .orderBy(subscriptions.id)
  )
    .map((c) => ({ ...c, limits: c.limits.filter(watched) }))
    .filter((c) => c.limits.length > 0);
  if (candidates.length === 0) return [];

  // Without an eternity limit nothing before this year's start matters.
  const eternal = candidates.some((c) => c.limits.some((l) => l.period === 'eternity'));
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
          .innerJoin(applications, eq(applications.id, subscriptions.applicationId))
          .where(inScope),
      ),
    ),
    now,
  );
  const used = new Map(
    rows.map(({ subscriptionId, metric, ...sums }) => [`${subscriptionId} ${metric}`, sums]),
  );

  const measurements: Measurement[] = [];
  for (const subscription of candidates) {
    let fullest: { limit: PlanLimit & { period: StoredPeriod }; used: number } | undefined;
    let share = -1;
    for (const limit of subscription.limits) {
      const units = used.get(`${subscription.id} ${limit.metric}`)?.[limit.period] ?? 0;
      if (units / limit.max > share) [share, fullest] = [units / limit.max, { limit, used: units }];
    }
    if (!fullest) continue;
    const { limit } = fullest;
    const window = windowOf(limit.period, now.getTime());
    const eternity = limit.period === 'eternity';
    const value = Math.round(share * 10_000) / 10_000;
    measurements.push({
      subject: subscription.id,
      value,
      threshold: rule.threshold,
      breached: rule.threshold !== null && value >= rule.threshold,
      window: {
        minutes: null,
        from: eternity ? null : new Date(window.start).toISOString(),
        to: eternity ? null : new Date(window.end).toISOString(),
      },
      detail: {
        subscriptionId: subscription.id,
        applicationId: subscription.applicationId,
        accountId: subscription.accountId,
        planId: subscription.planId,
        metric: limit.metric,
        period: limit.period,
        used: fullest.used,
        max: limit.max,
      },
    });
  }
  return measurements;
}
