// Keeps gateways on the newest configuration: after a write (or when polling notices that
// another control-plane process changed the revision) it rebuilds the snapshot and hands it to
// every subscriber, with the delta from the previous one. Builds never overlap; changes that
// arrive during a build trigger one more. Recent deltas are kept, so a gateway that is a few
// versions behind catches up with one small delta instead of the whole snapshot.
import { EventEmitter, once } from 'node:events';
import { composeDeltas, diffSnapshots, type SnapshotDelta } from '../../gateway/snapshot/delta.ts';
import type { Snapshot } from '../../gateway/snapshot/types.ts';
import type { Db } from '../services/context.ts';
import { currentRevision } from '../services/write.ts';
import { type AuthorizationServerIdentity, buildSnapshot } from './build-snapshot.ts';

export interface DistributorOptions {
  /** How often to look for changes made by other processes sharing the database. */
  pollMs?: number;
  onError?: (error: unknown) => void;
  /** The authorization server whose tokens gateways check, once it runs. */
  authorizationServer?: () => AuthorizationServerIdentity | undefined;
}

/** What a gateway at some version needs to be current. */
export type Catchup = { kind: 'none' } | { kind: 'full'; snapshot: Snapshot } | SnapshotDelta;

/** Deltas kept for gateways that fall behind; older ones get the full snapshot. */
const historyLength = 64;

export class SnapshotDistributor extends EventEmitter<{ snapshot: [Snapshot, SnapshotDelta | undefined] }> {
  #db: Db;
  #latest: Snapshot | undefined;
  #history: SnapshotDelta[] = [];
  #building: Promise<void> | undefined;
  #again = false;
  #poll: NodeJS.Timeout | undefined;
  #onError: (error: unknown) => void;
  #authorizationServer: () => AuthorizationServerIdentity | undefined;
  #waiting = 0;
  readonly #closed = new AbortController();

  constructor(db: Db, options: DistributorOptions = {}) {
    super();
    this.#db = db;
    this.#onError = options.onError ?? (() => {});
    this.#authorizationServer = options.authorizationServer ?? (() => undefined);
    const pollMs = options.pollMs ?? 1000;
    if (pollMs > 0) {
      this.#poll = setInterval(() => void this.#checkRevision(), pollMs);
      this.#poll.unref();
    }
  }

  get latest(): Snapshot | undefined {
    return this.#latest;
  }

  /** Calls of waitForChange() waiting now: the long polls of data-plane nodes, for metrics. */
  get waiting(): number {
    return this.#waiting;
  }

  /** The delta from `version` to the latest snapshot, the whole snapshot, or nothing to do. */
  changesSince(version: number | undefined): Catchup {
    const latest = this.#latest;
    if (latest === undefined) return { kind: 'none' };
    if (version === latest.version) return { kind: 'none' };
    const start = this.#history.findIndex((d) => d.from === version);
    if (version === undefined || start === -1) return { kind: 'full', snapshot: latest };
    return composeDeltas(this.#history.slice(start));
  }

  /** Resolves with true when a snapshot other than `version` is out, false after `timeoutMs`. */
  async waitForChange(
    version: number | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (this.#latest !== undefined && this.#latest.version !== version) return true;
    if (this.#closed.signal.aborted) return false;
    const stops = [AbortSignal.timeout(timeoutMs), this.#closed.signal];
    this.#waiting++;
    try {
      await once(this, 'snapshot', { signal: AbortSignal.any(signal ? [signal, ...stops] : stops) });
      return true;
    } catch {
      return false;
    } finally {
      this.#waiting--;
    }
  }

  /** Rebuild soon; resolves once a snapshot at least as new as the call has been published. */
  changed(): Promise<void> {
    if (this.#building) {
      this.#again = true;
      return this.#building;
    }
    this.#building = this.#build().finally(() => {
      this.#building = undefined;
    });
    return this.#building;
  }

  /** Stops polling and answers every waitForChange() at once (false): closing waits for nobody. */
  close(): void {
    clearInterval(this.#poll);
    this.#closed.abort();
  }

  async #build(): Promise<void> {
    do {
      this.#again = false;
      try {
        const snapshot = await buildSnapshot(this.#db, this.#authorizationServer());
        const previous = this.#latest;
        // Same revision and same authorization server (it may start after the first build).
        if (
          previous !== undefined &&
          previous.version === snapshot.version &&
          JSON.stringify(previous.authorizationServer) === JSON.stringify(snapshot.authorizationServer)
        )
          continue;
        const delta = previous === undefined ? undefined : diffSnapshots(previous, snapshot);
        if (delta !== undefined) this.#history = [...this.#history, delta].slice(-historyLength);
        this.#latest = snapshot;
        this.emit('snapshot', snapshot, delta);
      } catch (error) {
        this.#onError(error);
      }
    } while (this.#again);
  }

  async #checkRevision(): Promise<void> {
    try {
      if (this.#building) return;
      const revision = await currentRevision(this.#db);
      if (revision !== this.#latest?.version) await this.changed();
    } catch (error) {
      this.#onError(error);
    }
  }
}
