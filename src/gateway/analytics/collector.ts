// Analytics collection in the gateway: every finished request is added to a per-minute rollup
// cell (API × route × application × account × plan × status), and the request-log policy's
// sampled entries wait beside them. The usage reporter takes both with each batch (every second
// by default), so analytics travel with usage: retried, spooled on stop, stored exactly once.
//
// Adding a request costs one string key, one map lookup and a few additions: no allocation
// for a cell that exists already.
import type { RequestLogEntry, RequestLogSink } from '../../policies/request-log-entry.ts';
import { latencyBucket, latencyBucketCount, trimHistogram } from '../../shared/latency-buckets.ts';
import { type RequestRecord, requestChannel } from '../observe.ts';
import type { AnalyticsPayload, RollupEntry } from './types.ts';

const minuteMs = 60_000;
/** Request-log entries held between batches at most; more are dropped and counted. */
export const maxPendingRequests = 10_000;

interface Cell {
  minute: number;
  apiId: string | null;
  routeId: string | null;
  applicationId: string | null;
  accountId: string | null;
  planId: string | null;
  status: number;
  requests: number;
  latencyMsSum: number;
  upstreamMsSum: number;
  upstreamRequests: number;
  bytesIn: number;
  bytesOut: number;
  latency: number[];
}

export class AnalyticsCollector implements RequestLogSink {
  #cells = new Map<string, Cell>();
  #requests: RequestLogEntry[] = [];
  #dropped = 0;
  readonly #now: () => number;
  readonly #onRequest = (message: unknown) => this.count(message as RequestRecord);

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Request-log entries dropped because too many waited (the control plane was away). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Starts counting every request the gateway answers; returns how to stop. */
  start(): () => void {
    requestChannel.subscribe(this.#onRequest);
    return () => requestChannel.unsubscribe(this.#onRequest);
  }

  count(record: RequestRecord): void {
    const minute = Math.floor(this.#now() / minuteMs) * minuteMs;
    const api = record.api?.id ?? null;
    const route = record.route?.id ?? null;
    const consumer = record.consumer;
    const key = `${minute}\n${api}\n${route}\n${consumer?.applicationId}\n${consumer?.planId}\n${record.status}`;
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = {
        minute,
        apiId: api,
        routeId: route,
        applicationId: consumer?.applicationId ?? null,
        accountId: consumer?.accountId ?? null,
        planId: consumer?.planId ?? null,
        status: record.status,
        requests: 0,
        latencyMsSum: 0,
        upstreamMsSum: 0,
        upstreamRequests: 0,
        bytesIn: 0,
        bytesOut: 0,
        latency: new Array<number>(latencyBucketCount).fill(0),
      };
      this.#cells.set(key, cell);
    }
    cell.requests++;
    cell.latencyMsSum += record.durationMs;
    if (record.upstreamMs !== undefined) {
      cell.upstreamMsSum += record.upstreamMs;
      cell.upstreamRequests++;
    }
    cell.bytesIn += record.bytesReceived;
    cell.bytesOut += record.bytesSent;
    (cell.latency[latencyBucket(record.durationMs)] as number)++;
  }

  add(entry: RequestLogEntry): void {
    if (this.#requests.length >= maxPendingRequests) {
      this.#dropped++;
      return;
    }
    this.#requests.push(entry);
  }

  /** Everything counted since the last call; undefined when nothing was. */
  take(): AnalyticsPayload | undefined {
    if (this.#cells.size === 0 && this.#requests.length === 0) return undefined;
    const rollups: RollupEntry[] = [];
    for (const cell of this.#cells.values()) {
      rollups.push({
        minute: new Date(cell.minute).toISOString(),
        apiId: cell.apiId,
        routeId: cell.routeId,
        applicationId: cell.applicationId,
        accountId: cell.accountId,
        planId: cell.planId,
        status: cell.status,
        requests: cell.requests,
        latencyMsSum: round(cell.latencyMsSum),
        upstreamMsSum: round(cell.upstreamMsSum),
        upstreamRequests: cell.upstreamRequests,
        bytesIn: cell.bytesIn,
        bytesOut: cell.bytesOut,
        latency: trimHistogram(cell.latency),
      });
    }
    const requests = this.#requests;
    this.#cells = new Map();
    this.#requests = [];
    return { rollups, requests };
  }
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The collector of this process: the gateway counts into it, the usage reporter takes from it. */
export const analyticsCollector = new AnalyticsCollector();
