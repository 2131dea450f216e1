// User story: "I point Turnpike at my OpenTelemetry collector. Each call through the gateway
// shows up in my traces as a server span joined to the caller's trace, with a span per phase of
// the gateway and one for the upstream call, which my upstream's own spans then hang under;
// failures are marked, unsampled callers are left alone, and nothing is lost when it stops."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver, otlpKind, otlpStatus, type ReceivedSpan } from '../../src/gateway/tracing/testing.ts';
import { AdminClient, provisionApp, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { type RawResponse, send } from '../support/http.ts';
import { deadPort, TestUpstream, type UpstreamEcho } from '../support/upstream.ts';

const traceId = '0af7651916cd43dd8448eb211c80319c';
const callerSpan = 'b7ad6b7169203331';
const unsampledTrace = '11112222333344445555666677778888';

describe('traces from the gateway to an OTLP/HTTP collector', () => {
  const collector = new OtlpReceiver();
  const svc = new TestUpstream('svc');
  let tp: RunningTurnpike;
  let exitCode: number | null;
  let ok: RawResponse;
  let unsampled: RawResponse;
  let unreachable: RawResponse;
  let tooSlow: RawResponse;

  beforeAll(async () => {
    const [, , port] = await Promise.all([collector.start(), svc.start(), deadPort()]);
    // Batches wait a minute: whatever the collector gets came with the flush on stop.
    tp = await startTurnpike({
      args: ['--otlp-endpoint', collector.url],
      env: { OTEL_BSP_SCHEDULE_DELAY: '60000', OTEL_SERVICE_NAME: 'edge-gateway' },
    });
    const admin = new AdminClient(tp.admin, tp.token);
    const upstream = await admin.create('/upstreams', { name: 'svc', targets: [{ url: svc.url }] });
    const gone = await admin.create('/upstreams', {
      name: 'gone',
      targets: [{ url: `http://127.0.0.1:${port}` }],
      retries: { attempts: 0 },
    });
    const slow = await admin.create('/upstreams', {
      name: 'slow',
      targets: [{ url: svc.url }],
      timeouts: { responseMs: 300 },
    });
    const weather = await admin.create('/apis', {
      name: 'weather',
      basePath: '/weather/v1',
      upstreamId: upstream.id,
    });
    await admin.create(`/apis/${weather.id}/routes`, {
      name: 'forecast',
      methods: ['GET'],
      path: '/forecast',
    });
    await admin.create('/policies', {
      name: 'upstream-secret',
      apiId: weather.id,
      config: { secret: 'shared-with-the-upstream' },
    });
    for (const [name, upstreamId] of [
      ['gone', gone.id],
      ['slow', slow.id],
    ]) {
      const created = await admin.create('/apis', { name, basePath: `/${name}`, upstreamId, keyless: true });
      await admin.create(`/apis/${created.id}/routes`, { name: 'all', path: '/*' });
    }
    const planId = await provisionPlan(admin, 'weather', [weather.id]);
    const app = await provisionApp(admin, 'traced', planId);

    const gw = (path: string, headers: Record<string, string>) => send(`${tp.gateway}${path}`, { headers });
    ok = await gw('/weather/v1/forecast', {
      'x-api-key': app.key,
      traceparent: `00-${traceId}-${callerSpan}-01`,
    });
    unsampled = await gw('/weather/v1/forecast', {
      'x-api-key': app.key,
      traceparent: `00-${unsampledTrace}-${callerSpan}-00`,
    });
    unreachable = await gw('/gone/x', { traceparent: `00-${traceId}-${callerSpan}-01` });
    tooSlow = await gw('/slow/x?delay=2000', { traceparent: `00-${traceId}-${callerSpan}-01` });
    exitCode = await tp.stop();
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
    await Promise.all([svc.close(), collector.close()]);
  });

  const serverSpanOf = (response: RawResponse): ReceivedSpan => {
    const requestId = response.headers['x-request-id'];
    const span = collector.spans.find(
      (s) => s.kind === otlpKind.server && s.attributes['turnpike.request_id'] === requestId,
    );
    if (span === undefined) throw new Error(`no server span for request ${requestId}`);
    return span;
  };
  const childrenOf = (span: ReceivedSpan) => collector.spans.filter((s) => s.parentSpanId === span.spanId);

  it('flushes the spans on a graceful stop', () => {
    expect(exitCode).toBe(0);
    expect(collector.refused).toBe(0);
    expect(collector.batches).toBeGreaterThan(0);
    expect(new Set(collector.spans.map((s) => s.service))).toEqual(new Set(['edge-gateway']));
  });

  it('joins the caller trace with a server span under the caller span', () => {
    expect(ok.status, ok.text).toBe(200);
    const server = serverSpanOf(ok);
    expect(server).toMatchObject({
      traceId,
      parentSpanId: callerSpan,
      name: 'GET /weather/v1/forecast',
      status: { code: otlpStatus.unset },
    });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/weather/v1/forecast',
      'url.path': '/weather/v1/forecast',
      'http.response.status_code': 200,
      'client.address': '127.0.0.1',
      'server.address': '127.0.0.1',
      'turnpike.api': 'weather',
      'turnpike.route': 'forecast',
    });
    expect(String(server.attributes['turnpike.application_id'])).toMatch(/^app_/);
  });

  it('has a span per phase that ran policies, children of the server span', () => {
    const server = serverSpanOf(ok);
    const phases = childrenOf(server).filter((s) => s.kind === otlpKind.internal);
    expect(phases.map((s) => s.name)).toEqual(['authenticate', 'authorize', 'limit', 'request']);
    expect(phases.map((s) => s.attributes['turnpike.policies'])).toEqual([
      ['key-auth'],
      ['subscription'],
      ['plan-limits'],
      ['upstream-secret'],
    ]);
    for (const phase of phases) expect(phase.traceId).toBe(traceId);
  });

  it('has an upstream client span whose id the upstream got as its parent', () => {
    const server = serverSpanOf(ok);
    const [client, ...more] = childrenOf(server).filter((s) => s.kind === otlpKind.client);
    expect(more).toEqual([]);
    const { hostname, port } = new URL(svc.url);
    expect(client?.attributes).toMatchObject({
      'server.address': hostname,
      'server.port': Number(port),
      'http.response.status_code': 200,
      'turnpike.upstream': 'svc',
    });
    const echo = ok.json() as UpstreamEcho;
    expect(echo.headers.traceparent).toBe(`00-${traceId}-${client?.spanId}-01`);
  });

  it('marks a 502 and a 504 as errors, on the server span and the upstream call', () => {
    expect(unreachable.status).toBe(502);
    expect(tooSlow.status).toBe(504);
    for (const [response, status, cause] of [
      [unreachable, 502, 'ECONNREFUSED'],
      [tooSlow, 504, 'TP_UPSTREAM_HEADERS_TIMEOUT'],
    ] as const) {
      const server = serverSpanOf(response);
      expect(server.status.code).toBe(otlpStatus.error);
      expect(server.attributes).toMatchObject({
        'http.response.status_code': status,
        'error.type': String(status),
      });
      const [client] = childrenOf(server).filter((s) => s.kind === otlpKind.client);
      expect(client?.status.code).toBe(otlpStatus.error);
      expect(client?.attributes['error.type']).toBe(cause);
    }
  });

  it('exports nothing of a caller trace that is not sampled, and passes its traceparent on', () => {
    expect(unsampled.status).toBe(200);
    expect(collector.trace(unsampledTrace)).toEqual([]);
    const echo = unsampled.json() as UpstreamEcho;
    expect(echo.headers.traceparent).toBe(`00-${unsampledTrace}-${callerSpan}-00`);
  });
});
