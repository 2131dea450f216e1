// What limit policies answer: the IETF RateLimit-Policy and RateLimit header fields
// (draft-ietf-httpapi-ratelimit-headers) on allowed responses, for the limit closest to running
// out, and a 429 with Retry-After naming the limit that refused.
import { deny, type PolicyContext, type PolicyResponse } from './context.ts';
import type { LimitState, Verdict } from './counters.ts';

const windowSeconds: Record<string, number> = {
  second: 1,
  minute: 60,
  hour: 3600,
  day: 86_400,
  month: 2_592_000,
  year: 31_536_000,
};

// The counter store did not answer and is set to fail closed: nothing says a limit is reached.
const limitsUnavailable = deny(
  'limits-unavailable',
  'The limits of this call could not be checked, and the gateway is set to refuse calls then.',
  { 'retry-after': '1' },
);

/** The limit with the fewest units left (the sooner reset on a tie). */
export function closestToRunningOut(limits: readonly LimitState[]): LimitState | undefined {
  let closest: LimitState | undefined;
  for (const limit of limits) {
    if (
      closest === undefined ||
      limit.remaining < closest.remaining ||
      (limit.remaining === closest.remaining && limit.resetSeconds < closest.resetSeconds)
    )
      closest = limit;
  }
  return closest;
}

/** `name` is what the policy calls the limit, e.g. `hits/minute`. */
export function limitHeaders(name: string, limit: LimitState): Record<string, string> {
  return { 'ratelimit-policy': policyField(name, limit), ratelimit: limitField(name, limit) };
}

// An eternity has no window and never resets: those parameters are left out.
function policyField(name: string, limit: LimitState): string {
  const window = windowSeconds[limit.period];
  return `"${name}";q=${limit.max}${window === undefined ? '' : `;w=${window}`}`;
}

function limitField(name: string, limit: LimitState): string {
  const eternal = limit.period === 'eternity';
  return `"${name}";r=${limit.remaining}${eternal ? '' : `;t=${limit.resetSeconds}`}`;
}

/** How a limit is named in the headers (`hits/minute`) and described in a refusal. */
export interface LimitLabel {
  readonly name: string;
  /** A sentence without its full stop: "The plan allows 100 hits per minute". */
  readonly sentence: string;
}

/** "per minute", or "in total" for an eternity. */
export function perPeriod(period: string): string {
  return period === 'eternity' ? 'in total' : `per ${period}`;
}

/**
 * Turns a verdict into the policy's answer: a 429 for a refusal, else the headers of the limit
 * closest to running out (when `headers`). `labels` go with the verdict's limits, in order.
 */
export function answerVerdict(
  ctx: PolicyContext,
  verdict: Verdict,
  units: number,
  labels: readonly LimitLabel[],
  headers: boolean,
): PolicyResponse | undefined {
  if (!verdict.allowed && verdict.degraded) return limitsUnavailable;
  if (!verdict.allowed) {
    const index = Math.max(
      verdict.limits.findIndex((limit) => limit.remaining < units),
      0,
    );
    const refusing = verdict.limits[index];
    const label = labels[index];
    if (refusing === undefined || label === undefined)
      return deny('rate-limited', 'The limit is reached (the counter store could not be asked).');
    const wait = Number.isFinite(refusing.resetSeconds) ? refusing.resetSeconds : undefined;
    const detail = `${label.sentence}${wait === undefined ? '.' : `; try again in ${wait} s.`}`;
    return deny('rate-limited', detail, {
      ...(wait !== undefined && { 'retry-after': String(wait) }),
      ...(headers && limitHeaders(label.name, refusing)),
    });
  }
  if (headers) {
    const closest = closestToRunningOut(verdict.limits);
    const label = closest && labels[verdict.limits.indexOf(closest)];
    if (closest !== undefined && label !== undefined) {
      ctx.setResponseHeader('ratelimit-policy', policyField(label.name, closest));
      ctx.setResponseHeader('ratelimit', limitField(label.name, closest));
    }
  }
  return undefined;
}
