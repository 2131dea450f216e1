// node:http servers for the gateway (and the status port): listen under the client limits, report
// the bound address, answer what the parser refuses with problem+json, and close gracefully —
// stop accepting, let requests in flight finish, cut the rest after a grace. The HTTPS/HTTP2
// listener (listeners/tls.ts) is built from the same pieces.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Server as NetServer } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ErrorCode, errorCodes, problem } from '../shared/errors.ts';
import type { ClientLimits } from '../shared/gateway-settings.ts';
import type { Gateway } from './gateway.ts';
import { sendProblem } from './problem.ts';
import { requestIdFor } from './request-id.ts';
import { isWebSocketUpgrade } from './websocket/handshake.ts';

export interface ServerOptions {
  /** Default 127.0.0.1; "0.0.0.0" or "::" to listen on every interface. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** Client limits; each one missing takes its default (defaultLimits). */
  limits?: Partial<ClientLimits>;
  /** @deprecated use `limits.keepAliveTimeoutMs` */
  keepAliveTimeout?: number;
  /** @deprecated use `limits.headersTimeoutMs` */
  headersTimeout?: number;
}

/** The same defaults as the node settings (src/shared/gateway-settings.ts). */
export const defaultLimits: ClientLimits = {
  maxHeaderBytes: 16_384,
  headersTimeoutMs: 30_000,
  requestTimeoutMs: 120_000,
  // Longer than the 60 s idle timeout of common load balancers, so the balancer, not the gateway,
  // closes idle connections and never sends a request onto a socket the gateway is closing.
  keepAliveTimeoutMs: 65_000,
};

export function resolveLimits(limits: Partial<ClientLimits> = {}): ClientLimits {
  const merged = { ...defaultLimits };
  for (const [name, value] of Object.entries(limits) as [keyof ClientLimits, number | undefined][])
    if (value !== undefined) merged[name] = value;
  // Node refuses a head timeout longer than the whole-request timeout; the head is part of it.
  return { ...merged, headersTimeoutMs: Math.min(merged.headersTimeoutMs, merged.requestTimeoutMs) };
}

/** node:http's settings for the limits; the TLS listener sets them on its HTTP/1.1 side too. */
export function http1Settings(limits: ClientLimits) {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks both timeouts on this interval (30 s by default): a tenth of the head timeout,
    // at most a second, so a slow client is cut close to its deadline.
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(limits.headersTimeoutMs / 10))),
  };
}

export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface RunningServer<S extends NetServer = Server> {
  readonly server: S;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` (or `https://`) */
  readonly url: string;
  /** Stops accepting, waits for requests in flight up to `graceMs` (default 10 s), then cuts. */
  close(graceMs?: number): Promise<void>;
}

/** What a server's close() needs: whether it is draining, and its upgraded (WebSocket) sockets. */
export class Lifecycle {
  draining = false;
  readonly upgraded = new Set<Duplex>();

  /** Wraps the request listener: Connection: close while draining; 400 for HTTP/1.1 without Host. */
  guard(listener: RequestListener): RequestListener {
    return (req, res) => {
      if (this.draining) res.shouldKeepAlive = false;
      if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
        const requestId = requestIdFor(req.headers['x-request-id']);
        sendProblem(res, 'bad-request', 'An HTTP/1.1 request must have a Host header.', requestId);
        return;
      }
      listener(req, res);
    };
  }

  /** Wraps the upgrade listener so close() can cut tunnels that outlast the grace period. */
  trackUpgrades(upgrade: UpgradeListener): UpgradeListener {
    return (req, socket, head) => {
      this.upgraded.add(socket);
      socket.once('close', () => this.upgraded.delete(socket));
      upgrade(req, socket, head);
    };
  }

  cutUpgraded(): void {
    for (const socket of this.upgraded) socket.destroy();
    this.upgraded.clear();
  }
}

/** How close() reaches a server's connections. */
export interface Connections {
  /** Closes the connections with no request in flight. */
  closeIdle(): void;
  /** Cuts every connection. */
  closeAll(): void;
}

