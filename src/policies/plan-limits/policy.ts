// plan-limits: the caller's plan decides. A call counts its route's `delta` in the route's
// metric and every ancestor up to `hits`; a metric the plan disables is refused (403), and a
// limit on any of them that has no room left refuses the call (429) without counting it
// anywhere. Counted per subscription, so a plan change keeps the period's usage, or per end
// user within it for limits marked so. Every call it lets through is metered (durable usage
// per subscription, metric and hour), limits or not. Added wherever the subscription check runs.
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { LimitCheck, PlanLimit, PlanRules, Verdict } from '../counters.ts';
import type { CreateOptions, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { answerVerdict, type LimitLabel, perPeriod } from '../limit-answers.ts';
import { type PlanLimitsConfig, planLimitsSchema } from './schema.ts';

/** What a plan says about calls counting in one chain of metrics. */
interface Rule {
  readonly disabled: PolicyResponse | undefined;
  readonly limits: readonly PlanLimit[];
  readonly labels: readonly LimitLabel[];
  readonly perEndUser: boolean;
  /** Subscription-only rules: the checks of each subscription, built once (bounded). */
  readonly checksOf: Map<string, LimitCheck[]>;
}

/** Subscriptions whose checks one rule remembers; past that the cache starts over. */
const checksCacheSize = 10_000;

export const planLimits = {
  name: 'plan-limits',
  description:
    "Enforces the caller's plan: its limits per metric and period (429 over a limit) and its disabled metrics (403).",
  phase: 'limit',
  priority: 900,
  schema: planLimitsSchema,
  create(config: PlanLimitsConfig, options: CreateOptions): PolicyHandler {
    const plans = options.plans ?? new Map<string, PlanRules>();
    const counters = options.counters;
    // Per route (its metric chain is one array per compiled route), per plan.
    const rules = new WeakMap<readonly string[], Map<string, Rule>>();

    function ruleFor(plan: PlanRules, metrics: readonly string[]): Rule {
      let byPlan = rules.get(metrics);
      if (byPlan === undefined) {
        byPlan = new Map();
        rules.set(metrics, byPlan);
      }
      let rule = byPlan.get(plan.id);
      if (rule === undefined) {
        const limits = plan.limits.filter((limit) => metrics.includes(limit.metric));
        const disabled = metrics.find((metric) => plan.disabledMetrics.includes(metric));
        rule = {
          disabled:
            disabled === undefined
              ? undefined
              : deny('metric-disabled', `The plan does not include ${disabled}.`),
          limits,
          labels: limits.map((l) => {
            const perUser = l.per === 'end-user';
            return {
              name: `${l.metric}/${l.period}${perUser ? '/end-user' : ''}`,
              sentence: `The plan allows ${l.max} ${l.metric} ${perPeriod(l.period)}${perUser ? ' for each end user' : ''}`,
            };
          }),
          perEndUser: limits.some((l) => l.per === 'end-user'),
          checksOf: new Map(),
        };
        byPlan.set(plan.id, rule);
      }
      return rule;
    }

    function checksFor(rule: Rule, owner: string): LimitCheck[] {
      let checks = rule.checksOf.get(owner);
      if (checks === undefined) {
        checks = rule.limits.map((l) => ({ key: `${owner}\n${l.metric}`, period: l.period, max: l.max }));
        if (rule.checksOf.size >= checksCacheSize) rule.checksOf.clear();
        rule.checksOf.set(owner, checks);
      }
      return checks;
    }

    const meter = options.meter;
    /** Meters a call let through, in its metric and every parent, for its subscription. */
    function metered(
      ctx: PolicyContext,
      subscriptionId: string | undefined,
      answer: PolicyResponse | undefined,
    ) {
      if (answer === undefined && subscriptionId !== undefined && meter !== undefined)
        meter.record(subscriptionId, ctx.route.metrics ?? [ctx.route.metric], ctx.route.delta ?? 1);
      return answer;
    }

    return function planLimitsHandler(ctx: PolicyContext) {
      const consumer = ctx.consumer;
      const planId = consumer?.planId;
      if (consumer === undefined || planId === undefined) return undefined;
      const subscriptionId = consumer.subscriptionId;
      const plan = plans.get(planId);
      if (plan === undefined) return metered(ctx, subscriptionId, undefined);
      const rule = ruleFor(plan, ctx.route.metrics ?? [ctx.route.metric]);
      if (rule.disabled !== undefined) return rule.disabled;
      if (rule.limits.length === 0 || counters === undefined) return metered(ctx, subscriptionId, undefined);
      const owner = `plan\n${consumer.subscriptionId ?? `${consumer.applicationId}\n${planId}`}`;
      let checks: LimitCheck[];
      let labels = rule.labels;
      if (!rule.perEndUser) checks = checksFor(rule, owner);
      else {
        checks = [];
        const counted: LimitLabel[] = [];
        for (const [i, limit] of rule.limits.entries()) {
          if (limit.per === 'end-user') {
            // Only a token names an end user; an API key's calls count per subscription only.
            if (consumer.subject === undefined) continue;
            checks.push({
              key: `${owner}\n${limit.metric}\n${consumer.subject}`,
              period: limit.period,
              max: limit.max,
            });
          } else checks.push({ key: `${owner}\n${limit.metric}`, period: limit.period, max: limit.max });
          counted.push(rule.labels[i] as LimitLabel);
        }
        if (checks.length === 0) return metered(ctx, subscriptionId, undefined);
        labels = counted;
      }
      const units = ctx.route.delta ?? 1;
      const verdict = counters.consume(checks, units);
      if (!(verdict instanceof Promise))
        return metered(ctx, subscriptionId, answerVerdict(ctx, verdict, units, labels, config.headers));
      return verdict.then((v: Verdict) =>
        metered(ctx, subscriptionId, answerVerdict(ctx, v, units, labels, config.headers)),
      );
    };
  },
} satisfies PolicyDefinition<PlanLimitsConfig>;
