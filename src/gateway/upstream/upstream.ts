// An upstream as the hot path reads it, compiled from one snapshot: its balancer over the targets,
// and its settings as plain fields. Health and retry budgets live in the pools' registries and
// outlive the snapshot; everything here is replaced on reload.
import type { PassiveHealthCheck, Retries, UpstreamSettings } from '../../shared/upstream-settings.ts';
import { nextChanceAt } from '../health/circuit-breaker.ts';
import { type Balancer, createBalancer, type Target } from './balancer.ts';
import type { RetryBudget } from './retry-budget.ts';

export class Upstream {
  readonly id: string;
  readonly name: string;
  readonly balancer: Balancer;
  /** The circuit breaker's settings; null when it is off. */
  readonly passive: PassiveHealthCheck | null;
  /** Milliseconds to the response head (undici's headersTimeout). */
  readonly responseMs: number;
  /** Milliseconds between two chunks of the response body (undici's bodyTimeout). */
  readonly idleMs: number;
  readonly retries: Retries;
  readonly budget: RetryBudget;

  /** `targets` must not be empty. */
  constructor(
    id: string,
    name: string,
    settings: UpstreamSettings,
    targets: readonly Target[],
    budget: RetryBudget,
  ) {
    this.id = id;
    this.name = name;
    this.balancer = createBalancer(settings.balancing, targets);
    this.passive = settings.healthChecks.passive;
    this.responseMs = settings.timeouts.responseMs;
    this.idleMs = settings.timeouts.idleMs;
    this.retries = settings.retries;
    this.budget = budget;
  }

  get targets(): readonly Target[] {
    return this.balancer.targets;
  }

  /** For Retry-After when no target may be tried: whole seconds until the first one may be. */
  retryAfterSeconds(now: number): number {
    let earliest = Number.POSITIVE_INFINITY;
    for (const target of this.targets) earliest = Math.min(earliest, nextChanceAt(target.health, now));
    return Math.max(1, Math.ceil((earliest - now) / 1000));
  }
}
