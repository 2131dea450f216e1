// The gateways of a node, whether they run in worker processes or in the main process: the main
// process hands them snapshots and asks whether they are ready; nothing else crosses over.
import type { Listener } from '../../shared/config.ts';
import type { GatewaySettings } from '../../shared/gateway-settings.ts';
import type { CounterSeed, LimitCheck, LimitState } from '../limits/store.ts';
import type { UsageBatch } from '../metering/usage-meter.ts';
import type { SnapshotDelta } from '../snapshot/delta.ts';
import type { Snapshot } from '../snapshot/types.ts';
import type { TracingSettings } from '../tracing/settings.ts';

export interface Fleet {
  /** A new snapshot, and its delta from the previous one when there is one. */
  publish(snapshot: Snapshot, delta: SnapshotDelta | undefined): void;
  /** True when a gateway serves a snapshot (a worker still loading takes no connections). */
  readonly ready: boolean;
  /** The version the gateways that serve serve (the oldest, while they catch up); undefined before any. */
  readonly version: number | undefined;
  /** Worker processes serving a snapshot, of those asked for; absent with --workers 0. */
  readonly workers?: { serving: number; total: number };
  /** Set by stop(). */
  readonly stopping: boolean;
  /** Ports the gateways listen on, known once the first snapshot is served; rejects when they cannot listen. */
  listening(): Promise<{ http: number; https: number | undefined }>;
  /** Resolves once every gateway that serves serves `version` or newer. */
  whenServing(version: number): Promise<void>;
  /** Prometheus metrics of all gateways together. */
  metrics(): Promise<string>;
  /** Calls `listener` with batches of ids of the API keys the gateways accepted, for "last used". */
  onKeyUse(listener: (ids: string[]) => void): void;
  /** Calls `listener` with each batch of metered usage (every second; once more when stopping). */
  onUsage(listener: (batch: UsageBatch) => void): void;
  /**
   * Usage counted before the node started, for the limits its own processes count (no-op with
   * Redis). Called before the first snapshot, so no call is counted twice.
   */
  seedCounters(seeds: readonly CounterSeed[]): void;
  /**
   * What the node's own counters hold now for these limits (nothing is counted); undefined when
   * they cannot tell (Redis, which the caller reads itself, or a worker that does not answer).
   */
  peekCounters(checks: readonly LimitCheck[]): Promise<readonly LimitState[] | undefined>;
  /** Reopens access log files, after log rotation (SIGHUP). */
  reopenLogs(): void;
  /** Stops accepting, lets requests in flight finish (up to the drain timeout), and stops. */
  stop(): Promise<void>;
}

/** What a gateway process needs to serve: where, and the node's settings. */
export interface FleetSettings {
  gateway: Listener;
  node: GatewaySettings;
  logLevel: string;
  /** Where spans go; undefined: no tracing. */
  tracing?: TracingSettings | undefined;
}
