// The request stats as Prometheus metric families, in the JSON shape prom-client's registries
// produce and AggregatorRegistry.aggregate consumes, so they render and merge like its own.
import type { LatencyHistogram, RequestStats, RouteStats } from './request-stats.ts';
import { latencyBuckets, statusClasses } from './request-stats.ts';

/** How several processes' values of one series combine (prom-client's aggregator names). */
export type Aggregator = 'sum' | 'first' | 'min' | 'max' | 'average' | 'omit';

export interface MetricValue {
  value: number;
  labels: Record<string, string | number>;
  /** Set for the series of a histogram: `<name>_bucket`, `_sum`, `_count`. */
  metricName?: string;
}

/**
 * One metric family as prom-client's `getMetricsAsJSON()` returns it at run time. (Its type
 * declarations say `type` is a numeric enum; the values are these strings.)
 */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'counter' | 'gauge' | 'histogram' | 'summary';
  aggregator: Aggregator;
  values: MetricValue[];
}

/** A family computed when scraped; registered in a prom-client Registry beside its own metrics. */
export interface Collector {
  readonly name: string;
  readonly help: string;
  readonly type: MetricFamily['type'];
  readonly aggregator: Aggregator;
  get(): Promise<MetricFamily>;
  reset(): void;
}

function collector(
  name: string,
  help: string,
  type: MetricFamily['type'],
  values: () => MetricValue[],
): Collector {
  return {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset() {},
  };
}

function requestCounts(stats: RequestStats): MetricValue[] {
  const values: MetricValue[] = [];
  for (const s of stats.routes()) {
    for (let c = 0; c < statusClasses.length; c++) {
      const value = s.requests[c] as number;
      if (value > 0)
        values.push({
          value,
          labels: { api: s.api, route: s.route, status_class: statusClasses[c] as string },
        });
    }
  }
  return values;
}

function abortedCounts(stats: RequestStats): MetricValue[] {
  const values: MetricValue[] = [];
  for (const s of stats.routes())
    if (s.aborted > 0) values.push({ value: s.aborted, labels: { api: s.api, route: s.route } });
  return values;
}

function histogramValues(name: string, pick: (s: RouteStats) => LatencyHistogram, stats: RequestStats) {
  const values: MetricValue[] = [];
  for (const s of stats.routes()) {
    const h = pick(s);
    if (h.count === 0) continue;
    const labels = { api: s.api, route: s.route };
    let cumulative = 0;
    for (let i = 0; i < latencyBuckets.length; i++) {
      cumulative += h.counts[i] as number;
      values.push({
        value: cumulative,
        labels: { ...labels, le: latencyBuckets[i] as number },
        metricName: `${name}_bucket`,
      });
    }
    values.push({ value: h.count, labels: { ...labels, le: '+Inf' }, metricName: `${name}_bucket` });
    values.push({ value: h.sum, labels, metricName: `${name}_sum` });
    values.push({ value: h.count, labels, metricName: `${name}_count` });
  }
  return values;
}

export function requestCollectors(stats: RequestStats): Collector[] {
  const duration = 'turnpike_gateway_request_duration_seconds';
  const upstream = 'turnpike_gateway_upstream_duration_seconds';
  return [
    collector(
      'turnpike_gateway_requests_total',
      'Requests answered by the gateway, by API, route and status class (api="" route="" when no route matched).',
      'counter',
      () => requestCounts(stats),
    ),
    collector(
      'turnpike_gateway_requests_aborted_total',
      'Requests the client abandoned before the response was complete (also in requests_total, under the status set by then).',
      'counter',
      () => abortedCounts(stats),
    ),
    collector(
      duration,
      'Time from a request reaching the gateway to its response being sent, in seconds.',
      'histogram',
      () => histogramValues(duration, (s) => s.duration, stats),
    ),
    collector(
      upstream,
      'Time from sending a request upstream to receiving its response head, in seconds.',
      'histogram',
      () => histogramValues(upstream, (s) => s.upstream, stats),
    ),
  ];
}
