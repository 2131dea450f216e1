import type { RequestListener } from 'node:http';
import { connect, type Socket } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { ClientLimits } from '../shared/gateway-settings.ts';
import { http1Settings, resolveLimits, startServer } from './server.ts';

/** Everything the server sends until it closes the connection, and when it closed. */
async function exchange(socket: Socket): Promise<{ text: string; closedAfterMs: number }> {
  const started = Date.now();
  const chunks: Buffer[] = [];
  socket.on('error', () => {});
  for await (const chunk of socket) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('latin1'), closedAfterMs: Date.now() - started };
}

function problemOf(text: string): { status: number; code: string; head: string } {
  const [head = '', body = ''] = text.split('\r\n\r\n');
  return { status: Number(head.split(' ')[1]), code: JSON.parse(body).code, head };
}

async function withServer(
  listener: RequestListener,
  limits: Partial<ClientLimits>,
  run: (port: number) => Promise<void>,
): Promise<void> {
  const server = await startServer(listener, { limits });
  try {
    await run(server.port);
  } finally {
    await server.close(100);
  }
}

/** Writes `parts` one by one, `everyMs` apart, until the socket closes. */
function dribble(socket: Socket, parts: string[], everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.destroyed || i >= parts.length) clearInterval(timer);
    else socket.write(parts[i++] as string);
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

describe('server', () => {
  it('reports the bound address of port 0', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.server.keepAliveTimeout).toBe(65_000);
      expect(server.server.requestTimeout).toBe(120_000);
      expect((server.server as unknown as { maxHeaderSize: number }).maxHeaderSize).toBe(16_384);
    } finally {
      await server.close();
    }
  });

  it('lets a request in flight finish on close, then refuses new connections', async () => {
    const server = await startServer((_req, res) => setTimeout(() => res.end('done'), 300));
    const inFlight = request(server.url);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = server.close();
    const response = await inFlight;
    expect(await response.body.text()).toBe('done');
    const started = Date.now();
    await closed;
    // The connection turned idle after close(): it is closed then, not at the 10 s deadline.
    expect(Date.now() - started).toBeLessThan(1_000);
    await expect(request(server.url)).rejects.toThrow();
  });

  it('cuts requests that outlast the grace period', async () => {
    const server = await startServer(() => {}); // never answers
    const inFlight = request(server.url).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = Date.now();
    await server.close(200);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await inFlight).toBeInstanceOf(Error);
  });

  it.each([
    [
      'conflicting framing',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      400,
      'bad-request',
    ],
    [
      'two lengths',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab',
      400,
      'bad-request',
    ],
    [
      'two equal lengths',
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 2\r\n\r\nab',
      400,
      'bad-request',
    ],
    ['a list of lengths', 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\nab', 400, 'bad-request'],
    [
      'chunked before another coding',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n',
      400,
      'bad-request',
    ],
    [
      'length and chunked in one request, chunked first',
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n',
      400,
      'bad-request',
    ],
    ['a space before the colon', 'GET / HTTP/1.1\r\nHost : x\r\n\r\n', 400, 'bad-request'],
    [
      'oversized headers',
      `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      431,
      'headers-too-large',
    ],
  ])(
    'answers a request the parser refuses (%s) with problem+json and closes',
    async (_name, raw, status, code) => {
      let reached = false;
      const server = await startServer((_req, res) => {
        reached = true;
        res.end();
      });
      try {
        const socket = connect(server.port, '127.0.0.1');
        socket.write(raw);
        const chunks: Buffer[] = [];
        for await (const chunk of socket) chunks.push(chunk as Buffer);
        const text = Buffer.concat(chunks).toString();
        const [head = '', body = ''] = text.split('\r\n\r\n');
        expect(head).toMatch(new RegExp(`^HTTP/1.1 ${status} `));
        expect(head).toContain('content-type: application/problem+json');
        const problem = JSON.parse(body);
        expect(problem.code).toBe(code);
        expect(head).toContain(`x-request-id: ${problem.requestId}`);
        expect(reached).toBe(false);
      } finally {
        await server.close();
      }
    },
  );

  it('resolves the limits like the node settings, the head timeout within the request timeout', () => {
    expect(resolveLimits({})).toEqual({
      maxHeaderBytes: 16_384,
      headersTimeoutMs: 30_000,
      requestTimeoutMs: 120_000,
      keepAliveTimeoutMs: 65_000,
    });
    expect(resolveLimits({ headersTimeoutMs: 5_000, requestTimeoutMs: 2_000 }).headersTimeoutMs).toBe(2_000);
    expect(http1Settings(resolveLimits({ headersTimeoutMs: 500 })).connectionsCheckingInterval).toBe(50);
    expect(http1Settings(resolveLimits({})).connectionsCheckingInterval).toBe(1_000);
  });
});

describe('server limits', () => {
  const ok: RequestListener = (req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  };

  it('answers 431 above the configured header size and serves heads below it', async () => {
    await withServer(ok, { maxHeaderBytes: 4_096 }, async (port) => {
      const small = connect(port, '127.0.0.1');
      small.write(`GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(3_000)}\r\nConnection: close\r\n\r\n`);
      expect((await exchange(small)).text).toMatch(/^HTTP\/1\.1 200 /);
      const big = connect(port, '127.0.0.1');
      big.write(`GET / HTTP/1.1\r\nHost: x\r\nX-A: ${'a'.repeat(5_000)}\r\n\r\n`);
      const answer = problemOf((await exchange(big)).text);
      expect(answer.status).toBe(431);
      expect(answer.code).toBe('headers-too-large');
    });
  });

  it('answers 408 to a head that dribbles in (slowloris) within the head timeout', async () => {
    await withServer(ok, { headersTimeoutMs: 400, requestTimeoutMs: 5_000 }, async (port) => {
      const socket = connect(port, '127.0.0.1');
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n');
      dribble(
        socket,
        Array.from({ length: 100 }, (_, i) => `X-${i}: 1\r\n`),
        50,
      );
      const { text, closedAfterMs } = await exchange(socket);
      const answer = problemOf(text);
      expect(answer.status).toBe(408);
      expect(answer.code).toBe('request-timeout');
      expect(answer.head).toContain('connection: close');
      expect(closedAfterMs).toBeGreaterThanOrEqual(350);
      expect(closedAfterMs).toBeLessThan(1_500);
    });
  });

  it('answers 408 to a connection that sends nothing of its head', async () => {
    await withServer(ok, { headersTimeoutMs: 300, requestTimeoutMs: 5_000 }, async (port) => {
      const socket = connect(port, '127.0.0.1');
      socket.write('G');
      const { text, closedAfterMs } = await exchange(socket);
      expect(problemOf(text).status).toBe(408);
      expect(closedAfterMs).toBeLessThan(1_500);
    });
  });

  it('answers 408 to a body that dribbles in past the request timeout', async () => {
    let reached = false;
    const listener: RequestListener = (req, res) => {
      reached = true;
      ok(req, res);
    };
    await withServer(listener, { headersTimeoutMs: 300, requestTimeoutMs: 700 }, async (port) => {
      const socket = connect(port, '127.0.0.1');
      socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n');
      dribble(
        socket,
        Array.from({ length: 100 }, () => 'a'),
        50,
      );
      const { text, closedAfterMs } = await exchange(socket);
      const answer = problemOf(text);
      expect(answer.status).toBe(408);
      expect(answer.code).toBe('request-timeout');
      expect(reached).toBe(true);
      expect(closedAfterMs).toBeGreaterThanOrEqual(650);
      expect(closedAfterMs).toBeLessThan(2_000);
    });
  });
});
