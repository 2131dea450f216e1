// Gateway workers in their own processes (node:cluster): the main process forks them, hands
// each the newest snapshot (then deltas), replaces any that dies, and drains them all on stop.
// Connections to the gateway port are spread over the workers by the cluster module.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { MemoryCounterStore } from '../limits/memory-store.ts';
import { type ConsumeAnswer, isConsumeRequest } from '../limits/primary-store.ts';
import type { CounterSeed, LimitCheck, LimitState } from '../limits/store.ts';
import type { UsageBatch } from '../metering/usage-meter.ts';
import type { MetricFamily } from '../metrics/families.ts';
import { mergeMetrics } from '../metrics/merge.ts';
import type { SnapshotDelta } from '../snapshot/delta.ts';
import type { Snapshot } from '../snapshot/types.ts';
import type { Fleet, FleetSettings } from './fleet.ts';
import { isFromWorker, type ToWorker } from './messages.ts';

const workerMain = fileURLToPath(new URL('./worker-main.ts', import.meta.url));

interface Member {
  worker: Worker;
  /** Version of the snapshot the worker serves. */
  version: number | undefined;
  /** Version of the last snapshot or delta sent to it: messages arrive in order, so the next delta follows this. */
  sent: number | undefined;
  forkedAt: number;
}

/** A worker that dies this soon after it was forked is restarted after a growing pause. */
const crashWindowMs = 5_000;
const maxRestartDelayMs = 10_000;

export class ClusterFleet implements Fleet {
  readonly #settings: FleetSettings;
  readonly #logger: Logger;
  readonly #members = new Map<number, Member>();
  #latest: Snapshot | undefined;
  #stopping = false;
  #ports: Promise<{ http: number; https: number | undefined }>;
  #portsKnown!: (ports: { http: number; https: number | undefined }) => void;
  #cannotListen!: (error: Error) => void;
  #portsSettled = false;
  #waiters: { version: number; resolve: () => void }[] = [];
  #metricsRequests = 0;
  #restartDelayMs = 0;
  #keyUse: (ids: string[]) => void = () => {};
  #usage: (batch: UsageBatch) => void = () => {};
  /** The node's counts when several workers share no Redis (they ask over IPC). */
  readonly #counters = new MemoryCounterStore();

