// H1Pool against real upstreams on 127.0.0.1. The upstreams are raw `node:net` servers, so each
// test writes the exact bytes of the answer (split, malformed, followed by extra bytes) and counts
// the connections it accepts to tell whether one was reused.
import { once } from 'node:events';
import { type AddressInfo, createServer, type Socket } from 'node:net';
import { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blackhole } from '../../../../test/support/faulty-upstream.ts';
import type { UpstreamController, UpstreamHandler, UpstreamRequest } from './dispatch.ts';
import { H1Pool, type H1PoolOptions } from './pool.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

interface Connection {
  socket: Socket;
  /** Every byte received on it so far. */
  received: Buffer[];
  /** Settles when the socket has closed. */
  closed: Promise<unknown>;
}

interface RawUpstream {
  origin: string;
  /** Accepted connections, in order. */
  connections: Connection[];
  /** Request heads received (without the blank line), with the number of their connection (1, …). */
  requests: { connection: number; head: string }[];
}

function text(connection: Connection | undefined): string {
  return Buffer.concat(connection?.received ?? []).toString('latin1');
}

/** A TCP server that records what each connection receives and hands it to `onConnection`. */
async function tcpUpstream(
  onConnection: (connection: Connection, number: number) => void,
): Promise<RawUpstream> {
  const upstream: RawUpstream = { origin: '', connections: [], requests: [] };
  const server = createServer((socket) => {
    const connection: Connection = { socket, received: [], closed: once(socket, 'close') };
    upstream.connections.push(connection);
    socket.on('data', (data: Buffer) => connection.received.push(data));
    socket.on('error', () => {});
    onConnection(connection, upstream.connections.length);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  upstream.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  cleanup.push(() => {
    for (const { socket } of upstream.connections) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return upstream;
}

type Answer = string | ((socket: Socket) => void);

/**
 * An upstream that answers the n-th request head it receives (over all connections) with
 * `answers[n]`, the last one for any beyond. A function answer writes (or does not) by itself.
 */
async function answering(...answers: Answer[]): Promise<RawUpstream> {
  const upstream = await tcpUpstream(({ socket }, number) => {
    let pending = '';
    socket.on('data', (data: Buffer) => {
      pending += data.toString('latin1');
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        upstream.requests.push({ connection: number, head: pending.slice(0, end) });
        pending = pending.slice(end + 4);
        const answer = answers[Math.min(upstream.requests.length, answers.length) - 1] as Answer;
        if (typeof answer === 'string') socket.write(answer, 'latin1');
        else answer(socket);
      }
    });
  });
  return upstream;
}

/** A 200 with a Content-Length body, `head` being more header lines. */
function ok(body: string, head = ''): string {
  return `HTTP/1.1 200 OK\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${head}\r\n${body}`;
}

/** Writes `pieces` as separate TCP writes, a few milliseconds apart. */
async function writeApart(socket: Socket, pieces: string[]): Promise<void> {
  for (const piece of pieces) {
    if (socket.destroyed) return;
    socket.write(piece, 'latin1');
    await delay(10);
  }
}

function openPool(origin: string, options: Partial<H1PoolOptions> = {}): H1Pool {
  const pool = new H1Pool(origin, { connectTimeoutMs: 2000, keepAliveMs: 10_000, ...options });
  cleanup.push(() => pool.destroy());
  return pool;
}

interface Outcome {
  status: number;
  headers: string[];
  body: string;
  error: (Error & { code?: string }) | undefined;
}

/** Dispatches a request (a GET of / unless `fields` say otherwise) and settles with what came back. */
function send(
  pool: H1Pool,
  fields: Partial<UpstreamRequest> = {},
  hooks: UpstreamHandler = {},
): Promise<Outcome> {
  const request: UpstreamRequest = {
    method: 'GET',
    path: '/',
    headers: ['host', 'upstream.test'],
    body: null,
    headersTimeout: 5000,
    bodyTimeout: 5000,
    ...fields,
  };
  return new Promise((resolve) => {
    const outcome: Outcome = { status: 0, headers: [], body: '', error: undefined };
    pool.dispatch(request, {
      onRequestStart(controller, context) {
        hooks.onRequestStart?.(controller, context);
      },
      onResponseStart(controller, status, headers) {
        outcome.status = status;
        outcome.headers = Array.isArray(headers) ? headers : [];
        hooks.onResponseStart?.(controller, status, headers);
      },
      onResponseData(controller, chunk) {
        outcome.body += chunk.toString('latin1');
        hooks.onResponseData?.(controller, chunk);
      },
      onResponseEnd(controller, trailers) {
        hooks.onResponseEnd?.(controller, trailers);
        resolve(outcome);
      },
      onResponseError(controller, error) {
        outcome.error = error;
        hooks.onResponseError?.(controller, error);
        resolve(outcome);
      },
    });
  });
}

describe('responses', () => {
  it('gives status, raw headers and body, and sends the next request on the same connection', async () => {
    const upstream = await answering(
      ok('hello', 'X-Upstream: One\r\nset-cookie: a=1\r\nSet-Cookie: b=2\r\n'),
    );
    const pool = openPool(upstream.origin);
    expect(await send(pool, { path: '/a?b=1' })).toEqual({
      status: 200,
      headers: ['Content-Length', '5', 'X-Upstream', 'One', 'set-cookie', 'a=1', 'Set-Cookie', 'b=2'],
      body: 'hello',
      error: undefined,
    });
    expect(pool.size).toBe(1);
    expect((await send(pool, { path: '/c' })).body).toBe('hello');
    expect(pool.size).toBe(1);
    expect(upstream.requests).toEqual([
      { connection: 1, head: 'GET /a?b=1 HTTP/1.1\r\nhost: upstream.test' },
      { connection: 1, head: 'GET /c HTTP/1.1\r\nhost: upstream.test' },
    ]);
  });

  it('joins a head of more than 32 fields, which llhttp hands over in batches', async () => {
    const fields = Array.from({ length: 80 }, (_, i) => [`X-Field-${i}`, `value ${i}`]);
    const upstream = await answering(
      ok('many', fields.map(([name, value]) => `${name}: ${value}\r\n`).join('')),
    );
    const pool = openPool(upstream.origin);
    const response = await send(pool);
    expect(response.headers).toEqual(['Content-Length', '4', ...fields.flat()]);
    expect(response.body).toBe('many');
  });

  it('reads a head and a body that arrive split across several TCP writes', async () => {
    const pieces = [
      'HTTP/1.1 2',
      '00 OK\r',
      '\nContent-Le',
      'ngth: 11\r\nX-Spl',
      'it: yes\r\n\r',
      '\nhel',
      'lo world',
    ];
    const upstream = await answering((socket) => void writeApart(socket, pieces));
    const pool = openPool(upstream.origin);
    expect(await send(pool)).toEqual({
      status: 200,
      headers: ['Content-Length', '11', 'X-Split', 'yes'],
      body: 'hello world',
      error: undefined,
    });
  });

  it('reads a chunked body and keeps the connection', async () => {
    const head = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n';
    const pieces = [head, '5\r\nhel', 'lo\r\n6\r\n world\r\n', '0\r\n\r\n'];
    const upstream = await answering((socket) => void writeApart(socket, pieces));
    const pool = openPool(upstream.origin);
    expect((await send(pool)).body).toBe('hello world');
    expect((await send(pool)).body).toBe('hello world');
    expect(upstream.connections).toHaveLength(1);
  });

  it.each([
    ['HTTP/1.1 without a length', 'HTTP/1.1 200 OK\r\n\r\n'],
    ['HTTP/1.0', 'HTTP/1.0 200 OK\r\n\r\n'],
  ])('reads a %s body until the upstream closes, and opens a new connection next', async (_name, head) => {
    const upstream = await answering(
      (socket) => void writeApart(socket, [head, 'hello', ' world']).then(() => socket.end()),
      ok('next'),
    );
    const pool = openPool(upstream.origin);
    expect(await send(pool)).toMatchObject({ status: 200, body: 'hello world', error: undefined });
    expect(await send(pool)).toMatchObject({ body: 'next', error: undefined });
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 2]);
  });

  it('completes a HEAD answer that has a Content-Length but no body, and reuses the connection', async () => {
    const upstream = await answering('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n', ok('after head'));
    const pool = openPool(upstream.origin);
    expect(await send(pool, { method: 'HEAD' })).toEqual({
      status: 200,
      headers: ['Content-Length', '1234'],
      body: '',
      error: undefined,
    });
    expect((await send(pool)).body).toBe('after head');
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 1]);
  });

  it('skips 100 Continue and 103 Early Hints: the handler sees the final answer only', async () => {
    const early =
      'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n';
    const upstream = await answering(
      (socket) => void writeApart(socket, [early, ok('final', 'X-Final: 1\r\n')]),
    );
    const pool = openPool(upstream.origin);
    const starts: number[] = [];
    const response = await send(pool, {}, { onResponseStart: (_controller, status) => starts.push(status) });
    expect(starts).toEqual([200]);
    expect(response).toEqual({
      status: 200,
      headers: ['Content-Length', '5', 'X-Final', '1'],
      body: 'final',
      error: undefined,
    });
  });
});

