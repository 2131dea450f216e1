// rate-limit: limits for APIs without plans (or on top of them), by client address, calling
// application or a header. Counted per API: the same limits on two APIs count separately, and
// all routes of one API that carry the same limits share their count.
import type { PolicyContext, PolicyResponse } from '../context.ts';
import type { LimitCheck, Verdict } from '../counters.ts';
import type { CreateOptions, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { answerVerdict, type LimitLabel, perPeriod } from '../limit-answers.ts';
import { type RateLimitConfig, rateLimitSchema } from './schema.ts';

export const rateLimit = {
  name: 'rate-limit',
  description:
    'Limits calls per period by client address, calling application or a header (429 over a limit).',
  phase: 'limit',
  priority: 910,
  schema: rateLimitSchema,
  create(config: RateLimitConfig, options: CreateOptions): PolicyHandler {
    const counters = options.counters;
    if (counters === undefined) return () => undefined;
    const header = config.header?.toLowerCase();
    // The limits are part of the key: two differently configured uses never share a count.
    const scope = config.limits.map((l) => `${l.max}/${l.period}`).join(',');
    const labels: LimitLabel[] = config.limits.map((l) => ({
      name: `${config.by}/${l.period}`,
      sentence: `The API allows ${l.max} calls ${perPeriod(l.period)} from each ${
        config.by === 'ip'
          ? 'client address'
          : config.by === 'consumer'
            ? 'application'
            : `${config.header} value`
      }`,
    }));

    function caller(ctx: PolicyContext): string {
      if (config.by === 'consumer' && ctx.consumer !== undefined) return `app ${ctx.consumer.applicationId}`;
      if (header !== undefined) {
        const value = ctx.header(header);
        if (value !== undefined && value !== '') return `header ${value}`;
      }
      return `ip ${ctx.clientIp()}`;
    }

    return function rateLimitHandler(ctx: PolicyContext) {
      const key = `rl\n${ctx.api.id}\n${scope}\n${caller(ctx)}`;
      const checks: LimitCheck[] = config.limits.map((l) => ({ key, period: l.period, max: l.max }));
      const answer = (verdict: Verdict): PolicyResponse | undefined =>
        answerVerdict(ctx, verdict, 1, labels, config.headers);
      const verdict = counters.consume(checks, 1);
      return verdict instanceof Promise ? verdict.then(answer) : answer(verdict);
    };
  },
} satisfies PolicyDefinition<RateLimitConfig>;
