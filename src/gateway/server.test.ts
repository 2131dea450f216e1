import { connect } from 'node:net';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startServer } from './server.ts';

describe('server', () => {
  it('reports the bound address of port 0', async () => {
    const server = await startServer((_req, res) => res.end('ok'));
    try {
      expect(server.port).toBeGreaterThan(0);
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      expect(server.server.keepAliveTimeout).toBe(65_000);
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
});
