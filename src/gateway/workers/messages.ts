// What the main process and its gateway workers say to each other over the cluster IPC channel.
import type { Problem } from '../../shared/errors.ts';
import type { CounterSeed, LimitCheck, LimitState } from '../limits/store.ts';
import type { UsageBatch } from '../metering/usage-meter.ts';
import type { SnapshotDelta } from '../snapshot/delta.ts';
import type { Snapshot } from '../snapshot/types.ts';

export type ToWorker =
  | { t: 'snapshot'; snapshot: Snapshot }
  | { t: 'delta'; delta: SnapshotDelta }
  | { t: 'metrics'; id: number }
  /** Usage counted before the worker started, for the counters it holds itself. */
  | { t: 'seed'; seeds: readonly CounterSeed[] }
  /** What the worker's own counters hold for these limits; answered with `peeked`. */
  | { t: 'peek'; id: number; checks: readonly LimitCheck[] }
  | { t: 'reopen-logs' }
  | { t: 'drain' };

export type FromWorker =
  | { t: 'listening'; http: number; https: number | undefined }
  /** `listener`: which could not listen, "gateway" (plain HTTP) or "https". */
  | { t: 'listen-failed'; code: string | undefined; message: string; listener: string | undefined }
  | { t: 'loaded'; version: number }
  /** The worker could not use what it was sent: after a delta it needs the whole snapshot. */
  | { t: 'refused'; sent: 'snapshot' | 'delta'; version: number; problem: Problem }
  | { t: 'metrics'; id: number; json: unknown }
  | { t: 'peeked'; id: number; limits: readonly LimitState[] | undefined }
  /** Ids of the API keys the worker accepted since its last report. */
  | { t: 'key-usage'; ids: string[] }
  /** What the worker's calls used since its last report. */
  | { t: 'usage'; batch: UsageBatch };

export function isFromWorker(message: unknown): message is FromWorker {
  return (
    typeof message === 'object' && message !== null && typeof (message as { t?: unknown }).t === 'string'
  );
}
