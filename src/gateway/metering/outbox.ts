// Usage batches on their way to storage. A batch that cannot be delivered (the control plane
// or its database is down) stays here and is retried, in order, with its id, so storing it
// twice counts once; on a clean stop what is still undelivered is written to a spool file and
// sent at the next start. Only a crash loses what was metered since the last delivery attempt.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sumRollups } from '../analytics/collector.ts';
import type { UsageBatch, UsageEntry } from './usage-meter.ts';

export interface OutboxOptions {
  /** Where undelivered batches wait between a stop and the next start. */
  spoolFile?: string | undefined;
  /** How long to wait before retrying after a failed delivery. Default 1 s. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

/** Batches held at most; older ones are merged into one so memory stays bounded. */
const maxPending = 3600;
/** Batches (a minute's worth) whose request-log samples are kept while they wait. */
const samplesKeptFor = 60;
/** A merged batch stays well under what the control plane takes (100,000 entries). */
const maxMergedEntries = 50_000;

/** Thrown by a delivery that can never succeed (the batch was refused as malformed). */
export class BatchRefused extends Error {
  override readonly name = 'BatchRefused';
}

export class UsageOutbox {
  readonly #deliver: (batch: UsageBatch) => Promise<unknown>;
  readonly #options: OutboxOptions;
  #pending: UsageBatch[] = [];
  #sending: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #spooled = false;

  constructor(deliver: (batch: UsageBatch) => Promise<unknown>, options: OutboxOptions = {}) {
    this.#deliver = deliver;
    this.#options = options;
    const spool = options.spoolFile;
    if (spool !== undefined && existsSync(spool)) {
      try {
        this.#pending = JSON.parse(readFileSync(spool, 'utf8')) as UsageBatch[];
      } catch (error) {
        options.onError?.(error);
      }
      // The file stays until its batches are delivered: a crash before that sends them again
      // (the control plane knows their ids), rather than losing them.
      this.#spooled = true;
      void this.flush();
    }
  }

  get pending(): number {
    return this.#pending.length;
  }

  add(batch: UsageBatch): void {
    this.#pending.push(batch);
    this.#forgetOldSamples();
    if (this.#pending.length > maxPending) this.#mergeOldest();
    void this.flush();
  }

  /** Delivers what is pending, oldest first, until one fails (then retries later). */
  flush(): Promise<void> {
    this.#sending ??= this.#send().finally(() => {
      this.#sending = undefined;
    });
    return this.#sending;
  }

  /** One last delivery attempt; what is still undelivered goes to the spool file. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    await this.flush();
    const spool = this.#options.spoolFile;
    if (this.#pending.length === 0 || spool === undefined) return;
    // Written whole, then renamed: a crash mid-write leaves the old spool or none, never half.
    mkdirSync(dirname(spool), { recursive: true });
    writeFileSync(`${spool}.tmp`, JSON.stringify(this.#pending), { mode: 0o600 });
    renameSync(`${spool}.tmp`, spool);
  }

  async #send(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending[0] as UsageBatch;
      try {
        await this.#deliver(batch);
      } catch (error) {
        this.#options.onError?.(error);
        // Sending it again would be refused again: set it aside (the error says why) and go on.
        if (error instanceof BatchRefused || error instanceof RangeError) {
          if (this.#pending[0] === batch) this.#pending.shift();
          continue;
        }
        if (!this.#closed) {
          clearTimeout(this.#retry);
          this.#retry = setTimeout(() => void this.flush(), this.#options.retryMs ?? 1000).unref();
        }
        return;
      }
      // Delivered (or known already): the batch may go.
      if (this.#pending[0] === batch) this.#pending.shift();
    }
    if (this.#spooled && this.#options.spoolFile !== undefined) {
      rmSync(this.#options.spoolFile, { force: true });
      this.#spooled = false;
    }
  }

  /**
   * The oldest two adjacent batches that fit together become one with a new id, their counts
   * added up. Only batches never delivered are merged (the head may be in flight: it is left
   * alone), so no unit is counted twice or lost.
   */
  #mergeOldest(): void {
    for (let i = 1; i + 1 < this.#pending.length; i++) {
      const first = this.#pending[i] as UsageBatch;
      const second = this.#pending[i + 1] as UsageBatch;
      if (size(first) + size(second) > maxMergedEntries) continue;
      this.#pending.splice(i, 2, mergeBatches(first, second));
      return;
    }
  }

  /** Request-log samples are kept for the newest batches only: an outage costs samples, not memory. */
  #forgetOldSamples(): void {
    const aged = this.#pending.length - 1 - samplesKeptFor;
    const batch = this.#pending[aged];
    // Never the head, which may be in flight.
    if (aged < 1 || batch?.analytics === undefined || batch.analytics.requests.length === 0) return;
    batch.analytics = { rollups: batch.analytics.rollups, requests: [] };
  }
}

/** Two batches as one: usage and rollups with the same key added up, no request-log samples. */
function mergeBatches(first: UsageBatch, second: UsageBatch): UsageBatch {
  const merged: UsageBatch = {
    id: crypto.randomUUID(),
    entries: sumUsage([...first.entries, ...second.entries]),
  };
  if (first.analytics !== undefined || second.analytics !== undefined)
    merged.analytics = {
      rollups: sumRollups([...(first.analytics?.rollups ?? []), ...(second.analytics?.rollups ?? [])]),
      requests: [],
    };
  return merged;
}

function sumUsage(entries: UsageEntry[]): UsageEntry[] {
  const sums = new Map<string, UsageEntry>();
  for (const entry of entries) {
    const key = `${entry.subscriptionId}\n${entry.metric}\n${entry.hour}`;
    const seen = sums.get(key);
    if (seen === undefined) sums.set(key, { ...entry });
    else seen.units += entry.units;
  }
  return [...sums.values()];
}

const size = (batch: UsageBatch) => batch.entries.length + (batch.analytics?.rollups.length ?? 0);
