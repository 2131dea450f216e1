// A data-plane node's link to its control plane: long polls /admin/v1/sync with the version it
// serves, checks what comes back, hands it on and keeps it on disk. When the control plane is
// unreachable it keeps trying, with a growing pause, while the node serves what it has.

import type { Logger } from 'pino';
import { ok, type Result } from '../../shared/errors.ts';
import type { CounterSeed } from '../limits/store.ts';
import { BatchRefused } from '../metering/outbox.ts';
import type { UsageBatch } from '../metering/usage-meter.ts';
import { validateDelta, validateSnapshot } from '../snapshot/compile.ts';
import { applyDelta, type SnapshotDelta } from '../snapshot/delta.ts';
import type { Snapshot } from '../snapshot/types.ts';
import { writeSnapshotFile } from './cache.ts';

export interface LinkOptions {
  /** Base URL of the control plane's admin API, such as http://cp.internal:8001. */
  controlPlane: string;
  token: string;
  /** Where the last good snapshot is kept. */
  cacheFile: string;
  logger: Logger;
  /** Receives every accepted snapshot, with the delta that led to it when there was one. */
  onSnapshot(snapshot: Snapshot, delta: SnapshotDelta | undefined): void;
  /** Longest wait of one poll, ms. */
  waitMs?: number;
}

type Answer = { kind: 'full'; snapshot: unknown } | SnapshotDelta;

const pauses = [500, 1_000, 2_000, 5_000];
/** After refusing an answer: the control plane would send the same one straight back. */
const refusedPauseMs = 5_000;
/**
 * A control plane offering an older version than the node serves is usually one behind its
 * peers on the same database, and catches up within a second; one that keeps offering it for
 * this long went back for real (a restored database), and the node follows it.
 */
const olderAcceptedAfterMs = 30_000;

export class ControlPlaneLink {
  readonly #options: LinkOptions;
  #current: Snapshot | undefined;
  #stopped = new AbortController();
  #failures = 0;
  #connected = false;
  /** What the last failure said, so each new kind of failure is logged once, not every retry. */
  #lastFailure = '';
  /** Since when the control plane has offered only versions older than the one served. */
  #olderSince: number | undefined;
  /**
   * Started from the copy on disk: the first answer is asked for whole, even at the same
   * version. The copy may come from an older release, which dropped fields it did not know
   * (policies, credentials…), and the control plane would otherwise answer "nothing new".
   */
  #fromDisk: boolean;

  constructor(options: LinkOptions, start: Snapshot | undefined) {
    this.#options = options;
    this.#current = start;
    this.#fromDisk = start !== undefined;
  }

  /** True after the last exchange with the control plane succeeded. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Polls until stop(); never throws. */
  async run(): Promise<void> {
    const signal = this.#stopped.signal;
    while (!signal.aborted) {
      try {
        const answer = await this.#poll(signal);
        this.#failures = 0;
        this.#setConnected(true);
        if (answer !== undefined && !this.#accept(answer)) {
          await this.#pause(refusedPauseMs);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.#setConnected(false, error);
        const pause = pauses[Math.min(this.#failures, pauses.length - 1)] ?? 5_000;
        this.#failures++;
        await this.#pause(pause);
      }
    }
  }

  stop(): void {
    this.#stopped.abort();
  }

  /** Waits `ms`, or less when stop() comes first (so run() ends promptly). */
  #pause(ms: number): Promise<void> {
    const signal = this.#stopped.signal;
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    });
  }

