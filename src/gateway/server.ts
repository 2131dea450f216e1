// node:http servers for the gateway (and the status port): listen, report the bound address,
// and close gracefully — stop accepting, let requests in flight finish, cut the rest after a grace.
import { randomUUID } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type ErrorCode, errorCodes, problem } from '../shared/errors.ts';
import type { Gateway } from './gateway.ts';
import { sendProblem } from './problem.ts';
import { requestIdFor } from './request-id.ts';

export interface ServerOptions {
  /** Default 127.0.0.1; "0.0.0.0" or "::" to listen on every interface. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Milliseconds an idle client connection stays open. Default 65 s: longer than the 60 s idle
   * timeout of common load balancers, so the balancer, not the gateway, closes idle connections
   * and never sends a request onto a socket the gateway is closing.
   */
  keepAliveTimeout?: number;
  /** Milliseconds a client may take to send the request headers. Default 30 s. */
  headersTimeout?: number;
}

export interface RunningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting, waits for requests in flight up to `graceMs` (default 10 s), then cuts. */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(
  listener: RequestListener,
  options: ServerOptions = {},
): Promise<RunningServer> {
  let draining = false;
  const server = createServer(
    {
      keepAliveTimeout: options.keepAliveTimeout ?? 65_000,
      headersTimeout: options.headersTimeout ?? 30_000,
      noDelay: true,
      // Checked below instead, so the answer is a problem like every other gateway error.
      requireHostHeader: false,
    },
    (req, res) => {
      // While draining, answer with "Connection: close" so clients stop reusing the connection.
      if (draining) res.shouldKeepAlive = false;
      if (req.headers.host === undefined && req.httpVersionMajor === 1 && req.httpVersionMinor === 1) {
        sendProblem(
          res,
          'bad-request',
          'An HTTP/1.1 request must have a Host header.',
          requestIdFor(req.headers['x-request-id']),
        );
        return;
      }
      listener(req, res);
    },
  );
  server.on('clientError', answerClientError);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        draining = true;
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        // Connections busy at close() turn idle as their responses finish; close them then
        // rather than at the grace deadline.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** The gateway's public port (default 8000 in the CLI; here 0 unless given). */
export function startGatewayServer(
  gateway: Pick<Gateway, 'handle'>,
  options: ServerOptions = {},
): Promise<RunningServer> {
  return startServer(gateway.handle, options);
}

/**
 * Requests Node's parser refuses (conflicting Content-Length and Transfer-Encoding, a repeated
 * Content-Length, headers too large, garbage) get a problem+json answer like every other gateway
 * error, then the connection closes: after a parse error nothing more on it can be trusted.
 */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
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
  socket.end(
    `HTTP/1.1 ${errorCodes[code].status} ${errorCodes[code].title}\r\n` +
      'content-type: application/problem+json\r\n' +
      `content-length: ${Buffer.byteLength(body)}\r\n` +
      `x-request-id: ${requestId}\r\n` +
      'connection: close\r\n\r\n' +
      body,
  );
}