describe('connection reuse', () => {
  it('does not reuse a connection the upstream answered with Connection: close', async () => {
    const upstream = await answering(ok('bye', 'Connection: close\r\n'), ok('fresh'));
    const pool = openPool(upstream.origin);
    expect((await send(pool)).body).toBe('bye');
    expect(pool.size).toBe(0);
    expect((await send(pool)).body).toBe('fresh');
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 2]);
  });

  it('keeps a connection a second short of the Keep-Alive timeout the upstream gives', async () => {
    const upstream = await answering(ok('hint', 'Keep-Alive: timeout=2\r\n'));
    const pool = openPool(upstream.origin);
    await send(pool);
    await send(pool);
    await delay(1100);
    expect((await send(pool)).body).toBe('hint');
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 1, 2]);
  });

  it('opens a new connection once the upstream has closed an idle one', async () => {
    const upstream = await answering((socket) => socket.end(ok('one')), ok('two'));
    const pool = openPool(upstream.origin);
    expect((await send(pool)).body).toBe('one');
    await upstream.connections[0]?.closed;
    await vi.waitFor(() => expect(pool.size).toBe(0));
    expect(await send(pool)).toMatchObject({ body: 'two', error: undefined });
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 2]);
  });

  it('fails with TP_UPSTREAM_CLOSED when the upstream closes before answering', async () => {
    const upstream = await answering((socket) => socket.end());
    const pool = openPool(upstream.origin);
    expect((await send(pool)).error?.code).toBe('TP_UPSTREAM_CLOSED');
    expect(pool.size).toBe(0);
  });

  /** The second answer, after a first one followed by `extra` bytes in the same write. */
  async function afterExtraBytes(extra: string) {
    const upstream = await answering(ok('first') + extra, ok('fresh'));
    const pool = openPool(upstream.origin);
    expect((await send(pool)).body).toBe('first');
    const second = await send(pool);
    return { second, connections: upstream.requests.map((r) => r.connection) };
  }

  it('does not answer the next request from a whole response that followed the answer', async () => {
    const { second, connections } = await afterExtraBytes(ok('stale'));
    expect(second).toMatchObject({ status: 200, body: 'fresh', error: undefined });
    expect(connections).toEqual([1, 2]);
  });

  it('does not reuse a connection that sent a bodiless response nobody asked for', async () => {
    const { second, connections } = await afterExtraBytes('HTTP/1.1 204 No Content\r\n\r\n');
    expect(second).toMatchObject({ status: 200, body: 'fresh', error: undefined });
    expect(connections).toEqual([1, 2]);
  });

  it('does not answer the next request from a stale response head left on the connection', async () => {
    const { second, connections } = await afterExtraBytes('HTTP/1.1 503 Stale\r\nX-Stale: ');
    expect(second).toMatchObject({ status: 200, body: 'fresh', error: undefined });
    expect(connections).toEqual([1, 2]);
  });
});

