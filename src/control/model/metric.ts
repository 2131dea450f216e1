// Metrics and what plans say about them: metric names, the parents an API declares (every metric
// also counts towards its parent, up to `hits`), a route's delta, plan limits and disabled metrics.
// Shared by the admin API and the declarative file.
import { z } from 'zod';
import { uniqueItems } from './fields.ts';

export const metric = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower case letters, digits, ".", "_" or "-"')
  .describe('Name of a usage metric; `hits` counts every call.');

/** The metric every call counts towards, directly or through its metric's parents. */
export const rootMetric = 'hits';

/** Most metrics above any metric, `hits` included. */
export const maxMetricDepth = 5;

export const metricDelta = z
  .int()
  .min(1)
  .max(1_000_000)
  .describe("Units a call adds to the route's metric and to each of its parents.");

export const metricParent = z
  .strictObject({
    name: metric,
    parent: metric.describe('The metric this one also counts towards.'),
  })
  .meta({ id: 'MetricParent', description: 'A metric and the metric it also counts towards.' });

export const apiMetrics = z
  .array(metricParent)
  .max(1000)
  .superRefine((metrics, ctx) => {
    const parentOf = new Map<string, string>();
    const declared: number[] = [];
    for (const [i, m] of metrics.entries()) {
      if (m.name === rootMetric)
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${rootMetric} has no parent` });
      else if (parentOf.has(m.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `metric ${m.name} is declared twice` });
      else {
        parentOf.set(m.name, m.parent);
        declared.push(i);
      }
    }
    for (const i of declared) {
      const name = metrics[i]?.name ?? '';
      const problem = chainProblem(name, parentOf);
      if (problem) ctx.addIssue({ code: 'custom', path: [i, 'parent'], message: problem });
    }
  })
  .describe(
    'Parents of metrics, for metrics whose parent is not `hits`; a call counts towards its metric and every metric above it.',
  );

/** Why the chain of parents above `name` is refused (a cycle through it, too deep), if it is. */
function chainProblem(name: string, parentOf: ReadonlyMap<string, string>): string | undefined {
  const chain = [name];
  const seen = new Set(chain);
  let at = parentOf.get(name);
  while (at !== undefined) {
    // A cycle above this metric but not through it is reported at the metrics in it.
    if (seen.has(at))
      return at === name ? `the parents form a cycle: ${[...chain, at].join(' → ')}` : undefined;
    chain.push(at);
    seen.add(at);
    at = at === rootMetric ? undefined : (parentOf.get(at) ?? rootMetric);
  }
  const above = chain.length - 1;
  return above > maxMetricDepth
    ? `${name} has ${above} metrics above it, ${rootMetric} included; at most ${maxMetricDepth}`
    : undefined;
}

export const limitPeriods = ['second', 'minute', 'hour', 'day', 'month', 'year', 'eternity'] as const;
export const limitCounters = ['subscription', 'end-user'] as const;

export const planLimit = z
  .strictObject({
    metric,
    period: z.enum(limitPeriods).describe('Window the maximum applies to.'),
    max: z.int().min(0).max(Number.MAX_SAFE_INTEGER).describe('Units allowed per period.'),
    per: z
      .enum(limitCounters)
      .optional()
      .meta({ default: 'subscription' })
      .describe(
        'Who the maximum is for: the whole subscription, or each OAuth end user within the application.',
      ),
  })
  .meta({ id: 'PlanLimit', description: 'A maximum on a metric per period.' });

export const planLimits = z
  .array(planLimit)
  .max(200)
  .superRefine((limits, ctx) => {
    const first = new Map<string, number>();
    for (const [i, limit] of limits.entries()) {
      const per = limit.per ?? 'subscription';
      const key = `${limit.metric}/${limit.period}/${per}`;
      const earlier = first.get(key);
      if (earlier !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `a second limit on ${limit.metric} per ${limit.period} per ${per} (the first is at index ${earlier})`,
        });
      else first.set(key, i);
    }
  })
  .describe('Limits per metric, period and counter (subscription or end user).');

// A disabled metric may also have limits: allowed (a plan is often edited one field at a time),
// though the limit never comes into play while the metric is disabled.
export const disabledMetrics = uniqueItems(metric, 'metric')
  .max(200)
  .describe('Metrics the plan does not allow at all: calls counting towards one are refused (403).');
