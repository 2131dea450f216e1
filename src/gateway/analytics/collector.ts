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
/**
 * Characters of request-log entries held between batches at most (bodies and headers make them
 * large): a batch must stay under the 32 MiB the control plane takes, even with every
 * character escaped as a 6-byte \u00XX.
 */
export const maxPendingRequestChars = 4 * 1024 * 1024;

/** A rollup entry while it is being added to: its minute as a number until it is shipped. */
type Cell = Omit<RollupEntry, 'minute'> & { minute: number };

export class AnalyticsCollector implements RequestLogSink {
  #cells = new Map<string, Cell>();
  /** The cell the previous request went to (undefined once the cells are taken). */
  #last: Cell | undefined;
  #requests: RequestLogEntry[] = [];
  #requestChars = 0;
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
    const application = consumer?.applicationId ?? null;
    const plan = consumer?.planId ?? null;
    const status = record.status;
    // Requests in a row mostly land in the same cell: compare before building a key.
    let cell = this.#last;
    if (
      cell === undefined ||
      cell.minute !== minute ||
      cell.status !== status ||
      cell.routeId !== route ||
      cell.applicationId !== application ||
      cell.planId !== plan ||
      cell.apiId !== api
    )
      cell = this.#cell(minute, api, route, consumer, status);
    this.#last = cell;
    cell.requests++;
    cell.latencyMsSum += record.durationMs;
    if (record.upstreamMs !== undefined) {
      cell.upstreamMsSum += record.upstreamMs;
      cell.upstreamRequests++;
    }
    // Declared lengths come from clients: the sums saturate rather than leave safe integers.
    cell.bytesIn = Math.min(cell.bytesIn + record.bytesReceived, Number.MAX_SAFE_INTEGER);
    cell.bytesOut += record.bytesSent;
    (cell.latency[latencyBucket(record.durationMs)] as number)++;
  }

  #cell(
    minute: number,
    api: string | null,
    route: string | null,
    consumer: RequestRecord['consumer'],
    status: number,
  ): Cell {
    const key = `${minute}\n${api}\n${route}\n${consumer?.applicationId}\n${consumer?.planId}\n${status}`;
    let cell = this.#cells.get(key);
    if (cell === undefined) {
      cell = {
        minute,
        apiId: api,
        routeId: route,
        applicationId: consumer?.applicationId ?? null,
        accountId: consumer?.accountId ?? null,
        planId: consumer?.planId ?? null,
        status,
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
    return cell;
  }

  add(entry: RequestLogEntry): void {
    const chars = sizeOf(entry);
    if (this.#requests.length >= maxPendingRequests || this.#requestChars + chars > maxPendingRequestChars) {
      this.#dropped++;
      return;
    }
    this.#requestChars += chars;
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
    this.#last = undefined;
    this.#requests = [];
    this.#requestChars = 0;
    return { rollups, requests };
  }
}

/** About how many characters an entry takes as JSON: its free text, plus room for the rest. */
function sizeOf(entry: RequestLogEntry): number {
  let chars = 512 + entry.path.length + entry.query.length + entry.host.length + (entry.endUser?.length ?? 0);
  chars += (entry.requestBody?.length ?? 0) + (entry.responseBody?.length ?? 0);
  for (const headers of [entry.requestHeaders, entry.responseHeaders])
    for (const name in headers) chars += name.length + (headers[name]?.length ?? 0) + 8;
  return chars;
}

const round = (ms: number) => Math.round(ms * 1000) / 1000;

/** The collector of this process: the gateway counts into it, the usage reporter takes from it. */
export const analyticsCollector = new AnalyticsCollector();

/** Rollups with the same minute, dimensions and status added up into one (merging batches). */
export function sumRollups(rollups: readonly RollupEntry[]): RollupEntry[] {
  const sums = new Map<string, RollupEntry>();
  for (const r of rollups) {
    const key = `${r.minute}\n${r.apiId}\n${r.routeId}\n${r.applicationId}\n${r.accountId}\n${r.planId}\n${r.status}`;
    const seen = sums.get(key);
    if (seen === undefined) {
      sums.set(key, { ...r, latency: [...r.latency] });
      continue;
    }
    seen.requests += r.requests;
    seen.latencyMsSum = round(seen.latencyMsSum + r.latencyMsSum);
    seen.upstreamMsSum = round(seen.upstreamMsSum + r.upstreamMsSum);
    seen.upstreamRequests += r.upstreamRequests;
    seen.bytesIn = Math.min(seen.bytesIn + r.bytesIn, Number.MAX_SAFE_INTEGER);
    seen.bytesOut += r.bytesOut;
    for (let i = 0; i < r.latency.length; i++) seen.latency[i] = (seen.latency[i] ?? 0) + (r.latency[i] ?? 0);
  }
  return [...sums.values()];
}
