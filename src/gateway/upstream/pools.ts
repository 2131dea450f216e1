// What upstreams keep across snapshots: connection pools, target health and retry budgets.
// One pool per target origin and connect timeout (the one setting fixed per pool; response and
// idle timeouts go with each request): the gateway's own HTTP/1.1 pool for http: origins
// (h1/pool.ts), undici's Pool for https:. A target that is unchanged keeps its warm
// connections, its health and its probe schedule across a reload; a pool no snapshot uses is
// closed gracefully (requests already sent on it finish first).
import { Pool } from 'undici';
import { HealthRegistry, type HealthUse, type TargetHealthReading } from '../health/registry.ts';
import type { UpstreamDispatcher } from './h1/dispatch.ts';
import { H1Pool } from './h1/pool.ts';
import { RetryBudget } from './retry-budget.ts';

export interface UpstreamTimeouts {
  /** Milliseconds to establish a connection (TCP and TLS). */
  connect: number;
  /** Milliseconds from sending the request until the response headers are in. */
  headers: number;
  /** Milliseconds allowed between two chunks of the response body. */
  body: number;
}

// Fallbacks for pools asked for without an upstream's own timeouts; snapshots carry their own.
export const defaultTimeouts: UpstreamTimeouts = { connect: 5_000, headers: 60_000, body: 60_000 };

/**
 * The target origins a compiled snapshot uses (the set's members), with the pools, health records
 * and retry budgets behind them, so `UpstreamPools.retainOnly` keeps exactly those.
 */
export class UpstreamUsage extends Set<string> {
  readonly pools = new Set<string>();
  readonly health = new Map<string, HealthUse>();
  readonly upstreams = new Set<string>();
}

interface PoolEntry {
  readonly origin: string;
  readonly pool: UpstreamDispatcher;
}

// Below the 5 s idle timeout of Node and many servers, so we never reuse a socket the upstream is
// about to close.
const keepAliveMs = 4_000;

export class UpstreamPools {
  readonly #pools = new Map<string, PoolEntry>();
  readonly #budgets = new Map<string, RetryBudget>();
  readonly #defaults: UpstreamTimeouts;
  readonly health = new HealthRegistry();

  constructor(defaults: UpstreamTimeouts) {
    this.#defaults = defaults;
  }

  static key(origin: string, connectMs: number): string {
    return `${origin} ${connectMs}`;
  }

  /** The pool for an origin such as `http://10.0.0.5:8080` and a connect timeout, created on first use. */
  get(origin: string, connectMs = this.#defaults.connect): UpstreamDispatcher {
    const key = UpstreamPools.key(origin, connectMs);
    let entry = this.#pools.get(key);
    if (entry === undefined) {
      const pool = origin.startsWith('http:')
        ? new H1Pool(origin, { connectTimeoutMs: connectMs, keepAliveMs })
        : (new Pool(origin, {
            connectTimeout: connectMs,
            headersTimeout: this.#defaults.headers,
            bodyTimeout: this.#defaults.body,
            keepAliveTimeout: keepAliveMs,
          }) as unknown as UpstreamDispatcher);
      entry = { origin, pool };
      this.#pools.set(key, entry);
    }
    return entry.pool;
  }

  /** The retry budget of an upstream, kept across reloads. */
  budget(upstreamId: string): RetryBudget {
    let budget = this.#budgets.get(upstreamId);
    if (budget === undefined) {
      budget = new RetryBudget();
      this.#budgets.set(upstreamId, budget);
    }
    return budget;
  }

  /**
   * Keeps what the served snapshot uses and lets go of the rest. `origins` is the snapshot's
   * UpstreamUsage; a plain set keeps the pools of those origins and nothing else.
   */
  retainOnly(origins: ReadonlySet<string>): void {
    const usage = origins instanceof UpstreamUsage ? origins : undefined;
    // Probes move to their new pools before old pools close.
    this.health.retain(usage?.health ?? new Map());
    for (const id of this.#budgets.keys()) if (!usage?.upstreams.has(id)) this.#budgets.delete(id);
    for (const [key, entry] of this.#pools) {
      if (usage === undefined ? origins.has(entry.origin) : usage.pools.has(key)) continue;
      this.#pools.delete(key);
      entry.pool.close().catch(() => {}); // closing never matters more than serving
    }
  }

  /** Every target's health, per upstream, for metrics. */
  targetHealth(): TargetHealthReading[] {
    return this.health.list();
  }

  get origins(): string[] {
    return [...new Set([...this.#pools.values()].map((entry) => entry.origin))];
  }

  async close(): Promise<void> {
    this.health.close();
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((entry) => entry.pool.close()));
  }
}
