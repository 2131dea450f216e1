// Protocol hygiene through the whole gateway over raw sockets: ambiguous requests and absolute-form
// targets for hosts no API names get 400 and never reach the upstream; absolute-form targets for
// configured hosts are routed by their authority; bodies above an API's limit get 413.
import type { IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { echo } from './echo.ts';
import { createGateway, type Gateway } from './gateway.ts';
import { type RunningServer, startGatewayServer } from './server.ts';
import { api, rawRequest, route, snapshot, startUpstream } from './testing/fixtures.ts';

/** Requests the upstream received in full. */
const received: { url: string; headers: IncomingMessage['headers']; bodyBytes: number }[] = [];

let upstream: RunningServer;
let gateway: Gateway;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    let bodyBytes = 0;
    req.on('data', (chunk: Buffer) => {
      bodyBytes += chunk.length;
    });
    req.on('end', () => received.push({ url: req.url ?? '', headers: req.headers, bodyBytes }));
    echo(req, res);
  });
  gateway = createGateway();
  // Trusted: the snapshot schema does not take wildcard hosts yet (src/gateway/snapshot/schema.ts).
  const loaded = gateway.load(
    snapshot(upstream.url, {
      apis: [
        api({
          id: 'api_named',
          basePath: '/named',
          hosts: ['api.example.com'],
          routes: [route('/*', [], 'n')],
        }),
        api({ id: 'api_wild', basePath: '/wild', hosts: ['*.wild.test'], routes: [route('/*', [], 'w')] }),
        api({ id: 'api_open', basePath: '/open', routes: [route('/*', [], 'o')] }),
        api({ id: 'api_small', basePath: '/small', maxBodyBytes: 10, routes: [route('/*', [], 'small')] }),
      ],
    }),
    { trusted: true },
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  server = await startGatewayServer(gateway);
});

afterAll(async () => {
  await server.close(100);
  await gateway.close();
  await upstream.close();
});

beforeEach(() => {
  received.length = 0;
});

function statusOf(answer: string): number {
  return Number(answer.slice(9, 12));
}

function bodyOf(answer: string): Record<string, unknown> & { headers: Record<string, string> } {
  return JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
}

describe('ambiguous requests', () => {
  it.each([
    ['Content-Length and Transfer-Encoding', 'Content-Length: 5\r\nTransfer-Encoding: chunked'],
    ['two different Content-Lengths', 'Content-Length: 5\r\nContent-Length: 6'],
    ['two equal Content-Lengths', 'Content-Length: 5\r\nContent-Length: 5'],
  ])('answers 400 to %s without calling the upstream', async (_name, framing) => {
    const answer = await rawRequest(
      server.port,
      `POST /open/x HTTP/1.1\r\nHost: x\r\n${framing}\r\n\r\nhello`,
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"code":"bad-request"');
    expect(received).toEqual([]);
  });

  it('answers 400 to two Host headers, even with an absolute-form target', async () => {
    for (const target of ['/open/x', 'http://api.example.com/named/x']) {
      const answer = await rawRequest(
        server.port,
        `GET ${target} HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n`,
      );
      expect(statusOf(answer)).toBe(400);
    }
    expect(received).toEqual([]);
  });
});

describe('absolute-form targets', () => {
  it.each([
    'http://unknown.example.com/open/x',
    'http://example.com/wild/x', // not covered by *.wild.test
    'http://a.b.wild.test/wild/x', // two labels more than *.wild.test
  ])('answers 400 to %s, a host no API names, even when an any-host API has the path', async (target) => {
    const answer = await rawRequest(
      server.port,
      `GET ${target} HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n`,
    );
    expect(statusOf(answer)).toBe(400);
    expect(answer).toContain('"code":"bad-request"');
    expect(received).toEqual([]);
  });

  it('routes by the authority, which replaces the Host header', async () => {
    const answer = await rawRequest(
      server.port,
      'GET http://API.example.com:8080/named/x?q=1 HTTP/1.1\r\nHost: elsewhere.test\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(answer)).toBe(200);
    const seen = bodyOf(answer);
    expect(seen.path).toBe('/named/x');
    expect(seen.query).toEqual({ q: '1' });
    expect(seen.headers['x-forwarded-host']).toBe('API.example.com:8080');
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
  });

  it('routes a host covered by a wildcard, and https targets too', async () => {
    const answer = await rawRequest(
      server.port,
      'GET https://eu.wild.test/wild/x HTTP/1.1\r\nHost: eu.wild.test\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(answer)).toBe(200);
    expect(bodyOf(answer).path).toBe('/wild/x');
  });

  it('routes a host header on a wildcard API, and keeps exact > wildcard > any-host', async () => {
    const wild = await rawRequest(
      server.port,
      'GET /wild/y HTTP/1.1\r\nHost: eu.wild.test\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(wild)).toBe(200);
    const notWild = await rawRequest(
      server.port,
      'GET /wild/y HTTP/1.1\r\nHost: wild.test\r\nConnection: close\r\n\r\n',
    );
    expect(statusOf(notWild)).toBe(404);
  });
});

describe('body limits', () => {
  it('refuses a Content-Length above the limit at once, and closes', async () => {
    const answer = await rawRequest(
      server.port,
      'POST /small/x HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\n',
    );
    expect(statusOf(answer)).toBe(413);
    expect(answer).toContain('"code":"payload-too-large"');
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(received).toEqual([]);
  });

  it('passes a body at the limit', async () => {
    const fixed = await rawRequest(
      server.port,
      'POST /small/x HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nConnection: close\r\n\r\n0123456789',
    );
    expect(statusOf(fixed)).toBe(200);
    expect(bodyOf(fixed).bodyBytes).toBe(10);
    const chunked = await rawRequest(
      server.port,
      'POST /small/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n',
    );
    expect(statusOf(chunked)).toBe(200);
    expect(bodyOf(chunked).bodyBytes).toBe(10);
  });

  it('counts a chunked body as it streams, answers 413 and cuts both sides past the limit', async () => {
    const socket = connect(server.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.setTimeout(3_000, () => socket.destroy());
    socket.write('POST /small/x HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n01234567\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.write('8\r\n89abcdef\r\n');
    const chunks: Buffer[] = [];
    for await (const chunk of socket) chunks.push(chunk as Buffer);
    const answer = Buffer.concat(chunks).toString();
    expect(statusOf(answer)).toBe(413);
    expect(answer).toContain('"code":"payload-too-large"');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([]); // the upstream never got a whole request
  });

  it('leaves APIs without a limit alone', async () => {
    const answer = await rawRequest(
      server.port,
      `POST /open/x HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nConnection: close\r\n\r\n${'a'.repeat(5000)}`,
    );
    expect(statusOf(answer)).toBe(200);
    expect(bodyOf(answer).bodyBytes).toBe(5000);
  });
});
