// The gateway in the main process itself (--workers 0): no worker processes, the same Fleet
// interface, so the rest of the node does not care which it runs.
import type { Logger } from 'pino';
import { reportKeyUses } from '../key-usage.ts';
import type { CounterSeed, LimitCheck, LimitState } from '../limits/store.ts';
import { reportUsage, type UsageBatch } from '../metering/usage-meter.ts';
import { mergeMetrics } from '../metrics/merge.ts';
import type { SnapshotDelta } from '../snapshot/delta.ts';
import type { Snapshot } from '../snapshot/types.ts';
import type { Fleet, FleetSettings } from './fleet.ts';
import { createServingGateway, type ServingGateway } from './serve.ts';

export class InProcessFleet implements Fleet {
  readonly #serving: ServingGateway;
  readonly #logger: Logger;
  #ports: Promise<{ http: number; https: number | undefined }> | undefined;
  #stopping = false;
  #stopReports: (() => void) | undefined;
  #stopUsage: (() => void) | undefined;

  static async create(settings: FleetSettings, logger: Logger): Promise<InProcessFleet> {
    return new InProcessFleet(await createServingGateway(settings, logger), logger);
  }

  private constructor(serving: ServingGateway, logger: Logger) {
    this.#serving = serving;
    this.#logger = logger;
  }

  get ready(): boolean {
    return this.#serving.gateway.ready;
  }

  get version(): number | undefined {
    return this.#serving.gateway.version;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  publish(snapshot: Snapshot, delta: SnapshotDelta | undefined): void {
    const follows = delta !== undefined && this.#serving.gateway.version === delta.from;
    let loaded = follows ? this.#serving.load({ delta }) : undefined;
    if (loaded === undefined || !loaded.ok) loaded = this.#serving.load({ snapshot });
    if (!loaded.ok) {
      this.#logger.error(
        { problem: loaded.problem },
        'the gateway refused a configuration snapshot; still serving the previous one',
      );
      return;
    }
    this.#ports ??= this.#serving.listen();
  }

  whenServing(): Promise<void> {
    // Loading is synchronous here: by the time anyone asks, publish() has done it.
    return Promise.resolve();
  }

  listening(): Promise<{ http: number; https: number | undefined }> {
    this.#ports ??= this.#serving.listen();
    return this.#ports;
  }

  async metrics(): Promise<string> {
    return mergeMetrics([await this.#serving.metrics.metricsJson()]);
  }

  onKeyUse(listener: (ids: string[]) => void): void {
    this.#stopReports?.();
    this.#stopReports = reportKeyUses(listener);
  }

  onUsage(listener: (batch: UsageBatch) => void): void {
    this.#stopUsage?.();
    this.#stopUsage = reportUsage(listener);
  }

  seedCounters(seeds: readonly CounterSeed[]): void {
    this.#serving.gateway.seedCounters(seeds);
  }

  async peekCounters(checks: readonly LimitCheck[]): Promise<readonly LimitState[] | undefined> {
    const verdict = await this.#serving.gateway.peekCounters(checks);
    return verdict.degraded ? undefined : verdict.limits;
  }

  reopenLogs(): void {
    this.#serving.reopenLog();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#serving.close();
    this.#stopReports?.(); // the keys used while draining too
    this.#stopUsage?.(); // and what the drained calls used
  }
}