  /**
   * Tells the control plane which keys this node accepted, for their "last used" time. A batch
   * that cannot be sent is dropped: the next use of the key is reported again.
   */
  async reportKeyUse(ids: string[]): Promise<void> {
    const response = await fetch(
      `${this.#options.controlPlane.replace(/\/+$/, '')}/admin/v1/sync/key-usage`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${this.#options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ids }),
        signal: AbortSignal.timeout(10_000),
      },
    );
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the control plane answered ${response.status}`);
  }

  /** What the control plane has stored of the current windows' usage, for in-process counters. */
  async counterSeeds(timeoutMs: number): Promise<CounterSeed[]> {
    const response = await fetch(
      `${this.#options.controlPlane.replace(/\/+$/, '')}/admin/v1/sync/counter-seeds`,
      { headers: { authorization: `Bearer ${this.#options.token}` }, signal: AbortSignal.timeout(timeoutMs) },
    );
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`the control plane answered ${response.status}`);
    }
    return ((await response.json()) as { seeds: CounterSeed[] }).seeds;
  }

  /** Hands a usage batch to the control plane; throws unless it was stored (or known already). */
  async reportUsage(batch: UsageBatch): Promise<void> {
    const response = await fetch(`${this.#options.controlPlane.replace(/\/+$/, '')}/admin/v1/sync/usage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(batch),
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.status === 400 || response.status === 413)
      throw new BatchRefused(`the control plane refused usage batch ${batch.id} (${response.status})`);
    if (!response.ok) throw new Error(`the control plane answered ${response.status} to a usage batch`);
  }

  async #poll(signal: AbortSignal): Promise<Answer | undefined> {
    const query = new URLSearchParams({ wait: String(this.#options.waitMs ?? 30_000) });
    if (this.#current !== undefined && !this.#fromDisk) query.set('version', String(this.#current.version));
    const response = await fetch(`${this.#options.controlPlane.replace(/\/+$/, '')}/admin/v1/sync?${query}`, {
      headers: { authorization: `Bearer ${this.#options.token}` },
      signal,
    });
    if (response.status === 204) return undefined;
    if (response.status === 401 || response.status === 403) {
      throw new Error(`the control plane refused the token (${response.status}); check --token`);
    }
    if (!response.ok) {
      const detail = await response.text().catch(() => '');
      throw new Error(`the control plane answered ${response.status}: ${detail.slice(0, 300)}`);
    }
    return (await response.json()) as Answer;
  }

  /** False when the answer was refused (then the next poll waits a while). */
  #accept(answer: Answer): boolean {
    // Checked here, in the node's main process, so the workers can trust what they are sent.
    // A delta is checked alone: its items have the shape of what they replace.
    let next: Result<Snapshot>;
    let delta: SnapshotDelta | undefined;
    if (answer.kind === 'full') next = validateSnapshot(answer.snapshot);
    else if (this.#current !== undefined && answer.from === this.#current.version) {
      const checked = validateDelta(answer);
      if (checked.ok) delta = checked.value;
      next = checked.ok ? ok(applyDelta(this.#current, checked.value)) : checked;
    } else {
      // A delta for a version this node does not have: ask again from nothing.
      this.#current = undefined;
      return true;
    }
    if (!next.ok) {
      this.#options.logger.error(
        { problem: next.problem },
        'refused a configuration snapshot from the control plane',
      );
      return false;
    }
    if (this.#isStale(next.value.version)) return false;
    this.#fromDisk = false;
    this.#current = next.value;
    this.#options.onSnapshot(next.value, delta);
    try {
      writeSnapshotFile(this.#options.cacheFile, next.value);
    } catch (error) {
      this.#options.logger.warn({ err: error }, 'could not keep the configuration on disk');
    }
    return true;
  }

  /** An older version than the one served is not taken, unless it is all there is for a while. */
  #isStale(version: number): boolean {
    const served = this.#current?.version;
    if (served === undefined || version >= served) {
      this.#olderSince = undefined;
      return false;
    }
    const now = performance.now();
    if (this.#olderSince === undefined) {
      this.#olderSince = now;
      this.#options.logger.warn(
        { served, offered: version },
        'the control plane offers an older configuration than this node serves; waiting for it to catch up',
      );
    }
    if (now - this.#olderSince < olderAcceptedAfterMs) return true;
    this.#olderSince = undefined;
    return false;
  }

  #setConnected(connected: boolean, error?: unknown): void {
    const { logger, controlPlane } = this.#options;
    if (connected) {
      if (!this.#connected) logger.info({ controlPlane }, 'connected to the control plane');
      this.#connected = true;
      this.#lastFailure = '';
      return;
    }
    this.#connected = false;
    const cause = error instanceof Error ? (error.cause as Error | undefined) : undefined;
    const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
    if (reason === this.#lastFailure) return;
    this.#lastFailure = reason;
    logger.warn(
      { controlPlane, reason },
      `no configuration from the control plane (${reason}); serving what this node has`,
    );
  }
}
