// Per-route request counts and latency histograms kept as plain numbers, because the request
// channel's subscriber runs once per request: a prom-client child hashes its labels on every
// call (~0.7 µs measured), a lookup in two Maps and a few array increments cost ~10 ns. The
// Prometheus exposition (families.ts) reads these at scrape time; analytics can read them too.
import type { RequestRecord } from '../observe.ts';

/** Upper bounds in seconds, ≈1 ms to 30 s: a gateway's own time sits at the low end, slow upstreams at the top. */
export const latencyBuckets: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/** `status_class` label values, indexed by the status's first digit; 0 is anything else. */
export const statusClasses: readonly string[] = [
  'other',
  '1xx',
  '2xx',
  '3xx',
  '4xx',
  '5xx',
  '6xx',
  '7xx',
  '8xx',
  '9xx',
];

/** Counts per bucket (not cumulative; the last slot is above the highest bound), sum and count. */
export class LatencyHistogram {
  readonly counts = new Float64Array(latencyBuckets.length + 1);
  sum = 0;
  count = 0;

  observe(seconds: number): void {
    const bounds = latencyBuckets;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    this.counts[i] = (this.counts[i] as number) + 1;
    this.sum += seconds;
    this.count++;
  }
}

export interface RouteStats {
  /** API name, "" when no route matched. */
  readonly api: string;
  /** Route name, "" when no route matched. */
  readonly route: string;
  /** Requests by status class, indexed like `statusClasses`. */
  readonly requests: Float64Array;
  /** Requests the client abandoned before the response was complete. */
  aborted: number;
  readonly duration: LatencyHistogram;
  /** Only requests that got an upstream response head. */
  readonly upstream: LatencyHistogram;
}

/**
 * Stats keyed by API and route NAME from the snapshot, never by the request path, so the number
 * of series is bounded by the configuration. Requests no route matched share api "" route "".
 */
export class RequestStats {
  readonly #byApi = new Map<string, Map<string, RouteStats>>();

  record(r: RequestRecord): void {
    const api = r.api === undefined ? '' : r.api.name;
    const route = r.route === undefined ? '' : r.route.name;
    let routes = this.#byApi.get(api);
    if (routes === undefined) {
      routes = new Map();
      this.#byApi.set(api, routes);
    }
    let stats = routes.get(route);
    if (stats === undefined) {
      stats = {
        api,
        route,
        requests: new Float64Array(statusClasses.length),
        aborted: 0,
        duration: new LatencyHistogram(),
        upstream: new LatencyHistogram(),
      };
      routes.set(route, stats);
    }
    const digit = (r.status / 100) | 0;
    const c = digit > 0 && digit < 10 ? digit : 0;
    stats.requests[c] = (stats.requests[c] as number) + 1;
    if (r.aborted) stats.aborted++;
    stats.duration.observe(r.durationMs / 1000);
    if (r.upstreamMs !== undefined) stats.upstream.observe(r.upstreamMs / 1000);
  }

  *routes(): Iterable<RouteStats> {
    for (const routes of this.#byApi.values()) yield* routes.values();
  }

  /**
   * Drops the stats of routes the configuration no longer has (their series disappear from
   * /metrics), keeping the unmatched bucket. Run off the hot path, when a snapshot is loaded.
   */
  retain(apis: readonly { name: string; routes: readonly { name: string }[] }[]): void {
    const keep = new Map<string, Set<string>>();
    for (const api of apis) keep.set(api.name, new Set(api.routes.map((r) => r.name)));
    for (const [api, routes] of this.#byApi) {
      if (api === '') continue;
      const names = keep.get(api);
      if (names === undefined) {
        this.#byApi.delete(api);
        continue;
      }
      for (const route of routes.keys()) if (!names.has(route)) routes.delete(route);
    }
  }
}