describe('malformed responses', () => {
  it.each([
    [
      'two different Content-Lengths',
      'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!',
    ],
    ['garbage', 'garbage\r\n\r\n'],
    ['a bad chunk size', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n'],
  ])('fails with an HTTPParserError on %s and never uses that socket again', async (_name, answer) => {
    const upstream = await answering(answer, ok('fresh'));
    const pool = openPool(upstream.origin);
    const { error } = await send(pool);
    expect(error?.name).toBe('HTTPParserError');
    expect(error?.code).toMatch(/^HPE_/);
    await upstream.connections[0]?.closed;
    expect(await send(pool)).toMatchObject({ body: 'fresh', error: undefined });
    expect(upstream.requests.map((r) => r.connection)).toEqual([1, 2]);
  });
});

describe('request bodies', () => {
  /** An upstream that answers `ok('got it')` once a connection has received `expected`. */
  async function receiving(expected: number): Promise<RawUpstream> {
    return tcpUpstream((connection) => {
      let answered = false;
      connection.socket.on('data', () => {
        if (answered || Buffer.concat(connection.received).length < expected) return;
        answered = true;
        connection.socket.write(ok('got it'));
      });
    });
  }

  const parts = () => Readable.from([Buffer.from('hello'), Buffer.from(' world')]);

  it('sends a body with a content-length as it is', async () => {
    const sent = 'POST /upload HTTP/1.1\r\nhost: upstream.test\r\ncontent-length: 11\r\n\r\nhello world';
    const upstream = await receiving(sent.length);
    const pool = openPool(upstream.origin);
    const headers = ['host', 'upstream.test', 'content-length', '11'];
    expect(await send(pool, { method: 'POST', path: '/upload', headers, body: parts() })).toMatchObject({
      body: 'got it',
      error: undefined,
    });
    expect(text(upstream.connections[0])).toBe(sent);
  });

  it('sends a body without a content-length chunked', async () => {
    const sent =
      'POST /upload HTTP/1.1\r\nhost: upstream.test\r\ntransfer-encoding: chunked\r\n\r\n' +
      '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n';
    const upstream = await receiving(sent.length);
    const pool = openPool(upstream.origin);
    expect(await send(pool, { method: 'POST', path: '/upload', body: parts() })).toMatchObject({
      body: 'got it',
      error: undefined,
    });
    expect(text(upstream.connections[0])).toBe(sent);
  });

  it('reads a large body only as fast as a slow upstream takes it', async () => {
    const size = 32 * 1024 * 1024;
    const piece = 64 * 1024;
    let produced = 0;
    function* pieces() {
      for (let at = 0; at < size; at += piece) {
        produced += piece;
        yield Buffer.alloc(piece, (at / piece) % 251);
      }
    }
    let producedWhileStalled = 0;
    const head = `PUT /big HTTP/1.1\r\nhost: upstream.test\r\ncontent-length: ${size}\r\n\r\n`;
    const upstream = await tcpUpstream(({ socket }) => {
      socket.pause();
      setTimeout(() => {
        producedWhileStalled = produced;
        socket.resume();
      }, 300);
      let length = 0;
      socket.on('data', (data: Buffer) => {
        length += data.length;
        if (length === head.length + size) socket.write(ok('stored'));
      });
    });
    const pool = openPool(upstream.origin);
    const headers = ['host', 'upstream.test', 'content-length', String(size)];
    const response = await send(pool, {
      method: 'PUT',
      path: '/big',
      headers,
      body: Readable.from(pieces()),
    });
    expect(response).toMatchObject({ body: 'stored', error: undefined });
    expect(producedWhileStalled).toBeLessThan(size / 2);
    const body = Buffer.concat(upstream.connections[0]?.received ?? []).subarray(head.length);
    expect(body.equals(Buffer.concat([...pieces()]))).toBe(true);
  });

  it('takes an answer the upstream gives before the whole body, and does not reuse that connection', async () => {
    const upstream = await answering(
      'HTTP/1.1 413 Payload Too Large\r\nContent-Length: 8\r\n\r\ntoo big.',
      ok('fresh'),
    );
    const pool = openPool(upstream.origin);
    const body = new Readable({ read() {} });
    cleanup.push(() => body.destroy());
    body.push('a'.repeat(1000)); // and never the end
    const headers = ['host', 'upstream.test', 'content-length', '1000000'];
    expect(await send(pool, { method: 'POST', headers, body })).toMatchObject({
      status: 413,
      body: 'too big.',
      error: undefined,
    });
    await upstream.connections[0]?.closed;
    expect((await send(pool)).body).toBe('fresh');
    expect(upstream.connections).toHaveLength(2);
  });

  it.each(['POST', 'PUT', 'PATCH'])('sends content-length: 0 with a %s without a body', async (method) => {
    const upstream = await answering(ok(''));
    const pool = openPool(upstream.origin);
    await send(pool, { method });
    await send(pool, { method: 'GET' });
    expect(upstream.requests.map((r) => r.head)).toEqual([
      `${method} / HTTP/1.1\r\nhost: upstream.test\r\ncontent-length: 0`,
      'GET / HTTP/1.1\r\nhost: upstream.test',
    ]);
  });
});

describe('timeouts and failures', () => {
  it('fails with TP_UPSTREAM_HEADERS_TIMEOUT when the head is late, and closes the socket', async () => {
    const upstream = await answering(() => {});
    const pool = openPool(upstream.origin);
    const started = performance.now();
    expect((await send(pool, { headersTimeout: 100 })).error?.code).toBe('TP_UPSTREAM_HEADERS_TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    await upstream.connections[0]?.closed;
    expect(pool.size).toBe(0);
  });

  it('fails with TP_UPSTREAM_BODY_TIMEOUT when the body stalls between chunks', async () => {
    const upstream = await answering('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello');
    const pool = openPool(upstream.origin);
    const response = await send(pool, { bodyTimeout: 100 });
    expect(response).toMatchObject({ status: 200, body: 'hello' });
    expect(response.error?.code).toBe('TP_UPSTREAM_BODY_TIMEOUT');
    await upstream.connections[0]?.closed;
  });

  it('lets a slow body take longer than bodyTimeout in all while each gap is shorter', async () => {
    const chunks = ['HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n', 'ab', 'cd', 'ef', 'gh', 'ij'];
    const upstream = await answering(
      (socket) =>
        void (async () => {
          for (const chunk of chunks) {
            socket.write(chunk);
            await delay(60);
          }
        })(),
    );
    const pool = openPool(upstream.origin);
    expect(await send(pool, { headersTimeout: 150, bodyTimeout: 150 })).toMatchObject({
      body: 'abcdefghij',
      error: undefined,
    });
  });

  it('fails with TP_UPSTREAM_CONNECT_TIMEOUT when connecting takes too long', async () => {
    // 10.255.255.1 is no black hole on every machine (a sandbox's proxy may accept it), this is.
    const hole = await blackhole();
    cleanup.push(() => hole.close());
    const pool = openPool(hole.url, { connectTimeoutMs: 100 });
    const started = performance.now();
    expect((await send(pool)).error?.code).toBe('TP_UPSTREAM_CONNECT_TIMEOUT');
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(pool.size).toBe(0);
  });

  it('fails with ECONNREFUSED when nothing listens', async () => {
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const pool = openPool(`http://127.0.0.1:${port}`);
    expect((await send(pool)).error?.code).toBe('ECONNREFUSED');
    expect(pool.size).toBe(0);
  });
});

describe('invalid requests', () => {
  it.each([
    ['a header value with CR LF', { headers: ['host', 'upstream.test', 'x-note', 'a\r\nx-injected: 1'] }],
    ['a header name with a space', { headers: ['host', 'upstream.test', 'x injected', '1'] }],
    ['a header name with a colon', { headers: ['host', 'upstream.test', 'x-injected:', '1'] }],
    ['a target with a space', { path: '/a b' }],
    ['a method with a space', { method: 'GET /x' }],
  ])('fails %s with TP_UPSTREAM_INVALID_REQUEST and sends nothing', async (_name, fields) => {
    const upstream = await answering(ok('valid'));
    const pool = openPool(upstream.origin);
    expect((await send(pool, fields)).error?.code).toBe('TP_UPSTREAM_INVALID_REQUEST');
    expect((await send(pool)).body).toBe('valid');
    expect(upstream.requests.map((r) => r.head)).toEqual(['GET / HTTP/1.1\r\nhost: upstream.test']);
    expect(upstream.connections.map(text).join('')).not.toContain('injected');
  });
});

/** Handler hooks that pause the call at its first body chunk and record what is delivered. */
class PauseAtFirstChunk implements UpstreamHandler {
  controller: UpstreamController | undefined;
  chunks: string[] = [];
  ended = false;
  onResponseData(controller: UpstreamController, chunk: Buffer): void {
    this.chunks.push(chunk.toString());
    if (this.controller !== undefined) return;
    this.controller = controller;
    controller.pause();
  }
  onResponseEnd(): void {
    this.ended = true;
  }
  /** Waits until the call has paused, then `ms` more. */
  async heldFor(ms: number): Promise<void> {
    await vi.waitFor(() => expect(this.controller).toBeDefined());
    await delay(ms);
  }
}

/** A chunked response whose whole body arrives in one read. */
const wholeChunked =
  'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n5\r\nworld\r\n0\r\n\r\n';

describe('the controller', () => {
  const halfBody = 'HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello';

  it('abort(reason) ends the call with that reason and closes the socket', async () => {
    const upstream = await answering(halfBody);
    const pool = openPool(upstream.origin);
    const reason = new Error('the client went away');
    const ended = vi.fn();
    const hooks = {
      onResponseData: (controller: UpstreamController) => controller.abort(reason),
      onResponseEnd: ended,
    };
    expect(await send(pool, {}, hooks)).toMatchObject({ status: 200, body: 'hello', error: reason });
    await upstream.connections[0]?.closed;
    expect(ended).not.toHaveBeenCalled();
    expect(pool.size).toBe(0);
  });

  it('pause() stops body delivery until resume()', async () => {
    const upstream = await answering((socket) => void writeApart(socket, [halfBody, 'world']));
    const pool = openPool(upstream.origin);
    const pausing = new PauseAtFirstChunk();
    const response = send(pool, {}, pausing);
    await pausing.heldFor(100);
    expect(pausing.chunks).toEqual(['hello']);
    pausing.controller?.resume();
    expect(await response).toMatchObject({ body: 'helloworld', error: undefined });
  });

  it('pause() holds back the rest of a body that arrived in the same read', async () => {
    const upstream = await answering(wholeChunked);
    const pool = openPool(upstream.origin);
    const pausing = new PauseAtFirstChunk();
    const response = send(pool, {}, pausing);
    await pausing.heldFor(50);
    expect({ chunks: pausing.chunks, ended: pausing.ended }).toEqual({ chunks: ['hello'], ended: false });
    pausing.controller?.resume();
    expect(await response).toMatchObject({ body: 'helloworld', error: undefined });
  });

  it('does not leave the connection paused for the next request when a response ends while paused', async () => {
    const upstream = await answering(wholeChunked, ok('next'));
    const pool = openPool(upstream.origin);
    const pausing = new PauseAtFirstChunk();
    const first = send(pool, {}, pausing);
    await pausing.heldFor(20);
    pausing.controller?.resume();
    expect(await first).toMatchObject({ body: 'helloworld', error: undefined });
    expect(await send(pool, { headersTimeout: 500 })).toMatchObject({ body: 'next', error: undefined });
  });

  it('does not time out the body while the handler has paused it', async () => {
    const upstream = await answering((socket) => void writeApart(socket, [halfBody, 'world']));
    const pool = openPool(upstream.origin);
    const pausing = new PauseAtFirstChunk();
    const response = send(pool, { bodyTimeout: 100 }, pausing);
    await pausing.heldFor(250);
    pausing.controller?.resume();
    expect(await response).toMatchObject({ body: 'helloworld', error: undefined });
  });
});

describe('closing the pool', () => {
  it('close() waits for the requests in flight, then refuses new ones with TP_UPSTREAM_POOL_CLOSED', async () => {
    const upstream = await answering((socket) => setTimeout(() => socket.write(ok('late')), 100));
    const pool = openPool(upstream.origin);
    const events: string[] = [];
    const response = send(pool).then((outcome) => {
      events.push('response');
      return outcome;
    });
    const closed = pool.close().then(() => events.push('closed'));
    expect(await response).toMatchObject({ body: 'late', error: undefined });
    await closed;
    expect(events).toEqual(['response', 'closed']);
    expect(pool.size).toBe(0);
    await upstream.connections[0]?.closed;

    const refused = vi.fn();
    const request = { method: 'GET', path: '/', headers: [], body: null, headersTimeout: 0, bodyTimeout: 0 };
    expect(pool.dispatch(request, { onResponseError: refused })).toBe(false);
    expect(refused).toHaveBeenCalledWith(null, expect.objectContaining({ code: 'TP_UPSTREAM_POOL_CLOSED' }));
  });

  it('close() closes idle connections at once', async () => {
    const upstream = await answering(ok('idle'));
    const pool = openPool(upstream.origin);
    await send(pool);
    await pool.close();
    await upstream.connections[0]?.closed;
    expect(pool.size).toBe(0);
  });

  it('close() called twice while a request is in flight resolves both times', async () => {
    const upstream = await answering((socket) => setTimeout(() => socket.write(ok('late')), 50));
    const pool = openPool(upstream.origin);
    const response = send(pool);
    const closes = Promise.all([pool.close(), pool.close()]).then(() => 'both closed');
    await response;
    expect(await Promise.race([closes, delay(500, 'still waiting')])).toBe('both closed');
  });

  it('destroy() ends the requests in flight with an error', async () => {
    const upstream = await answering(() => {});
    const pool = openPool(upstream.origin);
    const response = send(pool);
    await vi.waitFor(() => expect(upstream.requests).toHaveLength(1));
    pool.destroy();
    const settled = await Promise.race([response, delay(500, 'no callback')]);
    expect(settled).toMatchObject({ error: expect.any(Error) });
  });
});

describe('what one request leaves behind, and handlers that fail', () => {
  it("never gives one response's trailers to the next response on the connection", async () => {
    const many = Array.from({ length: 40 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
    const withTrailer =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: x-session\r\n\r\n' +
      '5\r\nalice\r\n0\r\nx-session: alice-secret\r\n\r\n';
    const upstream = await answering(withTrailer, ok('bob', many));
    const pool = openPool(upstream.origin);
    expect(await send(pool)).toMatchObject({ body: 'alice', error: undefined });
    const bob = await send(pool);
    expect(bob.body).toBe('bob');
    expect(bob.headers).not.toContain('x-session');
    expect(bob.headers.length).toBe(82);
    expect(upstream.connections).toHaveLength(1);
  });

  it('fails the call, and keeps the process up, when the handler throws on the response head', async () => {
    const upstream = await answering(ok('x'), ok('next'));
    const pool = openPool(upstream.origin);
    const refused = new Error('the client cannot take this status');
    const outcome = await send(
      pool,
      {},
      {
        onResponseStart() {
          throw refused;
        },
      },
    );
    expect(outcome.error).toBe(refused);
    expect(await send(pool)).toMatchObject({ body: 'next', error: undefined });
  });

  it('counts the response timeout from the end of a slow upload, not from its start', async () => {
    const upstream = await tcpUpstream(({ socket }) => {
      socket.on('data', (data: Buffer) => {
        if (data.includes('0\r\n\r\n')) socket.write(ok('stored'));
      });
    });
    const pool = openPool(upstream.origin);
    async function* slowly() {
      for (let i = 0; i < 6; i++) {
        await delay(150);
        yield Buffer.from('part');
      }
    }
    const response = await send(pool, {
      method: 'POST',
      headers: ['host', 'upstream.test'],
      body: Readable.from(slowly()),
      headersTimeout: 400,
    });
    expect(response).toMatchObject({ body: 'stored', error: undefined });
  });

  it('fails at once, sending no head, when the request body was already closed', async () => {
    const upstream = await answering(ok('never'));
    const pool = openPool(upstream.origin);
    const body = new Readable({ read() {} });
    body.destroy();
    await once(body, 'close');
    const started = performance.now();
    const outcome = await send(pool, {
      method: 'POST',
      headers: ['host', 'upstream.test', 'content-length', '5'],
      body,
    });
    expect(outcome.error?.code).toBe('TP_UPSTREAM_CLOSED');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('delivers a response that completed while paused even when stray bytes followed it', async () => {
    const upstream = await answering(`${wholeChunked}HTTP/1.1 204 Stray\r\n\r\n`, ok('next'));
    const pool = openPool(upstream.origin);
    const pausing = new PauseAtFirstChunk();
    const response = send(pool, {}, pausing);
    await pausing.heldFor(20);
    pausing.controller?.resume();
    expect(await response).toMatchObject({ body: 'helloworld', error: undefined });
    expect(await send(pool)).toMatchObject({ body: 'next', error: undefined });
    expect(upstream.connections).toHaveLength(2);
  });
});
