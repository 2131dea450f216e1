// The gateway's HTTP/1.1 client for plain-HTTP upstreams: a pool of keep-alive connections to one
// origin, with undici's dispatch interface (dispatch.ts), so the proxy drives it exactly as it
// drives undici's Pool for HTTPS. It exists for speed: per request it allocates one small object,
// writes the head as one string and gets the response head from llhttp as one array (ADR 0014).
//
// Connections are opened as requests need them (no cap, as with undici's Pool by default) and
// kept for the next request, the most recently used first; one idle for longer than
// `keepAliveMs`, or longer than the upstream's own Keep-Alive hint less a second, is closed.
import { H1Call, H1Connection } from './connection.ts';
import {
  type UpstreamDispatcher,
  UpstreamError,
  type UpstreamHandler,
  type UpstreamRequest,
} from './dispatch.ts';
import { requestHead } from './request-head.ts';

export interface H1PoolOptions {
  connectTimeoutMs: number;
  /** How long a connection may stay idle before it is closed. */
  keepAliveMs: number;
  /** Largest response head accepted, in bytes (Node's default: 16 KiB). */
  maxHeaderSize?: number;
}

export class H1Pool implements UpstreamDispatcher {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly maxHeaderSize: number;
  readonly #keepAliveMs: number;
  readonly #idle: H1Connection[] = [];
  readonly #open = new Set<H1Connection>();
  #sweeper: NodeJS.Timeout | undefined;
  #closing = false;
  #closed: Promise<void> | undefined;
  #resolveClosed: (() => void) | undefined;

  /** `origin` is `http://host:port`. */
  constructor(origin: string, options: H1PoolOptions) {
    const url = new URL(origin);
    if (url.protocol !== 'http:') throw new Error(`H1Pool serves http: origins, not ${url.protocol}`);
    this.host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
    this.port = url.port === '' ? 80 : Number(url.port);
    this.connectTimeoutMs = options.connectTimeoutMs;
    this.maxHeaderSize = options.maxHeaderSize ?? 16_384;
    this.#keepAliveMs = options.keepAliveMs;
  }

  dispatch(request: UpstreamRequest, handler: UpstreamHandler): boolean {
    if (this.#closing) {
      handler.onResponseError?.(
        null,
        new UpstreamError('TP_UPSTREAM_POOL_CLOSED', 'the upstream pool is closed'),
      );
      return false;
    }
    const head = requestHead(request);
    if (head instanceof UpstreamError) {
      handler.onResponseError?.(null, head);
      return false;
    }
    const call = new H1Call(request, handler, head);
    const connection = this.#take() ?? this.#connect();
    connection.start(call);
    return true;
  }

  /** Connections open now (busy or idle). */
  get size(): number {
    return this.#open.size;
  }

  release(connection: H1Connection): void {
    if (this.#closing || connection.keepAliveMs <= 0) {
      connection.destroy();
      return;
    }
    connection.idleSince = performance.now();
    this.#idle.push(connection);
    if (this.#sweeper === undefined) {
      this.#sweeper = setTimeout(this.#sweep, this.#keepAliveMs);
      this.#sweeper.unref();
    }
  }

  forget(connection: H1Connection): void {
    this.#open.delete(connection);
    const at = this.#idle.lastIndexOf(connection);
    if (at !== -1) this.#idle.splice(at, 1);
    if (this.#closing && this.#open.size === 0) this.#resolveClosed?.();
  }

  /** Closes idle connections now and the others once their requests are done. */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    this.#closing = true;
    clearTimeout(this.#sweeper);
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    for (const connection of [...this.#idle]) connection.destroy();
    if (this.#open.size === 0) this.#resolveClosed?.();
    return this.#closed;
  }

  /** Cuts every connection; requests on them fail with TP_UPSTREAM_CLOSED. */
  destroy(): void {
    this.#closing = true;
    clearTimeout(this.#sweeper);
    for (const connection of [...this.#open]) connection.destroy();
  }

  #take(): H1Connection | undefined {
    const idle = this.#idle;
    const now = performance.now();
    while (idle.length > 0) {
      const connection = idle.pop() as H1Connection;
      if (now - connection.idleSince < Math.min(this.#keepAliveMs, connection.keepAliveMs)) return connection;
      connection.destroy();
    }
    return undefined;
  }

  #connect(): H1Connection {
    const connection = new H1Connection(this);
    this.#open.add(connection);
    return connection;
  }

  readonly #sweep = (): void => {
    this.#sweeper = undefined;
    const now = performance.now();
    let oldest = now;
    for (const connection of [...this.#idle]) {
      if (now - connection.idleSince >= Math.min(this.#keepAliveMs, connection.keepAliveMs))
        connection.destroy();
      else oldest = Math.min(oldest, connection.idleSince);
    }
    if (this.#idle.length > 0) {
      this.#sweeper = setTimeout(this.#sweep, Math.max(10, oldest + this.#keepAliveMs - now));
      this.#sweeper.unref();
    }
  };
}
