// Proxying against real upstreams on ephemeral ports: what is forwarded, what is stripped, and
// what the client sees when the upstream fails.
import { createServer as createNetServer, type Server as NetServer } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { EchoReply } from '../echo.ts';
import { type RunningServer, startServer } from '../server.ts';
import {
  api,
  rawRequest,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from '../testing/fixtures.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function gatewayTo(upstreamUrl: string, fields: Parameters<typeof snapshot>[1] = {}) {
  const gw = await startTestGateway(snapshot(upstreamUrl, fields));
  cleanup.push(() => gw.close());
  return gw;
}

async function echoUpstream(): Promise<RunningServer> {
  const upstream = await startUpstream();
  cleanup.push(() => upstream.close());
  return upstream;
}

async function get(gw: TestGateway, path: string, headers: Record<string, string> = {}) {
  const response = await request(`${gw.server.url}${path}`, { headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as EchoReply,
  };
}

/** A raw upstream that answers every request with the given bytes. */
async function rawUpstream(answer: string | ((socket: import('node:net').Socket) => void)): Promise<string> {
  const server: NetServer = createNetServer((socket) => {
    socket.once('data', () => (typeof answer === 'string' ? socket.write(answer) : answer(socket)));
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(resolve)));
  const address = server.address() as import('node:net').AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}

describe('forwarding', () => {
  it('builds the upstream URL from the target prefix, the stripped path and the query', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(`${upstream.url}/backend/`, {
      apis: [api({ id: 'api_w', basePath: '/weather/v1', stripBasePath: true, routes: [route('/*')] })],
    });
    expect((await get(gw, '/weather/v1/forecast/today?city=Oslo&x=%20')).body).toMatchObject({
      path: '/backend/forecast/today',
      query: { city: 'Oslo', x: ' ' },
    });
    expect((await get(gw, '/weather/v1')).body.path).toBe('/backend');
  });

  it('strips a base path written with escapes of unreserved characters', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url, {
      apis: [api({ id: 'api_t', basePath: '/v%7E1', stripBasePath: true, routes: [route('/*')] })],
    });
    expect((await get(gw, '/v~1/forecast')).body.path).toBe('/forecast');
    expect((await get(gw, '/v%7e1/forecast')).body.path).toBe('/forecast');
  });

  it('keeps the base path unless told to strip it', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url, { apis: [api({ id: 'api_w', basePath: '/weather/v1' })] });
    expect((await get(gw, '/weather/v1/forecast')).body.path).toBe('/weather/v1/forecast');
  });

  it('sets Host to the target, X-Forwarded-* and a request id', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url);
    const { headers, body } = await get(gw, '/x', {
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-proto': 'https',
      forwarded: 'for=1.2.3.4',
      'x-real-ip': '1.2.3.4',
      'x-forwarded-port': '443',
    });
    expect(body.headers.host).toBe(new URL(upstream.url).host);
    // No trusted proxies are configured, so the client's forwarding claims are replaced by the
    // gateway's own view of the connection.
    expect(body.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(body.headers['x-forwarded-proto']).toBe('http');
    expect(body.headers['x-forwarded-host']).toBe(new URL(gw.server.url).host);
    expect(body.headers.forwarded).toBe(`for=127.0.0.1;proto=http;host="${new URL(gw.server.url).host}"`);
    expect(body.headers['x-real-ip']).toBeUndefined();
    expect(body.headers['x-forwarded-port']).toBeUndefined();
    expect(body.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(headers['x-request-id']).toBe(body.headers['x-request-id']);
  });

  it('propagates a sane incoming request id and replaces an insane one', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url);
    const kept = await get(gw, '/x', { 'x-request-id': 'trace-abc.123' });
    expect(kept.body.headers['x-request-id']).toBe('trace-abc.123');
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    const replaced = await get(gw, '/x', { 'x-request-id': 'has spaces and "quotes"' });
    expect(replaced.body.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers HEAD without a body', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url);
    const response = await request(`${gw.server.url}/x`, { method: 'HEAD' });
    expect(response.statusCode).toBe(200);
    expect(Number(response.headers['content-length'])).toBeGreaterThan(0);
    expect(await response.body.text()).toBe('');
  });

  it('strips hop-by-hop request headers, including those named by Connection', async () => {
    const upstream = await echoUpstream();
    const gw = await gatewayTo(upstream.url);
    const answer = await rawRequest(
      gw.server.port,
      'GET /hop HTTP/1.1\r\nHost: x\r\nConnection: keep-alive, X-Hop-Secret\r\nX-Hop-Secret: 1\r\n' +
        'Keep-Alive: timeout=5\r\nTE: trailers\r\nTrailer: x-t\r\nUpgrade: h2c\r\nProxy-Connection: keep-alive\r\n' +
        'Proxy-Authorization: Basic eDp5\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\nX-Kept: yes\r\n\r\n',
    );
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as EchoReply;
    const names = Object.keys(body.headers);
    for (const hop of [
      'x-hop-secret',
      'keep-alive',
      'te',
      'trailer',
      'upgrade',
      'proxy-connection',
      'proxy-authorization',
      'http2-settings',
    ]) {
      expect(names).not.toContain(hop);
    }
    expect(body.headers['x-kept']).toBe('yes');
  });

  it('strips hop-by-hop response headers, including those named by Connection', async () => {
    const upstream = await rawUpstream(
      'HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive, X-Resp-Hop\r\nX-Resp-Hop: 1\r\n' +
        'Keep-Alive: timeout=5\r\nProxy-Authenticate: Basic\r\nTrailer: x-t\r\nUpgrade: h2c\r\nX-Kept: yes\r\n' +
        'Set-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\nok',
    );
    const gw = await gatewayTo(upstream);
    const response = await request(`${gw.server.url}/`);
    expect(await response.body.text()).toBe('ok');
    for (const hop of ['x-resp-hop', 'proxy-authenticate', 'trailer', 'upgrade'])
      expect(response.headers).not.toHaveProperty(hop);
    expect(response.headers['keep-alive']).not.toBe('timeout=5');
    expect(response.headers['x-kept']).toBe('yes');
    expect(response.headers['set-cookie']).toEqual(['a=1', 'b=2']);
  });
});

