// What the gateway ships to the control plane for analytics, inside its usage batches (so it
// shares their retries, spooling and exactly-once storage): per-minute rollups of every request
// and the sampled request log.
import type { RequestLogEntry } from '../../policies/request-log-entry.ts';

/** Requests of one minute with the same API, route, consumer and status, added up. */
export interface RollupEntry {
  /** Start of the UTC minute, ISO 8601. */
  minute: string;
  /** null when no route matched (a 404 from the router, a 400 for an ambiguous request). */
  apiId: string | null;
  routeId: string | null;
  applicationId: string | null;
  accountId: string | null;
  planId: string | null;
  status: number;
  requests: number;
  /** Sum of the requests' total latencies, milliseconds. */
  latencyMsSum: number;
  /** Sum of upstream latencies of the requests that reached an upstream, and how many did. */
  upstreamMsSum: number;
  upstreamRequests: number;
  bytesIn: number;
  bytesOut: number;
  /** Counts per bucket of src/shared/latency-buckets.ts, trailing zeros dropped. */
  latency: number[];
}

export interface AnalyticsPayload {
  rollups: RollupEntry[];
  requests: RequestLogEntry[];
}
