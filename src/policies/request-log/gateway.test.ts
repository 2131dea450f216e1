// The request-log policy in a real gateway over real sockets: what an entry holds for a call let
// through and for one refused, bodies captured while both sides get them whole, a client that
// left, a WebSocket, HTTP/2 (its pseudo-headers left out), and routes without the policy left
// alone.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { connectWebSocket, startWebSocketEcho, type WebSocketEcho } from '../../../test/support/websocket.ts';
import { echo } from '../../gateway/echo.ts';
import { startTlsGatewayServer } from '../../gateway/listeners/tls.ts';
import type { RunningServer } from '../../gateway/server.ts';
import type { Snapshot, SnapshotPolicy } from '../../gateway/snapshot/types.ts';
import {
  api,
  consumer,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from '../../gateway/testing/fixtures.ts';
import type { RequestLogEntry } from '../request-log-entry.ts';

const caller = consumer('app_logged', ['api_keyed']);
const application = {
  ...caller.application,
  grants: [{ apiId: 'api_keyed', planId: 'pln_gold', subscriptionId: 'sub_logged' }],
};
const entries: RequestLogEntry[] = [];
/** What the upstream received on /capture/mirror. */
let mirrored = { bytes: 0, sha256: '' };

let upstream: RunningServer;
let webSockets: WebSocketEcho;
let gw: TestGateway;

function policy(id: string, apiId: string, config: Record<string, unknown>): SnapshotPolicy {
  return { id, name: 'request-log', apiId, routeId: null, enabled: true, config };
}

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url?.startsWith('/capture/slow')) return; // never answers
    if (!req.url?.startsWith('/capture/mirror')) return echo(req, res);
    // Streams the body back as it arrives, and notes what it got.
    const hash = createHash('sha256');
    let bytes = 0;
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      hash.update(chunk);
      res.write(chunk);
    });
    req.on('end', () => {
      mirrored = { bytes, sha256: hash.digest('hex') };
      res.end();
    });
  });
  webSockets = await startWebSocketEcho();
  const base = snapshot(upstream.url);
  const main = base.upstreams[0] as Snapshot['upstreams'][number];
  gw = await startTestGateway(
    snapshot(upstream.url, {
      upstreams: [
        main,
        { ...main, id: 'ups_ws', name: 'ws', targets: [{ url: webSockets.url, weight: 100 }] },
      ],
      apis: [
        api({ id: 'api_keyed', basePath: '/keyed', keyless: false, routes: [route('/items', ['GET'])] }),
        api({ id: 'api_capture', basePath: '/capture', routes: [route('/*', [], 'capture')] }),
        api({ id: 'api_plain', basePath: '/plain', routes: [route('/*', [], 'plain')] }),
        api({ id: 'api_headers', basePath: '/headers', routes: [route('/*', [], 'headers')] }),
        api({ id: 'api_ws', basePath: '/ws', upstreamId: 'ups_ws', routes: [route('/*', [], 'ws')] }),
      ],
      applications: [application],
      keys: [caller.keyRecord],
      policies: [
        policy('pol_keyed', 'api_keyed', { captureBody: { response: true } }),
        policy('pol_capture', 'api_capture', {
          captureBody: { request: true, response: true, maxBytes: 1000 },
        }),
        policy('pol_ws', 'api_ws', {}),
        policy('pol_headers', 'api_headers', {}),
      ],
    }),
    { requestLog: { add: (entry) => entries.push(entry) } },
  );
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
  await webSockets.close();
});

beforeEach(() => {
  entries.length = 0;
});

/** The entry of a request, once the gateway has written it (after the response is done). */
async function entryOf(requestId: string): Promise<RequestLogEntry> {
  for (let i = 0; i < 200; i++) {
    const entry = entries.find((e) => e.requestId === requestId);
    if (entry !== undefined) return entry;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`no entry for ${requestId}`);
}