describe('upstream failures', () => {
  async function closedPort(): Promise<string> {
    const server = await startServer(() => {});
    await server.close();
    return server.url;
  }

  it('answers 502 upstream-unavailable when the connection is refused', async () => {
    const gw = await gatewayTo(await closedPort());
    const response = await request(`${gw.server.url}/x`);
    expect(response.statusCode).toBe(502);
    expect(response.headers['content-type']).toBe('application/problem+json');
    const body = (await response.body.json()) as { code: string; requestId: string };
    expect(body.code).toBe('upstream-unavailable');
    expect(body.requestId).toBe(response.headers['x-request-id']);
  });

  it('answers 502 for a request with a body too', async () => {
    const gw = await gatewayTo(await closedPort());
    const response = await request(`${gw.server.url}/x`, { method: 'POST', body: 'x'.repeat(100_000) });
    expect(response.statusCode).toBe(502);
    await response.body.dump();
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const gw = await gatewayTo(await rawUpstream((socket) => socket.resetAndDestroy()));
    const response = await request(`${gw.server.url}/x`);
    expect(response.statusCode).toBe(502);
    await response.body.dump();
  });

  it('answers 504 upstream-timeout when the response headers take too long', async () => {
    const url = await rawUpstream(() => {});
    const base = snapshot(url);
    const upstreams = base.upstreams.map((u) => ({ ...u, timeouts: { ...u.timeouts, responseMs: 200 } }));
    const gw = await gatewayTo(url, { upstreams });
    const response = await request(`${gw.server.url}/x`);
    expect(response.statusCode).toBe(504);
    expect(((await response.body.json()) as { code: string }).code).toBe('upstream-timeout');
  });

  it('cuts the client connection when the upstream fails after the headers', async () => {
    const gw = await gatewayTo(
      await rawUpstream((socket) => {
        socket.write('HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial');
        setTimeout(() => socket.destroy(), 50);
      }),
    );
    const response = await request(`${gw.server.url}/x`);
    expect(response.statusCode).toBe(200);
    await expect(response.body.text()).rejects.toThrow();
  });

  it('aborts the upstream request when the client goes away', async () => {
    let upstreamClosed: () => void = () => {};
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve;
    });
    let arrived: () => void = () => {};
    const reached = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    const upstream = await startUpstream((_req, res) => {
      arrived();
      res.on('close', () => upstreamClosed());
    });
    cleanup.push(() => upstream.close(100));
    const gw = await gatewayTo(upstream.url);
    const controller = new AbortController();
    const pending = request(`${gw.server.url}/slow`, { signal: controller.signal }).catch(() => undefined);
    await reached;
    controller.abort();
    await pending;
    await closed; // the test times out if the gateway keeps the upstream request open
  });
});