export async function listen(server: NetServer, host: string, port: number): Promise<AddressInfo> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

export function runningServer<S extends NetServer>(
  server: S,
  address: AddressInfo,
  scheme: 'http' | 'https',
  lifecycle: Lifecycle,
  connections: Connections,
): RunningServer<S> {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `${scheme}://${host}:${address.port}`,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        lifecycle.draining = true;
        const cut = setTimeout(() => {
          connections.closeAll();
          lifecycle.cutUpgraded();
        }, graceMs);
        // Connections busy at close() turn idle as their responses finish; close them then
        // rather than at the grace deadline.
        const sweep = setInterval(() => connections.closeIdle(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        connections.closeIdle();
      });
      return closing;
    },
  };
}

async function startHttpServer(
  listener: RequestListener,
  options: ServerOptions,
  upgrade: UpgradeListener | undefined,
): Promise<RunningServer> {
  const lifecycle = new Lifecycle();
  const limits = resolveLimits({
    keepAliveTimeoutMs: options.keepAliveTimeout,
    headersTimeoutMs: options.headersTimeout,
    ...options.limits,
  });
  const server = createServer(
    {
      ...http1Settings(limits),
      noDelay: true,
      // Checked in Lifecycle.guard instead, so the answer is a problem like every other one.
      requireHostHeader: false,
      // Only WebSocket handshakes become 'upgrade' events; other Upgrade headers (h2c) are
      // ignored and the request is served as usual. Node 22 lacks the option and sends every
      // upgrade to the listener, which refuses non-WebSocket ones.
      ...(upgrade === undefined ? {} : { shouldUpgradeCallback: isWebSocketUpgrade }),
    },
    lifecycle.guard(listener),
  );
  server.on('clientError', answerClientError);
  if (upgrade !== undefined) server.on('upgrade', lifecycle.trackUpgrades(upgrade));
  const address = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  return runningServer(server, address, 'http', lifecycle, {
    closeIdle: () => server.closeIdleConnections(),
    closeAll: () => server.closeAllConnections(),
  });
}

export function startServer(listener: RequestListener, options: ServerOptions = {}): Promise<RunningServer> {
  return startHttpServer(listener, options, undefined);
}

/** What a listener needs of a gateway; `upgrade` (WebSocket) is optional. */
export type GatewayHandlers = Pick<Gateway, 'handle'> & Partial<Pick<Gateway, 'upgrade'>>;

/**
 * The gateway's plain HTTP/1.1 port (default 8000 in the CLI; here 0 unless given), with
 * WebSocket upgrades when the gateway handles them. `limits` wins over `options.limits`.
 */
export function startGatewayServer(
  gateway: GatewayHandlers,
  options: ServerOptions = {},
  limits?: Partial<ClientLimits>,
): Promise<RunningServer> {
  const merged = { ...options, limits: { ...options.limits, ...limits } };
  return startHttpServer(gateway.handle, merged, gateway.upgrade);
}

/**
 * Requests Node's parser refuses (conflicting Content-Length and Transfer-Encoding, a repeated
 * Content-Length, headers too large, garbage) or that are too slow (head or whole request past
 * its timeout) get a problem+json answer like every other gateway error, then the connection
 * closes: after a parse error nothing more on it can be trusted.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (error.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const code: ErrorCode =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? 'headers-too-large'
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? 'request-timeout'
        : 'bad-request';
  const detail =
    code === 'headers-too-large'
      ? 'The request headers are larger than the gateway accepts.'
      : code === 'request-timeout'
        ? 'The request was not received in time.'
        : 'The request could not be parsed: its framing is malformed or ambiguous.';
  const requestId = randomUUID();
  const body = JSON.stringify(problem(code, detail, { requestId }));
  // Closed once the answer is out, not when the client agrees: a slow client may never send FIN.
  socket.once('finish', () => socket.destroy());
  socket.end(
    `HTTP/1.1 ${errorCodes[code].status} ${errorCodes[code].title}\r\n` +
      'content-type: application/problem+json\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
