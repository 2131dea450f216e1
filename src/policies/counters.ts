// Counters for rate limits and quotas. A limit allows `max` units per fixed window of a period;
// windows are aligned (a minute starts at :00, a day at 00:00 UTC, a month on the 1st, a year on
// 1 January; an eternity never ends). One call checks and counts several limits at once, all or
// nothing: a request refused by its per-minute limit does not use up its month.
//
// Two stores implement this in src/gateway/limits: in-process (one gateway process) and Redis
// (several processes or nodes share one count; atomic Lua, time from Redis). Policies see only
// this interface.

export const periods = ['second', 'minute', 'hour', 'day', 'month', 'year', 'eternity'] as const;
export type Period = (typeof periods)[number];

export interface LimitCheck {
  /** What is counted, e.g. `plan:pln_…:sub_…:hits`; the store adds the period and window. */
  readonly key: string;
  readonly period: Period;
  /** Units allowed per window; 0 allows nothing. */
  readonly max: number;
}

export interface LimitState {
  readonly key: string;
  readonly period: Period;
  readonly max: number;
  /** Units counted in the current window, this call's included when it was allowed. */
  readonly used: number;
  /** max - used, never below 0. */
  readonly remaining: number;
  /** Seconds until the window ends (rounded up, at least 1); Infinity for eternity. */
  readonly resetSeconds: number;
}

export interface Verdict {
  /** Every limit had room for the units: they were counted in all of them. */
  readonly allowed: boolean;
  /** One state per check, in the order given. */
  readonly limits: readonly LimitState[];
  /** The store could not be asked (Redis down or slow): `allowed` is its fail-open/closed setting. */
  readonly degraded?: boolean;
}

export interface CounterStore {
  /**
   * Atomically: when every check has room for `units` in its current window, counts them in all
   * and allows; otherwise counts nothing and refuses. `units` 0 only reads.
   */
  consume(checks: readonly LimitCheck[], units: number): Verdict | Promise<Verdict>;
  /**
   * Adds units counted before this store existed (durable usage, read at start) to the current
   * windows. Only stores that forget on restart have it: Redis keeps its own counts.
   */
  seed?(seeds: readonly CounterSeed[]): void;
  close(): Promise<void>;
}

/** Units already used in a key's current window of a period. */
export interface CounterSeed {
  readonly key: string;
  readonly period: Period;
  readonly used: number;
}

/** The counter key of a subscription's limit on a metric (what plan-limits counts under). */
export function subscriptionCounterKey(subscriptionId: string, metric: string): string {
  return `plan\n${subscriptionId}\n${metric}`;
}

/** What a plan says to the plan-limits policy (the snapshot's plans have this shape). */
export interface PlanRules {
  readonly id: string;
  readonly limits: readonly PlanLimit[];
  /** Metrics the plan does not allow at all; a disabled parent disables its children. */
  readonly disabledMetrics: readonly string[];
}

export interface PlanLimit {
  readonly metric: string;
  readonly period: Period;
  readonly max: number;
  /** Counted per subscription, or per end user within it (a token's `sub`). */
  readonly per: 'subscription' | 'end-user';
}

/** Where calls that were let through are metered (durable usage per subscription and metric). */
export interface UsageRecorder {
  /** Adds `units` to each metric (a route's metric and its parents) of the subscription. */
  record(subscriptionId: string, metrics: readonly string[], units: number): void;
}
