// Several gateway workers' metrics as one Prometheus text, in the process that serves /metrics.
// Each family merges with the aggregator it declares: counters and histograms add up, the
// snapshot version takes the minimum, its age the maximum, target health the minimum.
import { AggregatorRegistry, Registry } from 'prom-client';
import type { MetricFamily } from './families.ts';

export const metricsContentType: string = Registry.PROMETHEUS_CONTENT_TYPE;

type AggregateInput = Parameters<typeof AggregatorRegistry.aggregate>[0];

/** `processes` holds each worker's `metricsJson()`. */
export function mergeMetrics(processes: readonly (readonly MetricFamily[])[]): Promise<string> {
  return AggregatorRegistry.aggregate(processes as unknown as AggregateInput).metrics();
}
