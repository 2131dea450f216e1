// Merging workers' metrics: counters and histograms add up; the snapshot version, its age and
// target health do not (summing N workers' versions would multiply them).
import { afterEach, describe, expect, it } from 'vitest';
import { targetHealthChannel } from '../health/channel.ts';
import { type RequestRecord, requestChannel } from '../observe.ts';
import { requestRecord } from '../testing/fixtures.ts';
import type { MetricFamily } from './families.ts';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.ts';
import { mergeMetrics, metricsContentType } from './merge.ts';

const open: GatewayMetrics[] = [];
afterEach(() => {
  for (const m of open.splice(0)) m.close();
});

function record(status: number, durationMs: number, matched = true): RequestRecord {
  return requestRecord({
    path: '/weather/forecast',
    status,
    durationMs,
    upstreamMs: matched ? durationMs / 2 : undefined,
    bytesSent: 10,
    api: matched ? { id: 'api_weather', name: 'weather' } : undefined,
    route: matched ? { id: 'rte_forecast', name: 'forecast', metric: 'hits' } : undefined,
  });
}

/**
 * One worker's metrics, as the primary receives them over IPC. Workers are separate processes;
 * here each listens alone while its requests are published, then stops listening.
 */
async function worker(
  records: RequestRecord[],
  version: number | undefined,
  ageSeconds: number,
  healthy: boolean,
): Promise<MetricFamily[]> {
  const metrics = createGatewayMetrics();
  open.push(metrics);
  if (version !== undefined)
    metrics.setSnapshot({ version, createdAt: new Date(Date.now() - ageSeconds * 1000).toISOString() });
  for (const r of records) requestChannel.publish(r);
  targetHealthChannel.publish({
    upstreamId: 'ups_main',
    upstreamName: 'main',
    target: 'http://10.0.0.1:80',
    healthy,
    reason: healthy ? 'recovered' : 'passive',
  });
  const json = await metrics.metricsJson();
  metrics.close();
  return JSON.parse(JSON.stringify(json)) as MetricFamily[];
}

function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('mergeMetrics', () => {
  it('adds counters and histograms, and keeps the gauges whole', async () => {
    const a = await worker([record(200, 3), record(200, 40), record(502, 1)], 7, 30, true);
    const b = await worker([record(200, 3), record(404, 0.5, false)], 8, 10, false);
    const text = await mergeMetrics([a, b]);

    expect(
      value(text, 'turnpike_gateway_requests_total{api="weather",route="forecast",status_class="2xx"}'),
    ).toBe(3);
    expect(
      value(text, 'turnpike_gateway_requests_total{api="weather",route="forecast",status_class="5xx"}'),
    ).toBe(1);
    expect(value(text, 'turnpike_gateway_requests_total{api="",route="",status_class="4xx"}')).toBe(1);
    const bucket = (le: string) =>
      value(
        text,
        `turnpike_gateway_request_duration_seconds_bucket{api="weather",route="forecast",le="${le}"}`,
      );
    expect(bucket('0.001')).toBe(1);
    expect(bucket('0.005')).toBe(3);
    expect(bucket('0.05')).toBe(4);
    expect(bucket('+Inf')).toBe(4);
    expect(
      value(text, 'turnpike_gateway_request_duration_seconds_count{api="weather",route="forecast"}'),
    ).toBe(4);
    expect(
      value(text, 'turnpike_gateway_request_duration_seconds_sum{api="weather",route="forecast"}'),
    ).toBeCloseTo(0.047, 6);

    // The oldest version any worker serves, not 15; the oldest snapshot's age.
    expect(value(text, 'turnpike_gateway_snapshot_version')).toBe(7);
    const age = value(text, 'turnpike_gateway_snapshot_age_seconds') as number;
    expect(age).toBeGreaterThanOrEqual(30);
    expect(age).toBeLessThan(40);
    // Healthy only where every worker says so.
    expect(
      value(text, 'turnpike_gateway_upstream_target_healthy{upstream="main",target="http://10.0.0.1:80"}'),
    ).toBe(0);
    // Each family once.
    expect(text.match(/# TYPE turnpike_gateway_requests_total counter/g)).toHaveLength(1);
    expect(text.match(/# TYPE nodejs_version_info gauge/g)).toHaveLength(1);
    expect(metricsContentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('reports version 0 while any worker has no snapshot yet', async () => {
    const a = await worker([], 9, 5, true);
    const b = await worker([], undefined, 0, true);
    const text = await mergeMetrics([a, b]);
    expect(value(text, 'turnpike_gateway_snapshot_version')).toBe(0);
    expect(value(text, 'turnpike_gateway_snapshot_age_seconds')).toBeGreaterThanOrEqual(5);
    expect(
      value(text, 'turnpike_gateway_upstream_target_healthy{upstream="main",target="http://10.0.0.1:80"}'),
    ).toBe(1);
  });

  it('renders one worker the way it renders itself', async () => {
    const metrics = createGatewayMetrics({ defaultMetrics: false });
    open.push(metrics);
    metrics.setSnapshot({ version: 3, createdAt: new Date().toISOString() });
    requestChannel.publish(record(201, 12));
    const own = await metrics.render();
    const merged = await mergeMetrics([await metrics.metricsJson()]);
    const stable = (text: string) => text.replace(/^turnpike_gateway_snapshot_age_seconds .*$/m, '');
    expect(stable(merged)).toBe(stable(own));
  });
});