describe('request-log in the gateway', () => {
  it('logs a call let through key-auth with its consumer, timings, sizes and redacted headers', async () => {
    const before = Date.now();
    const response = await request(`${gw.server.url}/keyed/items?page=2`, {
      headers: { 'x-api-key': caller.key, 'user-agent': 'request-log-test' },
    });
    const body = await response.body.text();
    expect(response.statusCode).toBe(200);
    const requestId = response.headers['x-request-id'] as string;
    const entry = await entryOf(requestId);
    expect(entry).toMatchObject({
      requestId,
      method: 'GET',
      host: '127.0.0.1',
      path: '/keyed/items',
      query: 'page=2',
      status: 200,
      bytesIn: 0,
      bytesOut: Buffer.byteLength(body),
      clientIp: '127.0.0.1',
      apiId: 'api_keyed',
      routeId: 'rte_items',
      metric: 'hits',
      applicationId: 'app_logged',
      accountId: 'acc_of_app_logged',
      planId: 'pln_gold',
      subscriptionId: 'sub_logged',
      endUser: null,
      requestBody: null,
      responseBody: body,
      retentionDays: 7,
    });
    expect(entry.requestHeaders).toMatchObject({
      'x-api-key': '[redacted]',
      'user-agent': 'request-log-test',
    });
    expect(entry.responseHeaders).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'x-request-id': requestId,
    });
    expect(Date.parse(entry.time)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(entry.time)).toBeLessThanOrEqual(Date.now());
    expect(entry.upstreamMs).toBeGreaterThanOrEqual(0);
    expect(entry.durationMs).toBeGreaterThanOrEqual(entry.upstreamMs as number);
    expect(JSON.stringify(entry)).not.toContain(caller.key);
  });

  it('logs a call key-auth refused with 401, and the problem document the gateway answered', async () => {
    const response = await request(`${gw.server.url}/keyed/items`);
    const body = await response.body.text();
    expect(response.statusCode).toBe(401);
    const entry = await entryOf(response.headers['x-request-id'] as string);
    expect(entry).toMatchObject({
      status: 401,
      upstreamMs: null,
      applicationId: null,
      accountId: null,
      planId: null,
      subscriptionId: null,
      bytesOut: Buffer.byteLength(body),
      responseBody: body,
    });
    expect(entry.responseBody).toContain('key-missing');
    expect(entry.responseHeaders).toMatchObject({
      'content-type': 'application/problem+json',
      'www-authenticate': '[redacted]',
    });
  });

  it('captures the first maxBytes of both bodies while the upstream and the client get them whole', async () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `line ${i}\n`).join('');
    const response = await request(`${gw.server.url}/capture/mirror`, { method: 'POST', body: text });
    const received = await response.body.text();
    expect(received).toBe(text);
    expect(mirrored).toEqual({
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
    const entry = await entryOf(response.headers['x-request-id'] as string);
    expect(entry).toMatchObject({
      status: 200,
      bytesIn: Buffer.byteLength(text),
      bytesOut: Buffer.byteLength(text),
      requestBody: text.slice(0, 1000),
      responseBody: text.slice(0, 1000),
    });
  });

  it('counts a chunked request body it captures', async () => {
    const parts = ['first part,', ' second part,', ' third part'];
    const body = Readable.from(parts.map((part) => Buffer.from(part)));
    const response = await request(`${gw.server.url}/capture/mirror`, { method: 'POST', body });
    expect(await response.body.text()).toBe(parts.join(''));
    const entry = await entryOf(response.headers['x-request-id'] as string);
    expect(entry).toMatchObject({ bytesIn: parts.join('').length, requestBody: parts.join('') });
    expect(entry.requestHeaders['transfer-encoding']).toBe('chunked');
  });

  it('logs 499 when the client leaves before an answer', async () => {
    const controller = new AbortController();
    const requestId = 'client-left-early';
    const pending = request(`${gw.server.url}/capture/slow`, {
      headers: { 'x-request-id': requestId },
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toThrow();
    const entry = await entryOf(requestId);
    expect(entry).toMatchObject({ status: 499, responseHeaders: {}, responseBody: '' });
    expect(entry.upstreamMs).toBeGreaterThan(0);
  });

  it('logs a WebSocket connection with 101 once it closes', async () => {
    const client = await connectWebSocket({
      port: gw.server.port,
      path: '/ws/chat',
      headers: { 'x-request-id': 'ws-logged' },
    });
    client.sendText('hello');
    expect(await client.nextText()).toBe('hello');
    expect(entries).toHaveLength(0); // not before the connection ends
    await client.close();
    const entry = await entryOf('ws-logged');
    expect(entry).toMatchObject({ status: 101, path: '/ws/chat', apiId: 'api_ws' });
    expect(entry.upstreamMs).toBeGreaterThanOrEqual(0);
  });

  it('writes nothing for a route without the policy', async () => {
    const response = await request(`${gw.server.url}/plain/anything`);
    await response.body.text();
    expect(response.statusCode).toBe(200);
    // A logged call made after it is written; the unlogged one would have been by then.
    const logged = await request(`${gw.server.url}/capture/x`);
    await logged.body.text();
    await entryOf(logged.headers['x-request-id'] as string);
    expect(entries.map((e) => e.apiId)).toEqual(['api_capture']);
  });
});

