// The gateway's metrics over real requests: counts by status class, latency buckets, unmatched
// requests, snapshot and target-health gauges, and silence once nobody listens.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessLogDropChannel } from '../access-log/access-log.ts';
import { echo } from '../echo.ts';
import { targetHealthChannel } from '../health/channel.ts';
import { requestChannel } from '../observe.ts';
import type { RunningServer } from '../server.ts';
import {
  api,
  consumer,
  rawRequest,
  requestRecord,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from '../testing/fixtures.ts';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.ts';

const subscribed = consumer('app_ok', ['api_weather']);
const slowMs = 60;

let upstream: RunningServer;
let gw: TestGateway;
let metrics: GatewayMetrics;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url?.includes('/slow')) setTimeout(() => echo(req, res), slowMs);
    else echo(req, res);
  });
  gw = await startTestGateway(
    snapshot(upstream.url, {
      apis: [
        api({
          id: 'api_weather',
          name: 'weather',
          basePath: '/weather',
          keyless: false,
          routes: [route('/forecast', ['GET'], 'forecast'), route('/slow', ['GET'], 'slow')],
        }),
      ],
      applications: [subscribed.application],
      keys: [subscribed.keyRecord],
    }),
  );
  metrics = createGatewayMetrics();
});

afterAll(async () => {
  metrics.close();
  await gw.close();
  await upstream.close();
});

/** Resolves once `n` more requests have been published (the response's close comes after the client sees it). */
function published(n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRecord = () => {
      if (++seen < n) return;
      requestChannel.unsubscribe(onRecord);
      resolve();
    };
    requestChannel.subscribe(onRecord);
  });
}

async function send(paths: string[], headers: Record<string, string> = {}): Promise<number[]> {
  const done = published(paths.length);
  const statuses: number[] = [];
  for (const path of paths) {
    const response = await request(`${gw.server.url}${path}`, { headers });
    await response.body.dump();
    statuses.push(response.statusCode);
  }
  await done;
  return statuses;
}

