// Forwarding and tracing headers as the upstream receives them, over real sockets: the client's
// claims are believed only from a trusted proxy; otherwise the gateway's own view replaces them.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoReply } from './echo.ts';
import { forwardingOptions } from './forwarding.ts';
import { createGateway } from './gateway.ts';
import { type RunningServer, startGatewayServer } from './server.ts';
import { snapshot, startUpstream } from './testing/fixtures.ts';
import { isValidTraceparent } from './trace-context.ts';

let upstream: RunningServer;

beforeAll(async () => {
  upstream = await startUpstream();
});

afterAll(async () => {
  await upstream.close();
});

/** Starts a gateway on `host` with `trustedProxies`, sends one request, returns what the upstream saw. */
async function seen(
  trustedProxies: string[],
  headers: Record<string, string> = {},
  host = '127.0.0.1',
): Promise<{ headers: EchoReply['headers']; port: number; responseId: string }> {
  const gateway = createGateway({ trustedProxies });
  const loaded = gateway.load(snapshot(upstream.url));
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  const server = await startGatewayServer(gateway, { host });
  try {
    const response = await request(`${server.url}/x`, { headers });
    const body = (await response.body.json()) as EchoReply;
    return { headers: body.headers, port: server.port, responseId: String(response.headers['x-request-id']) };
  } finally {
    await server.close(100);
    await gateway.close();
  }
}

const claims = {
  'x-forwarded-for': '203.0.113.7',
  'x-forwarded-proto': 'https',
  'x-forwarded-host': 'shop.example.com',
  forwarded: 'for=203.0.113.7;proto=https;host=shop.example.com',
};

describe('forwarding headers', () => {
  it('replaces the claims of a client that is not a trusted proxy', async () => {
    const { headers, port } = await seen([], claims);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
    expect(headers.forwarded).toBe(`for=127.0.0.1;proto=http;host="127.0.0.1:${port}"`);
  });

  it('replaces them too when the trusted ranges do not cover the peer', async () => {
    const { headers } = await seen(['10.0.0.0/8', '::1'], claims);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
  });

  it('keeps and extends the headers of a trusted proxy', async () => {
    const { headers, port } = await seen(['127.0.0.0/8'], claims);
    expect(headers['x-forwarded-for']).toBe('203.0.113.7, 127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('https');
    expect(headers['x-forwarded-host']).toBe('shop.example.com');
    expect(headers.forwarded).toBe(
      `for=203.0.113.7;proto=https;host=shop.example.com, for=127.0.0.1;proto=http;host="127.0.0.1:${port}"`,
    );
  });

  it('uses its own view when a trusted proxy sends nothing', async () => {
    const { headers, port } = await seen(['127.0.0.1']);
    expect(headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
  });

  it('quotes an IPv6 client in Forwarded', async () => {
    const { headers, port } = await seen([], {}, '::1');
    expect(headers['x-forwarded-for']).toBe('::1');
    expect(headers.forwarded).toBe(`for="[::1]";proto=http;host="[::1]:${port}"`);
  });

  it('compiles trusted ranges once, and none when there are none', () => {
    expect(forwardingOptions([]).trusted).toBeUndefined();
    const { trusted } = forwardingOptions(['10.0.0.0/8', '192.168.1.5', '2001:db8::/32']);
    expect(trusted?.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(trusted?.check('192.168.1.5', 'ipv4')).toBe(true);
    expect(trusted?.check('192.168.1.6', 'ipv4')).toBe(false);
    expect(trusted?.check('2001:db8::1', 'ipv6')).toBe(true);
  });
});

describe('request ids and trace context', () => {
  it('propagates a sane X-Request-Id and makes one otherwise', async () => {
    const kept = await seen([], { 'x-request-id': 'abc-123' });
    expect(kept.headers['x-request-id']).toBe('abc-123');
    expect(kept.responseId).toBe('abc-123');
    const made = await seen([], { 'x-request-id': 'not sane' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(made.responseId).toBe(made.headers['x-request-id']);
  });

  it('propagates a valid traceparent and its tracestate unchanged', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { headers } = await seen([], { traceparent, tracestate: 'vendor=abc' });
    expect(headers.traceparent).toBe(traceparent);
    expect(headers.tracestate).toBe('vendor=abc');
  });

  it('replaces an invalid traceparent, dropping its tracestate', async () => {
    const { headers } = await seen([], { traceparent: '00-xyz-01', tracestate: 'vendor=abc' });
    expect(isValidTraceparent(String(headers.traceparent))).toBe(true);
    expect(headers.tracestate).toBeUndefined();
  });

  it('starts a trace when none comes in', async () => {
    const { headers } = await seen([]);
    expect(headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });
});
