// A gateway that traces, on real sockets: a real upstream, a real OTLP/HTTP receiver, and the
// spans it gets for requests that pass, are refused, fail upstream, or are not sampled.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectWebSocket, startWebSocketEcho } from '../../../test/support/websocket.ts';
import { defaultUpstreamSettings } from '../../shared/upstream-settings.ts';
import type { EchoReply } from '../echo.ts';
import type { RunningServer } from '../server.ts';
import type { Snapshot } from '../snapshot/types.ts';
import {
  api,
  consumer,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from '../testing/fixtures.ts';
import { OtlpReceiver, otlpKind, otlpStatus, type ReceivedSpan } from './testing.ts';
import { GatewayTracer } from './tracer.ts';

const app = consumer('app_traced', ['api_weather']);
const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const callerSpan = '00f067aa0ba902b7';
const sampled = `00-${traceId}-${callerSpan}-01`;

let receiver: OtlpReceiver;
let upstream: RunningServer;
let hanging: RunningServer;
let tracer: GatewayTracer;
let gw: TestGateway;

async function deadPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function tracedSnapshot(echoUrl: string, deadUrl: string, hangingUrl: string): Snapshot {
  const base = snapshot(echoUrl);
  return {
    ...base,
    upstreams: [
      ...base.upstreams,
      { id: 'ups_dead', name: 'dead', targets: [{ url: deadUrl, weight: 100 }], ...defaultUpstreamSettings },
      {
        id: 'ups_slow',
        name: 'slow',
        targets: [{ url: hangingUrl, weight: 100 }],
        ...defaultUpstreamSettings,
        timeouts: { ...defaultUpstreamSettings.timeouts, responseMs: 300 },
      },
    ],
    apis: [
      api({
        id: 'api_weather',
        name: 'weather',
        basePath: '/weather/v1',
        keyless: false,
        routes: [route('/forecast/{day}', ['GET'], 'forecast')],
      }),
      api({ id: 'api_dead', basePath: '/dead', upstreamId: 'ups_dead', routes: [route('/*', [], 'dead')] }),
      api({ id: 'api_slow', basePath: '/slow', upstreamId: 'ups_slow', routes: [route('/*', [], 'slow')] }),
    ],
    policies: [
      {
        id: 'pol_secret',
        name: 'upstream-secret',
        apiId: 'api_weather',
        routeId: null,
        enabled: true,
        config: { secret: 'a-secret-of-sixteen-chars' },
      },
    ],
    applications: [app.application],
    keys: [app.keyRecord],
  };
}

beforeAll(async () => {
  receiver = await new OtlpReceiver().start();
  upstream = await startUpstream();
  hanging = await startUpstream(() => {}); // reads the request, never answers
  const dead = `http://127.0.0.1:${await deadPort()}`;
  tracer = new GatewayTracer({
    endpoint: `${receiver.url}/v1/traces`,
    serviceName: 'gateway-under-test',
    sampleRatio: 1,
  });
  gw = await startTestGateway(tracedSnapshot(upstream.url, dead, hanging.url), { tracer });
});

afterAll(async () => {
  await gw.close();
  await tracer.shutdown();
  await Promise.all([upstream.close(), hanging.close(), receiver.close()]);
});

async function call(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${gw.server.url}${path}`, { headers });
  const text = await response.body.text();
  return { status: response.statusCode, requestId: String(response.headers['x-request-id']), text };
}

/** The spans of the request with this id: its server span and everything under it. */
async function spansOf(requestId: string): Promise<{ server: ReceivedSpan; children: ReceivedSpan[] }> {
  await tracer.flush();
  const server = receiver.spans.find((s) => s.attributes['turnpike.request_id'] === requestId);
  if (server === undefined) throw new Error(`no server span for ${requestId}`);
  const children = receiver.spans.filter((s) => s.parentSpanId === server.spanId);
  return { server, children };
}

describe('a traced request through a key-protected API', () => {
  it('keeps the caller trace, parents its server span on the caller, and nests a span per phase', async () => {
    const answer = await call('/weather/v1/forecast/monday?units=metric', {
      'x-api-key': app.key,
      traceparent: sampled,
      'user-agent': 'tracing-test',
    });
    expect(answer.status).toBe(200);
    const { server, children } = await spansOf(answer.requestId);
    expect(server).toMatchObject({
      service: 'gateway-under-test',
      traceId,
      parentSpanId: callerSpan,
      kind: otlpKind.server,
      name: 'GET /weather/v1/forecast/{day}',
      status: { code: otlpStatus.unset },
    });
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/weather/v1/forecast/{day}',
      'url.path': '/weather/v1/forecast/monday',
      'url.scheme': 'http',
      'http.response.status_code': 200,
      'server.address': '127.0.0.1',
      'server.port': Number(new URL(gw.server.url).port),
      'client.address': '127.0.0.1',
      'user_agent.original': 'tracing-test',
      'turnpike.api': 'weather',
      'turnpike.route': 'forecast',
      'turnpike.application_id': 'app_traced',
      'turnpike.request_id': answer.requestId,
    });
    const phases = children.filter((s) => s.kind === otlpKind.internal);
    expect(phases.map((s) => s.name)).toEqual(['authenticate', 'authorize', 'limit', 'request']);
    expect(phases[0]?.attributes['turnpike.policies']).toEqual(['key-auth']);
    expect(phases[3]?.attributes['turnpike.policies']).toEqual(['upstream-secret']);
    for (const phase of phases) {
      expect(phase.traceId).toBe(traceId);
      expect(phase.startNs >= server.startNs && phase.endNs <= server.endNs).toBe(true);
    }
  });

  it('sends the upstream a traceparent naming the upstream client span', async () => {
    const answer = await call('/weather/v1/forecast/tuesday', { 'x-api-key': app.key, traceparent: sampled });
    const echoed = JSON.parse(answer.text) as EchoReply;
    const { children } = await spansOf(answer.requestId);
    const client = children.find((s) => s.kind === otlpKind.client);
    expect(client).toBeDefined();
    expect(echoed.headers.traceparent).toBe(`00-${traceId}-${client?.spanId}-01`);
    const { port } = new URL(upstream.url);
    expect(client).toMatchObject({ name: 'GET', status: { code: otlpStatus.unset } });
    expect(client?.attributes).toMatchObject({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': Number(port),
      'url.full': `${upstream.url}/weather/v1/forecast/tuesday`,
      'http.response.status_code': 200,
      'turnpike.upstream': 'main',
    });
  });

  it('starts a trace of its own for a caller without traceparent', async () => {
    const answer = await call('/weather/v1/forecast/friday', { 'x-api-key': app.key });
    const echoed = JSON.parse(answer.text) as EchoReply;
    const { server, children } = await spansOf(answer.requestId);
    expect(server.parentSpanId).toBe('');
    expect(server.traceId).not.toBe(traceId);
    const client = children.find((s) => s.kind === otlpKind.client);
    expect(echoed.headers.traceparent).toBe(`00-${server.traceId}-${client?.spanId}-01`);
  });

  it('records where a refused request stopped, without an error status', async () => {
    const answer = await call('/weather/v1/forecast/monday', { traceparent: sampled });
    expect(answer.status).toBe(401);
    const { server, children } = await spansOf(answer.requestId);
    expect(server.status.code).toBe(otlpStatus.unset);
    expect(server.attributes['http.response.status_code']).toBe(401);
    expect(children.map((s) => s.name)).toEqual(['authenticate']);
    expect(children[0]?.attributes).toMatchObject({
      'turnpike.stopped': true,
      'turnpike.problem': 'key-missing',
    });
  });

  it('traces a request no route matches under the method alone', async () => {
    const answer = await call('/nowhere', { traceparent: sampled });
    expect(answer.status).toBe(404);
    const { server, children } = await spansOf(answer.requestId);
    expect(server.name).toBe('GET');
    expect(server.attributes['url.path']).toBe('/nowhere');
    expect(server.attributes['http.route']).toBeUndefined();
    expect(children).toEqual([]);
  });
});

describe('upstream failures', () => {
  it('marks a 502 as an error, with a client span per attempt', async () => {
    const answer = await call('/dead/x', { traceparent: sampled });
    expect(answer.status).toBe(502);
    const { server, children } = await spansOf(answer.requestId);
    expect(server.status.code).toBe(otlpStatus.error);
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 502, 'error.type': '502' });
    // The default upstream settings retry a refused connection once.
    const attempts = children.filter((s) => s.kind === otlpKind.client);
    expect(attempts).toHaveLength(2);
    for (const attempt of attempts) {
      expect(attempt.status.code).toBe(otlpStatus.error);
      expect(attempt.attributes['error.type']).toBe('ECONNREFUSED');
    }
    expect(attempts[1]?.attributes['http.request.resend_count']).toBe(1);
  });

  it('marks a 504 as an error, and the attempt with the timeout', async () => {
    const answer = await call('/slow/x', { traceparent: sampled });
    expect(answer.status).toBe(504);
    const { server, children } = await spansOf(answer.requestId);
    expect(server.status.code).toBe(otlpStatus.error);
    expect(server.attributes['http.response.status_code']).toBe(504);
    const [attempt] = children.filter((s) => s.kind === otlpKind.client);
    expect(attempt?.status.code).toBe(otlpStatus.error);
    expect(attempt?.attributes['error.type']).toBe('TP_UPSTREAM_HEADERS_TIMEOUT');
  });
});

describe('sampling', () => {
  it('records nothing of a caller trace marked not sampled, and passes it on as it came', async () => {
    const unsampledTrace = 'aaaabbbbccccddddeeeeffff00001111';
    const traceparent = `00-${unsampledTrace}-${callerSpan}-00`;
    const answer = await call('/weather/v1/forecast/monday', { 'x-api-key': app.key, traceparent });
    expect(answer.status).toBe(200);
    const echoed = JSON.parse(answer.text) as EchoReply;
    expect(echoed.headers.traceparent).toBe(traceparent);
    await tracer.flush();
    expect(receiver.trace(unsampledTrace)).toEqual([]);
    expect(receiver.spans.some((s) => s.attributes['turnpike.request_id'] === answer.requestId)).toBe(false);
  });

  it('with a ratio of 0 records only traces a caller sampled', async () => {
    const none = new GatewayTracer({
      endpoint: `${receiver.url}/v1/traces`,
      serviceName: 'none',
      sampleRatio: 0,
    });
    const quiet = await startTestGateway(snapshot(upstream.url), { tracer: none });
    try {
      const own = await request(`${quiet.server.url}/x`);
      // A trace the gateway starts and does not record goes upstream marked not sampled.
      const echoed = (await own.body.json()) as EchoReply;
      expect(echoed.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-00$/);
      const joined = await request(`${quiet.server.url}/x`, {
        headers: { traceparent: `00-${'1'.repeat(32)}-${callerSpan}-01` },
      });
      await joined.body.dump();
      await none.flush();
      const spans = receiver.spans.filter((s) => s.service === 'none');
      expect(spans.length).toBeGreaterThan(0);
      expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set(['1'.repeat(32)]));
    } finally {
      await quiet.close();
      await none.shutdown();
    }
  });
});

describe('WebSocket', () => {
  it('gives a connection one server span, from the handshake until it closes', async () => {
    const echo = await startWebSocketEcho();
    const ws = await startTestGateway(
      snapshot(echo.url, { apis: [api({ id: 'api_ws', basePath: '/ws', routes: [route('/*', [], 'ws')] })] }),
      { tracer },
    );
    try {
      const client = await connectWebSocket({
        port: ws.server.port,
        path: '/ws/chat',
        headers: { traceparent: sampled, 'x-request-id': 'ws-traced' },
      });
      client.sendText('hello');
      expect(await client.nextText()).toBe('hello');
      await tracer.flush();
      expect(receiver.spans.some((s) => s.attributes['turnpike.request_id'] === 'ws-traced')).toBe(false);
      await client.close();
      // The gateway sees the connection close a moment after the client does.
      await expect
        .poll(async () => {
          await tracer.flush();
          return receiver.spans.some((s) => s.attributes['turnpike.request_id'] === 'ws-traced');
        })
        .toBe(true);
      const { server } = await spansOf('ws-traced');
      expect(server).toMatchObject({ traceId, parentSpanId: callerSpan, name: 'GET /ws/*' });
      expect(server.attributes['http.response.status_code']).toBe(101);
      // The handshake goes upstream under the server span: no client span is made for it.
      expect(echo.handshakes[0]?.headers.traceparent).toBe(`00-${traceId}-${server.spanId}-01`);
    } finally {
      await ws.close();
      await echo.close();
    }
  });
});
