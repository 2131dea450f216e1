// A fault-injecting upstream for tests: a real node:http server on an ephemeral loopback port whose
// behaviour switches at runtime (answer, answer slowly, reset, refuse connections, answer with
// malformed HTTP, answer 502/503/504, hang), for all paths or for one path (a health probe's, say).
// It records every request and numbers its connections, so a test can tell which target answered
// and whether a connection was reused. `blackhole()` gives an address where connecting never
// completes, for connect timeouts.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

export type Fault =
  /** 200 (or `status`) with a JSON body naming the upstream, the request and the connection. */
  | { kind: 'ok'; status?: number }
  /** An ok answer, with `headMs` before the head and `chunkMs` between `chunks` body chunks. */
  | { kind: 'slow'; headMs?: number; chunkMs?: number; chunks?: number }
  /** An error answer from the upstream itself, such as 502, 503 or 504. */
  | { kind: 'status'; status: number }
  /** The connection is reset (RST) once the request head is in. */
  | { kind: 'reset' }
  /** The listener is closed and open connections cut: new connections are refused. */
  | { kind: 'refuse' }
  /** Bytes that are not a valid HTTP response; the connection is left open. */
  | { kind: 'malformed'; raw?: string }
  /** The request is read and never answered. */
  | { kind: 'hang' };

export interface FaultyRequest {
  method: string;
  url: string;
  /** 1 for the first connection the upstream accepted, and so on. */
  connection: number;
  headers: IncomingMessage['headers'];
}

export interface FaultyAnswer {
  upstream: string;
  method: string;
  url: string;
  connection: number;
}

const garbage = 'HTTP/1.1 2OO NOT OK\r\nContent-Length: 2\r\n\r\nok';

export class FaultyUpstream {
  readonly name: string;
  readonly server: Server;
  readonly requests: FaultyRequest[] = [];
  port = 0;
  /** Connections accepted so far. */
  connections = 0;
  #fault: Fault = { kind: 'ok' };
  readonly #byPath = new Map<string, Fault>();
  readonly #ids = new WeakMap<Socket, number>();
  #listening = false;

  private constructor(name: string) {
    this.name = name;
    this.server = createServer({ keepAliveTimeout: 30_000 }, (req, res) => this.#handle(req, res));
    this.server.on('connection', (socket: Socket) => {
      this.#ids.set(socket, ++this.connections);
      socket.on('error', () => {});
    });
  }

  static async start(name = 'faulty'): Promise<FaultyUpstream> {
    const upstream = new FaultyUpstream(name);
    await upstream.#listen(0);
    return upstream;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests received whose path (without the query) is `path`, or all of them. */
  hits(path?: string): number {
    if (path === undefined) return this.requests.length;
    return this.requests.filter((r) => r.url.split('?')[0] === path).length;
  }

  /** Switches the behaviour for every path, or for one path only (`{ kind: 'ok' }` clears it). */
  async set(fault: Fault, path?: string): Promise<void> {
    if (path !== undefined) {
      if (fault.kind === 'refuse') throw new Error('refusing connections cannot be limited to a path');
      if (fault.kind === 'ok' && fault.status === undefined) this.#byPath.delete(path);
      else this.#byPath.set(path, fault);
      return;
    }
    this.#fault = fault;
    if (fault.kind === 'refuse' && this.#listening) {
      this.#listening = false;
      const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
      this.server.closeAllConnections();
      await closed;
    } else if (fault.kind !== 'refuse' && !this.#listening) await this.#listen(this.port);
  }

  async close(): Promise<void> {
    if (!this.#listening) return;
    this.#listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async #listen(port: number): Promise<void> {
    this.server.listen(port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    this.#listening = true;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const connection = this.#ids.get(req.socket) ?? 0;
    this.requests.push({ method: req.method ?? '', url, connection, headers: req.headers });
    const fault = this.#byPath.get(url.split('?')[0] ?? url) ?? this.#fault;
    req.resume();
    const answer: FaultyAnswer = { upstream: this.name, method: req.method ?? '', url, connection };
    const body = JSON.stringify(answer);
    switch (fault.kind) {
      case 'ok':
      case 'status': {
        const status = fault.status ?? 200;
        res.writeHead(status, {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        });
        res.end(body);
        return;
      }
      case 'slow':
        void this.#slow(res, body, fault);
        return;
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'malformed':
        req.socket.write(fault.raw ?? garbage);
        return;
      case 'hang':
      case 'refuse':
        return;
    }
  }

  async #slow(
    res: ServerResponse,
    body: string,
    fault: { headMs?: number; chunkMs?: number; chunks?: number },
  ): Promise<void> {
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    if (fault.headMs) await sleep(fault.headMs);
    if (res.destroyed) return;
    const chunks = Math.max(1, fault.chunks ?? 2);
    res.writeHead(200, { 'content-type': 'application/json' });
    const size = Math.ceil(body.length / chunks);
    for (let i = 0; i < chunks; i++) {
      if (i > 0 && fault.chunkMs) await sleep(fault.chunkMs);
      if (res.destroyed) return;
      res.write(body.slice(i * size, (i + 1) * size));
    }
    res.end();
  }
}

export interface Blackhole {
  /** `http://127.0.0.1:port`, where a TCP connect never completes. */
  url: string;
  close(): Promise<void>;
}

// The child listens with a tiny backlog and then blocks its event loop, so it never accepts: the
// kernel queues a connection or two (the parent's fillers) and then drops every SYN.
const blackholeScript = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  require('node:fs').writeSync(1, server.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

/** Connects within `ms`, or gives up (and closes the socket). */
function connects(port: number, ms: number): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(undefined);
    }, ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve(socket);
    });
  });
}

/** An address where connecting hangs, for connect timeouts. */
export async function blackhole(): Promise<Blackhole> {
  const child: ChildProcess = spawn(process.execPath, ['-e', blackholeScript], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  const port = Number(chunk.toString().trim());
  const fillers: Socket[] = [];
  for (let i = 0; i < 16; i++) {
    const filler = await connects(port, 200);
    if (filler === undefined) break;
    fillers.push(filler);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      for (const filler of fillers) filler.destroy();
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