/** The value of one series, given exactly as rendered (`name{a="x",b="y"}`). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

const key = { 'x-api-key': subscribed.key };

describe('request metrics', () => {
  it('counts requests by API, route and status class', async () => {
    expect(await send(['/weather/forecast', '/weather/forecast', '/weather/forecast'], key)).toEqual([
      200, 200, 200,
    ]);
    expect(await send(['/weather/forecast'])).toEqual([401]);
    const text = await metrics.render();
    expect(
      value(text, 'turnpike_gateway_requests_total{api="weather",route="forecast",status_class="2xx"}'),
    ).toBe(3);
    expect(
      value(text, 'turnpike_gateway_requests_total{api="weather",route="forecast",status_class="4xx"}'),
    ).toBe(1);
    expect(text).not.toContain('status_class="5xx"');
  });

  it('counts unmatched requests under api="" route="" and never by their path', async () => {
    expect(await send(['/nowhere/one', '/nowhere/two?x=1'])).toEqual([404, 404]);
    const text = await metrics.render();
    expect(value(text, 'turnpike_gateway_requests_total{api="",route="",status_class="4xx"}')).toBe(2);
    expect(value(text, 'turnpike_gateway_request_duration_seconds_count{api="",route=""}')).toBe(2);
    expect(text).not.toContain('nowhere');
    // No upstream was called for them.
    expect(text).not.toContain('turnpike_gateway_upstream_duration_seconds_count{api="",route=""}');
  });

  it('puts request and upstream durations in the right buckets', async () => {
    await send(['/weather/slow'], key);
    const text = await metrics.render();
    for (const family of ['request', 'upstream']) {
      const bucket = (le: string) =>
        value(
          text,
          `turnpike_gateway_${family}_duration_seconds_bucket{api="weather",route="slow",le="${le}"}`,
        );
      expect(bucket('0.025')).toBe(0); // it took at least 60 ms
      expect(bucket('0.05')).toBe(0);
      expect(bucket('30')).toBe(1);
      expect(bucket('+Inf')).toBe(1);
      const sum = value(text, `turnpike_gateway_${family}_duration_seconds_sum{api="weather",route="slow"}`);
      expect(sum).toBeGreaterThanOrEqual(slowMs / 1000 - 0.005);
      expect(sum).toBeLessThan(30);
    }
    // Buckets are cumulative, ending at the count.
    const fast = (le: string) =>
      value(
        text,
        `turnpike_gateway_request_duration_seconds_bucket{api="weather",route="forecast",le="${le}"}`,
      );
    expect(fast('+Inf')).toBe(4);
    expect(fast('30')).toBe(4);
    expect(fast('0.001')).toBeLessThanOrEqual(fast('0.01') as number);
  });

  it('counts requests the client abandoned', async () => {
    const done = published(1);
    // The client leaves after 10 ms; the upstream answers after 60.
    await rawRequest(
      gw.server.port,
      `GET /weather/slow HTTP/1.1\r\nHost: x\r\nX-API-Key: ${subscribed.key}\r\n\r\n`,
      10,
    );
    await done;
    const text = await metrics.render();
    expect(value(text, 'turnpike_gateway_requests_aborted_total{api="weather",route="slow"}')).toBe(1);
    expect(
      value(text, 'turnpike_gateway_requests_aborted_total{api="weather",route="forecast"}'),
    ).toBeUndefined();
  });

  it('serves the Prometheus text content type and the default process metrics', async () => {
    expect(metrics.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.render();
    expect(text).toContain('# TYPE turnpike_gateway_requests_total counter');
    expect(text).toContain('# TYPE turnpike_gateway_request_duration_seconds histogram');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});

describe('snapshot and target health', () => {
  it('reports version 0 and age 0 before any snapshot, then the version and its age', async () => {
    const fresh = createGatewayMetrics({ defaultMetrics: false });
    try {
      let text = await fresh.render();
      expect(value(text, 'turnpike_gateway_snapshot_version')).toBe(0);
      expect(value(text, 'turnpike_gateway_snapshot_age_seconds')).toBe(0);
      fresh.setSnapshot({ version: 42, createdAt: new Date(Date.now() - 90_000).toISOString() });
      text = await fresh.render();
      expect(value(text, 'turnpike_gateway_snapshot_version')).toBe(42);
      const age = value(text, 'turnpike_gateway_snapshot_age_seconds') as number;
      expect(age).toBeGreaterThanOrEqual(90);
      expect(age).toBeLessThan(100);
    } finally {
      fresh.close();
    }
  });

  it('follows the target-health channel and forgets targets the snapshot dropped', async () => {
    const fresh = createGatewayMetrics({ defaultMetrics: false });
    try {
      const event = { upstreamId: 'ups_main', upstreamName: 'main', reason: 'active' };
      targetHealthChannel.publish({ ...event, target: 'http://10.0.0.1:80', healthy: true });
      targetHealthChannel.publish({ ...event, target: 'http://10.0.0.2:80', healthy: false });
      targetHealthChannel.publish({ nonsense: true });
      let text = await fresh.render();
      const series = (t: string) => `turnpike_gateway_upstream_target_healthy{upstream="main",target="${t}"}`;
      expect(value(text, series('http://10.0.0.1:80'))).toBe(1);
      expect(value(text, series('http://10.0.0.2:80'))).toBe(0);
      fresh.setSnapshot({
        version: 2,
        createdAt: new Date().toISOString(),
        upstreams: [{ name: 'main', targets: [{ url: 'http://10.0.0.1:80/base' }] }],
      });
      text = await fresh.render();
      expect(value(text, series('http://10.0.0.1:80'))).toBe(1); // kept: matched by origin
      expect(value(text, series('http://10.0.0.2:80'))).toBeUndefined();
    } finally {
      fresh.close();
    }
  });

  it("reads every target's health at scrape time when given a reader", async () => {
    let readings = [
      { upstream: 'main', target: 'http://10.0.0.1:80', healthy: true },
      { upstream: 'main', target: 'http://10.0.0.2:80', healthy: false },
    ];
    const fresh = createGatewayMetrics({ defaultMetrics: false, targetHealth: () => readings });
    try {
      const series = (t: string) => `turnpike_gateway_upstream_target_healthy{upstream="main",target="${t}"}`;
      // Changes published on the channel do not matter then: the reader is the truth.
      targetHealthChannel.publish({
        upstreamId: 'ups_main',
        upstreamName: 'main',
        target: 'http://10.0.0.9:80',
        healthy: false,
        reason: 'active',
      });
      let text = await fresh.render();
      expect(value(text, series('http://10.0.0.1:80'))).toBe(1);
      expect(value(text, series('http://10.0.0.2:80'))).toBe(0);
      expect(value(text, series('http://10.0.0.9:80'))).toBeUndefined();
      readings = [{ upstream: 'main', target: 'http://10.0.0.2:80', healthy: true }];
      text = await fresh.render();
      expect(value(text, series('http://10.0.0.1:80'))).toBeUndefined();
      expect(value(text, series('http://10.0.0.2:80'))).toBe(1);
    } finally {
      fresh.close();
    }
  });

  it('counts access log lines dropped', async () => {
    const fresh = createGatewayMetrics({ defaultMetrics: false });
    try {
      accessLogDropChannel.publish(undefined);
      accessLogDropChannel.publish(undefined);
      expect(value(await fresh.render(), 'turnpike_gateway_access_log_dropped_total')).toBe(2);
    } finally {
      fresh.close();
    }
  });

  it('drops the request series of routes a new snapshot no longer has', async () => {
    const fresh = createGatewayMetrics({ defaultMetrics: false });
    try {
      const record = (apiName: string, routeName: string) =>
        requestRecord({
          upstreamMs: 1,
          api: { id: `api_${apiName}`, name: apiName },
          route: { id: `rte_${routeName}`, name: routeName, metric: 'hits' },
        });
      requestChannel.publish(record('weather', 'forecast'));
      requestChannel.publish(record('weather', 'old'));
      requestChannel.publish(record('gone', 'x'));
      fresh.setSnapshot({
        version: 3,
        createdAt: new Date().toISOString(),
        apis: [{ name: 'weather', routes: [{ name: 'forecast' }] }],
      });
      const text = await fresh.render();
      expect(text).toContain('route="forecast"');
      expect(text).not.toContain('route="old"');
      expect(text).not.toContain('api="gone"');
    } finally {
      fresh.close();
    }
  });
});

describe('without subscribers', () => {
  it('publishes nothing and counts nothing once the metrics are closed', async () => {
    const before = await metrics.render();
    metrics.close();
    expect(requestChannel.hasSubscribers).toBe(false);
    let records = 0;
    const response = await request(`${gw.server.url}/weather/forecast`, { headers: key });
    await response.body.dump();
    // Subscribing only now: the finished request was not watched, so nothing arrives.
    const onRecord = () => records++;
    requestChannel.subscribe(onRecord);
    await new Promise((resolve) => setTimeout(resolve, 50));
    requestChannel.unsubscribe(onRecord);
    expect(records).toBe(0);
    const ok = 'turnpike_gateway_requests_total{api="weather",route="forecast",status_class="2xx"}';
    expect(value(await metrics.render(), ok)).toBe(value(before, ok));
  });
});