  constructor(settings: FleetSettings, logger: Logger) {
    this.#settings = settings;
    this.#logger = logger;
    this.#ports = new Promise((resolve, reject) => {
      this.#portsKnown = resolve;
      this.#cannotListen = reject;
    });
    this.#ports.catch(() => {}); // observed by listening(); a rejection here is not unhandled
    cluster.setupPrimary({ exec: workerMain, args: [] });
    for (let i = 0; i < settings.node.workers; i++) this.#fork();
  }

  get ready(): boolean {
    return this.version !== undefined;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  get workers(): { serving: number; total: number } {
    let serving = 0;
    for (const member of this.#members.values()) if (member.version !== undefined) serving++;
    return { serving, total: this.#settings.node.workers };
  }

  /**
   * The oldest version a serving worker serves. A worker still loading its first snapshot is
   * left out: it takes no connections until it serves the latest one.
   */
  get version(): number | undefined {
    let oldest: number | undefined;
    for (const member of this.#members.values()) {
      if (member.version === undefined) continue;
      oldest = oldest === undefined ? member.version : Math.min(oldest, member.version);
    }
    return oldest;
  }

  listening() {
    return this.#ports;
  }

  whenServing(version: number): Promise<void> {
    const served = this.version;
    if (served !== undefined && served >= version) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ version, resolve }));
  }

  #settleWaiters(): void {
    const served = this.version;
    if (served === undefined) return;
    this.#waiters = this.#waiters.filter((w) => {
      if (w.version > served) return true;
      w.resolve();
      return false;
    });
  }

  publish(snapshot: Snapshot, delta: SnapshotDelta | undefined): void {
    this.#latest = snapshot;
    for (const member of this.#members.values()) {
      if (delta !== undefined && member.sent === delta.from) this.#send(member, { t: 'delta', delta });
      else this.#send(member, { t: 'snapshot', snapshot });
    }
  }

  /** Every live worker's metrics, merged; a worker that does not answer in time is left out. */
  async metrics(): Promise<string> {
    const id = ++this.#metricsRequests;
    const answers = [...this.#members.values()].map(
      (member) =>
        new Promise<MetricFamily[] | undefined>((resolve) => {
          const timer = setTimeout(() => done(undefined), 2_000);
          const onMessage = (message: unknown) => {
            if (isFromWorker(message) && message.t === 'metrics' && message.id === id)
              done(message.json as MetricFamily[]);
          };
          const done = (json: MetricFamily[] | undefined) => {
            clearTimeout(timer);
            member.worker.off('message', onMessage);
            resolve(json);
          };
          member.worker.on('message', onMessage);
          this.#send(member, { t: 'metrics', id });
        }),
    );
    const collected = (await Promise.all(answers)).filter((json) => json !== undefined);
    return mergeMetrics(collected);
  }

  onKeyUse(listener: (ids: string[]) => void): void {
    this.#keyUse = listener;
  }

  onUsage(listener: (batch: UsageBatch) => void): void {
    this.#usage = listener;
  }

  seedCounters(seeds: readonly CounterSeed[]): void {
    if (this.#settings.node.counters?.redisUrl !== undefined) return;
    // One worker counts in itself; several ask this process (see worker-main.ts).
    if (this.#settings.node.workers > 1) this.#counters.seed(seeds);
    else for (const member of this.#members.values()) this.#send(member, { t: 'seed', seeds });
  }

  /**
   * Several workers: the counts are here. One worker: it holds them, so it is asked (a moment's
   * wait at most). Redis: undefined, the caller reads Redis itself.
   */
  async peekCounters(checks: readonly LimitCheck[]): Promise<readonly LimitState[] | undefined> {
    if (this.#settings.node.counters?.redisUrl !== undefined) return undefined;
    if (this.#settings.node.workers > 1) return this.#counters.consume(checks, 0).limits;
    const member = [...this.#members.values()].find((m) => m.version !== undefined);
    if (member === undefined) return undefined;
    const id = ++this.#metricsRequests;
    return new Promise((resolve) => {
      const timer = setTimeout(() => done(undefined), 2_000);
      const onMessage = (message: unknown) => {
        if (isFromWorker(message) && message.t === 'peeked' && message.id === id) done(message.limits);
      };
      const done = (limits: readonly LimitState[] | undefined) => {
        clearTimeout(timer);
        member.worker.off('message', onMessage);
        resolve(limits);
      };
      member.worker.on('message', onMessage);
      this.#send(member, { t: 'peek', id, checks });
    });
  }

  reopenLogs(): void {
    for (const member of this.#members.values()) this.#send(member, { t: 'reopen-logs' });
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    const exits = [...this.#members.values()].map(
      ({ worker }) => new Promise<void>((resolve) => worker.once('exit', () => resolve())),
    );
    for (const member of this.#members.values()) this.#send(member, { t: 'drain' });
    // Past the drain timeout (and a moment to exit), stragglers are stopped.
    const deadline = setTimeout(() => {
      for (const { worker } of this.#members.values()) worker.kill('SIGKILL');
    }, this.#settings.node.drainMs + 5_000);
    await Promise.all(exits);
    clearTimeout(deadline);
    await this.#counters.close();
  }

  #fork(): void {
    const worker = cluster.fork({ TURNPIKE_WORKER_SETTINGS: JSON.stringify(this.#settings) });
    const member: Member = { worker, version: undefined, sent: undefined, forkedAt: Date.now() };
    this.#members.set(worker.id, member);
    worker.on('online', () => {
      if (this.#latest !== undefined) this.#send(member, { t: 'snapshot', snapshot: this.#latest });
    });
    worker.on('message', (message: unknown) => {
      if (isConsumeRequest(message)) {
        const verdict = this.#counters.consume(message.checks, message.units);
        if (worker.isConnected())
          worker.send({ t: 'consumed', id: message.id, verdict } satisfies ConsumeAnswer);
        return;
      }
      if (!isFromWorker(message)) return;
      switch (message.t) {
        case 'loaded':
          member.version = message.version;
          this.#settleWaiters();
          return;
        case 'refused':
          // A delta that did not fit what the worker had: it gets the whole snapshot. A whole
          // snapshot refused is a bug on one side or the other; the worker keeps the last good one.
          if (message.sent === 'delta' && this.#latest !== undefined) {
            this.#send(member, { t: 'snapshot', snapshot: this.#latest });
          } else {
            this.#logger.error(
              { worker: worker.process.pid, version: message.version, problem: message.problem },
              'a gateway worker refused a configuration snapshot; it keeps serving the previous one',
            );
          }
          return;
        case 'listening':
          this.#portsSettled = true;
          this.#portsKnown({ http: message.http, https: message.https });
          return;
        case 'listen-failed':
          if (!this.#portsSettled) {
            // Nothing listens yet: starting more workers would fail the same way.
            this.#stopping = true;
            this.#portsSettled = true;
            const { code, listener } = message;
            this.#cannotListen(Object.assign(new Error(message.message), { code, listener }));
          }
          return;
        case 'metrics':
        case 'peeked':
          return; // answers to a request, which waits for them itself
        case 'key-usage':
          this.#keyUse(message.ids);
          return;
        case 'usage':
          this.#usage(message.batch);
          return;
      }
    });
    worker.on('exit', (code, signal) => {
      this.#members.delete(worker.id);
      if (this.#stopping) return;
      if (!this.#portsSettled) {
        // Died before any worker listened: a startup failure (its error is on stderr) that
        // every new worker would repeat.
        this.#stopping = true;
        this.#portsSettled = true;
        const message = `a gateway worker stopped while starting (exit code ${code ?? signal}); its error is above`;
        this.#cannotListen(Object.assign(new Error(message), { code: 'TP_WORKER_START' }));
        return;
      }
      // A worker that keeps dying young is restarted ever more slowly, not in a tight loop.
      const young = Date.now() - member.forkedAt < crashWindowMs;
      this.#restartDelayMs = young ? Math.min(Math.max(this.#restartDelayMs * 2, 250), maxRestartDelayMs) : 0;
      this.#logger.error(
        { worker: worker.process.pid, code, signal, restartInMs: this.#restartDelayMs },
        'a gateway worker stopped; starting another',
      );
      if (this.#restartDelayMs === 0) this.#fork();
      else setTimeout(() => this.#stopping || this.#fork(), this.#restartDelayMs).unref();
    });
  }

  #send(member: Member, message: ToWorker): void {
    if (!member.worker.isConnected()) return;
    member.worker.send(message);
    if (message.t === 'snapshot') member.sent = message.snapshot.version;
    else if (message.t === 'delta') member.sent = message.delta.to;
  }
}
