// Keeps gateways on the newest configuration: after a write (or when polling notices that
// another control-plane process changed the revision) it rebuilds the snapshot and hands it to
// every subscriber. Builds never overlap; changes that arrive during a build trigger one more.
import { EventEmitter } from 'node:events';
import type { Snapshot } from '../../gateway/snapshot/types.ts';
import type { Db } from '../services/context.ts';
import { currentRevision } from '../services/write.ts';
import { buildSnapshot } from './build-snapshot.ts';

export interface DistributorOptions {
  /** How often to look for changes made by other processes sharing the database. */
  pollMs?: number;
  onError?: (error: unknown) => void;
}

export class SnapshotDistributor extends EventEmitter<{ snapshot: [Snapshot] }> {
  #db: Db;
  #latest: Snapshot | undefined;
  #building: Promise<void> | undefined;
  #again = false;
  #poll: NodeJS.Timeout | undefined;
  #onError: (error: unknown) => void;

  constructor(db: Db, options: DistributorOptions = {}) {
    super();
    this.#db = db;
    this.#onError = options.onError ?? (() => {});
    const pollMs = options.pollMs ?? 1000;
    if (pollMs > 0) {
      this.#poll = setInterval(() => void this.#checkRevision(), pollMs);
      this.#poll.unref();
    }
  }

  get latest(): Snapshot | undefined {
    return this.#latest;
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

  close(): void {
    clearInterval(this.#poll);
  }

  async #build(): Promise<void> {
    do {
      this.#again = false;
      try {
        const snapshot = await buildSnapshot(this.#db);
        this.#latest = snapshot;
        this.emit('snapshot', snapshot);
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
