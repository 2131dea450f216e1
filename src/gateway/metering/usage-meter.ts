// Metering: what the calls let through used, per subscription × metric × hour, handed over in
// batches (every second by default) to be stored by the control plane. Each batch has an id, so
// the control plane stores a batch sent twice (a retry after a lost answer) once.
//
// Hours are the grain because every period a plan sells (hour, day, month, year, eternity) is
// a whole number of hours; seconds and minutes are enforced by the counters, not stored.
import { randomUUID } from 'node:crypto';
import type { UsageRecorder } from '../../policies/counters.ts';
import { analyticsCollector } from '../analytics/collector.ts';
import type { AnalyticsPayload } from '../analytics/types.ts';
import { reportEvery } from '../report-every.ts';

const hourMs = 3_600_000;

export interface UsageEntry {
  subscriptionId: string;
  metric: string;
  /** Start of the hour, ISO 8601 (UTC). */
  hour: string;
  units: number;
}

export interface UsageBatch {
  /** Unique per batch; the control plane ignores a batch id it has stored before. */
  id: string;
  entries: UsageEntry[];
  /** Per-minute rollups and sampled request-log entries of the same interval. */
  analytics?: AnalyticsPayload;
}

export class UsageMeter implements UsageRecorder {
  /** `subscription \n metric` → units, for the hour in `#hour`. */
  #counts = new Map<string, number>();
  #hour = 0;
  /** Entries of hours that ended while counting, waiting for the next batch. */
  #closed: UsageEntry[] = [];
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  record(subscriptionId: string, metrics: readonly string[], units: number): void {
    if (units === 0) return;
    const hour = Math.floor(this.#now() / hourMs) * hourMs;
    if (hour !== this.#hour) this.#closeHour(hour);
    for (const metric of metrics) {
      const key = `${subscriptionId}\n${metric}`;
      this.#counts.set(key, (this.#counts.get(key) ?? 0) + units);
    }
  }

  /** What was recorded since the last call, as one batch; undefined when nothing was. */
  take(): UsageBatch | undefined {
    this.#closeHour(this.#hour);
    if (this.#closed.length === 0) return undefined;
    const entries = this.#closed;
    this.#closed = [];
    return { id: randomUUID(), entries };
  }

  #closeHour(next: number): void {
    if (this.#counts.size > 0) {
      const hour = new Date(this.#hour).toISOString();
      for (const [key, units] of this.#counts) {
        const cut = key.indexOf('\n');
        this.#closed.push({ subscriptionId: key.slice(0, cut), metric: key.slice(cut + 1), hour, units });
      }
      this.#counts = new Map();
    }
    this.#hour = next;
  }
}

/** The meter of this process: policies record into it, the process hands its batches over. */
export const usageMeter = new UsageMeter();

/** How often batches go out: TURNPIKE_USAGE_INTERVAL_MS, 1 s by default (what a crash may lose). */
export function usageIntervalMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.TURNPIKE_USAGE_INTERVAL_MS);
  return Number.isInteger(ms) && ms >= 50 ? ms : 1000;
}

/** Hands each batch to `report` every interval until stopped; stop() hands over what is left. */
export function reportUsage(report: (batch: UsageBatch) => void, everyMs = usageIntervalMs()): () => void {
  return reportEvery(() => withAnalytics(usageMeter.take(), analyticsCollector.take()), report, everyMs);
}

/** One batch for both: they share its delivery and its once-only storage. */
export function withAnalytics(
  usage: UsageBatch | undefined,
  analytics: AnalyticsPayload | undefined,
): UsageBatch | undefined {
  if (analytics === undefined) return usage;
  return { id: usage?.id ?? randomUUID(), entries: usage?.entries ?? [], analytics };
}