describe('request-log over HTTP/2', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'turnpike-request-log-'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** One HTTP/2 exchange with the gateway's HTTPS listener: status, headers and body. */
  async function h2(path: string, method = 'GET', body?: string) {
    const certFile = join(dir, 'gw.crt');
    const keyFile = join(dir, 'gw.key');
    const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
    args.push('-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=gw.test');
    execFileSync('openssl', args, { stdio: 'ignore' });
    const server = await startTlsGatewayServer(gw.gateway, {
      host: '127.0.0.1',
      port: 0,
      certificates: [{ certFile, keyFile }],
    });
    const session = connectHttp2(`https://127.0.0.1:${server.port}`, { rejectUnauthorized: false });
    try {
      const stream = session.request({ ':method': method, ':path': path }, { endStream: body === undefined });
      if (body !== undefined) stream.end(body);
      const [head] = (await once(stream, 'response')) as [Record<string, string>];
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return { head, text: Buffer.concat(chunks).toString() };
    } finally {
      session.close();
      await server.close(200);
    }
  }

  it('sees the head, the bytes and the bodies of HTTP/2 responses once', async () => {
    const text = 'h2 body '.repeat(500);
    const mirror = await h2('/capture/mirror', 'POST', text);
    expect(mirror.text).toBe(text);
    const proxied = await entryOf(mirror.head['x-request-id'] as string);
    expect(proxied).toMatchObject({
      status: 200,
      bytesIn: text.length,
      bytesOut: text.length,
      requestBody: text.slice(0, 1000),
      responseBody: text.slice(0, 1000),
    });
    expect(proxied.responseHeaders['content-type']).toBe('text/plain; charset=utf-8');

    const refused = await h2('/keyed/items');
    const entry = await entryOf(refused.head['x-request-id'] as string);
    expect(entry).toMatchObject({
      status: 401,
      bytesOut: Buffer.byteLength(refused.text),
      responseBody: refused.text,
    });
    expect(entry.responseHeaders['content-type']).toBe('application/problem+json');
  });

  it('leaves the pseudo-headers out: :path would log the query unredacted', async () => {
    const response = await h2('/headers/x?access_token=secret1&password=secret2&page=2');
    expect(response.head[':status']).toBe(200);
    const entry = await entryOf(response.head['x-request-id'] as string);
    expect(entry).toMatchObject({
      path: '/headers/x',
      query: 'access_token=[redacted]&password=[redacted]&page=2',
    });
    expect(Object.keys(entry.requestHeaders).filter((name) => name.startsWith(':'))).toEqual([]);
    expect(JSON.stringify(entry)).not.toMatch(/secret1|secret2/);
  });
});
