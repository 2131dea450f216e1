// Every target's health, per upstream and target origin, kept across snapshot reloads: a target
// that stays keeps its state and its probe schedule. Compiling a snapshot only looks records up
// (or creates them); `retain`, called once the snapshot being served is known, applies its
// settings, starts and stops probes, and forgets targets that are gone. So a refused snapshot
// never changes what the served one sees.

import type { ActiveHealthCheck } from '../../shared/upstream-settings.ts';
import type { UpstreamDispatcher } from '../upstream/h1/dispatch.ts';
import { ActiveChecker } from './active-checker.ts';
import { resetBreaker } from './circuit-breaker.ts';
import { TargetHealth } from './target-health.ts';

/** How a snapshot uses one health record. */
export interface HealthUse {
  upstreamId: string;
  upstreamName: string;
  /** The target's URL (origin and path prefix). */
  target: string;
  active: ActiveHealthCheck | null;
  /** Whether the upstream has a circuit breaker. */
  passive: boolean;
  /** The pool probes go through, and the Host they send. */
  pool: UpstreamDispatcher;
  host: string;
}

/** One target's health as metrics read it. */
export interface TargetHealthReading {
  upstreamId: string;
  upstream: string;
  target: string;
  healthy: boolean;
}

export function healthKey(upstreamId: string, origin: string): string {
  return `${upstreamId} ${origin}`;
}

export class HealthRegistry {
  readonly #records = new Map<string, TargetHealth>();
  readonly #checkers = new Map<string, ActiveChecker>();

  /** The record for a target origin of an upstream, created healthy on first use. */
  adopt(upstreamId: string, upstreamName: string, origin: string, target: string): TargetHealth {
    const key = healthKey(upstreamId, origin);
    let record = this.#records.get(key);
    if (record === undefined) {
      record = new TargetHealth(key, upstreamId, upstreamName, target);
      this.#records.set(key, record);
    }
    return record;
  }

  /** Keeps and configures the records in `uses` (by key); drops the others and their probes. */
  retain(uses: ReadonlyMap<string, HealthUse>): void {
    for (const key of this.#records.keys()) {
      if (uses.has(key)) continue;
      this.#checkers.get(key)?.stop();
      this.#checkers.delete(key);
      this.#records.delete(key);
    }
    for (const [key, use] of uses) {
      const record = this.#records.get(key);
      if (record === undefined) continue;
      record.upstreamName = use.upstreamName;
      record.target = use.target;
      if (!use.passive) resetBreaker(record);
      const checker = this.#checkers.get(key);
      if (use.active === null) {
        if (checker === undefined) continue;
        // No probes judge the target any more, so they no longer keep it out.
        checker.stop();
        this.#checkers.delete(key);
        record.activeHealthy = true;
        record.update('active');
      } else if (checker !== undefined) checker.configure(use.active, use.pool, use.host);
      else this.#checkers.set(key, new ActiveChecker(record, use.active, use.pool, use.host));
    }
  }

  /** Every retained target's health, for metrics. */
  list(): TargetHealthReading[] {
    const out: TargetHealthReading[] = [];
    for (const record of this.#records.values())
      out.push({
        upstreamId: record.upstreamId,
        upstream: record.upstreamName,
        target: record.target,
        healthy: !record.out,
      });
    return out;
  }

  /** Stops every probe. */
  close(): void {
    for (const checker of this.#checkers.values()) checker.stop();
    this.#checkers.clear();
    this.#records.clear();
  }
}
