// An upstream service for gateway tests, on an ephemeral port: it answers with what reached it
// (method, path, headers, body size and SHA-256), can answer slowly, and can stream a large body
// in two halves so a test can prove the gateway passes bytes on as they come, both ways.
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface UpstreamEcho {
  upstream: string;
  method: string;
  /** Path and query as received. */
  url: string;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
  bodySha256: string;
}

export const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** How long the upstream waits for a test to see the first part of a streamed body. */
const gateMs = 5_000;

export class TestUpstream {
  readonly name: string;
  readonly server: Server;
  /** 5 MB of random bytes that GET /download sends. */
  readonly payload = randomBytes(5 * 1024 * 1024);
  url = '';
  /** Requests answered so far. */
  served = 0;
  /** Whether the last /download's second half was released by the client or by the timeout. */
  downloadGate: 'released' | 'timeout' | undefined;
  /** Called when the first bytes of a request body arrive (to see a body stream in). */
  uploadStarted: (() => void) | undefined;
  #release: (() => void) | undefined;

  constructor(name: string) {
    this.name = name;
    this.server = createServer((req, res) => {
      const url = req.url ?? '/';
      const path = url.split('?')[0] ?? '/';
      if (req.method === 'GET' && path.endsWith('/download')) {
        void this.#download(res);
        return;
      }
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        if (bytes === 0) this.uploadStarted?.();
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', async () => {
        const wait = /[?&]delay=(\d+)/.exec(url)?.[1];
        if (wait) await new Promise((resolve) => setTimeout(resolve, Number(wait)));
        const echo: UpstreamEcho = {
          upstream: this.name,
          method: req.method ?? '',
          url,
          headers: req.headers,
          bodyBytes: bytes,
          bodySha256: hash.digest('hex'),
        };
        this.served++;
        const body = JSON.stringify(echo);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
  }

  async start(): Promise<this> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Lets the second half of a /download go out; call it once the first bytes arrived. */
  releaseDownload(): void {
    this.#release?.();
  }

  async #download(res: ServerResponse): Promise<void> {
    const half = 64 * 1024;
    this.downloadGate = undefined;
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': this.payload.length,
    });
    res.write(this.payload.subarray(0, half));
    this.downloadGate = await new Promise<'released' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), gateMs);
      this.#release = () => {
        clearTimeout(timer);
        resolve('released');
      };
    });
    this.#release = undefined;
    this.served++;
    res.end(this.payload.subarray(half));
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A loopback port with nothing listening on it. */
export async function deadPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
