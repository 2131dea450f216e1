// Proxies a WebSocket handshake that passed routing and the API's policies: connects to a target
// of the API's upstream (TCP or TLS, as the target URL says), sends the handshake with the
// gateway's headers, and once the upstream answers 101 joins the two sockets until either side
// closes. An upstream that refuses the upgrade has its answer passed on like any response.
import {
  type ClientRequest,
  request as httpRequest,
  type IncomingMessage,
  validateHeaderName,
  validateHeaderValue,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Socket } from 'node:net';
import type { PolicyResponse } from '../../policies/context.ts';
import { reportError } from '../diagnostics.ts';
import { addForwardingHeaders } from '../forwarding.ts';
import type { Exchange } from '../pipeline/exchange.ts';
import { sendPolicyResponse } from '../pipeline/respond.ts';
import { runSyncChain } from '../pipeline/run.ts';
import { sendProblem } from '../problem.ts';
import { forwardableResponseHeaders } from '../upstream/headers.ts';

/** Connecting plus the upstream's answer to the handshake (504 after). */
export const handshakeTimeoutMs = 10_000;
/** How long a closing side may take to flush what is queued for it before it is cut. */
const flushMs = 10_000;

const noTarget = 'Every target of this upstream is failing; try again later.';

class HandshakeTimeout extends Error {
  override name = 'HandshakeTimeout';
}

interface Destination {
  secure: boolean;
  hostname: string;
  port: number;
  /** Path and query for the upstream request line. */
  path: string;
  /** The Host header for the upstream. */
  host: string;
}

/**
 * The one place the WebSocket path asks the API's upstream for a target (read-only: the tunnel
 * is not counted in the target's health or requests in flight). Undefined when none may be tried.
 */
function destination(exchange: Exchange): Destination | undefined {
  const route = exchange.target;
  const target = route.upstream.balancer.pick(exchange, performance.now(), undefined);
  if (target === undefined) return undefined;
  const url = new URL(target.origin);
  const secure = url.protocol === 'https:';
  const rest = route.stripLength === 0 ? exchange.path : exchange.path.slice(route.stripLength);
  return {
    secure,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: (target.pathPrefix + rest || '/') + exchange.query,
    host: target.host,
  };
}

export function proxyWebSocket(exchange: Exchange, clientHead: Buffer): void {
  const to = destination(exchange);
  if (to === undefined) {
    sendProblem(exchange.res, 'upstream-circuit-open', noTarget, exchange.requestId);
    return;
  }
  const headers = exchange.upstreamHeaders;
  headers.push('host', to.host);
  addForwardingHeaders(exchange, headers, exchange.forwarding);
  // The two hop-by-hop headers a handshake needs; the client's went with the others.
  headers.push('connection', 'Upgrade', 'upgrade', 'websocket');

  exchange.upstreamSentAt = performance.now();
  let upstream: ClientRequest;
  try {
    upstream = (to.secure ? httpsRequest : httpRequest)({
      host: to.hostname,
      port: to.port,
      method: 'GET',
      path: to.path,
      headers,
      agent: false, // an upgraded connection is never pooled
      timeout: handshakeTimeoutMs,
    });
  } catch (error) {
    // node:http refused a header a policy set or a path: the gateway built a bad request.
    reportError(exchange.requestId, 'websocket', error);
    sendProblem(
      exchange.res,
      'internal-error',
      'The gateway failed to call the upstream.',
      exchange.requestId,
    );
    return;
  }
  const abandon = () => upstream.destroy();
  exchange.res.once('close', abandon); // the client left before the upstream answered
  upstream.once('timeout', () => upstream.destroy(new HandshakeTimeout()));
  upstream.once('error', (error) => {
    exchange.res.off('close', abandon);
    unreachable(exchange, error);
  });
  upstream.once('upgrade', (answer: IncomingMessage, socket: Socket, upstreamHead: Buffer) => {
    exchange.res.off('close', abandon);
    join(exchange, answer, socket, upstreamHead, clientHead);
  });
  upstream.once('response', (answer: IncomingMessage) => {
    exchange.res.off('close', abandon);
    passOn(exchange, answer);
  });
  upstream.end();
}

/** Response-phase policies see the upstream's answer to the handshake, as for any response. */
function responsePhase(exchange: Exchange, status: number): PolicyResponse | undefined {
  exchange.responseStatus = status;
  exchange.upstreamAnsweredAt = performance.now();
  const handlers = exchange.target.pipeline.response;
  return handlers.length === 0 ? undefined : runSyncChain(handlers, exchange);
}

function join(
  exchange: Exchange,
  answer: IncomingMessage,
  upstream: Socket,
  upstreamHead: Buffer,
  clientHead: Buffer,
): void {
  const client = exchange.req.socket;
  if (client.destroyed) {
    upstream.destroy();
    return;
  }
  const replacement = responsePhase(exchange, 101);
  if (replacement !== undefined) {
    upstream.destroy();
    sendPolicyResponse(exchange, replacement);
    return;
  }
  let head: string;
  try {
    head = switchingProtocols(exchange, answer);
  } catch (error) {
    upstream.destroy();
    reportError(exchange.requestId, 'websocket', error);
    sendProblem(
      exchange.res,
      'internal-error',
      'The gateway failed to relay the handshake.',
      exchange.requestId,
    );
    return;
  }
  exchange.res.statusCode = 101; // the head goes out raw; observers read the status here
  upstream.setTimeout(0);
  upstream.setNoDelay(true);
  client.setTimeout(0);
  client.setNoDelay(true);
  client.write(head);
  if (upstreamHead.length > 0) client.write(upstreamHead);
  if (clientHead.length > 0) upstream.write(clientHead);
  upstream.pipe(client);
  client.pipe(upstream);
  const cut = () => {
    client.destroy();
    upstream.destroy();
  };
  client.once('error', cut);
  upstream.once('error', cut);
  client.once('close', () => closeAfterFlush(upstream));
  upstream.once('close', () => closeAfterFlush(client));
}

/** The 101 for the client: the upstream's headers minus hop-by-hop ones, with the request id. */
function switchingProtocols(exchange: Exchange, answer: IncomingMessage): string {
  const flat = forwardableResponseHeaders(answer.headers, exchange.requestId);
  exchange.applyResponseEdits(flat);
  let head = `HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: ${answer.headers.upgrade ?? 'websocket'}\r\n`;
  for (let i = 0; i < flat.length; i += 2) {
    const name = flat[i] as string;
    const value = flat[i + 1] as string;
    // Written raw, so checked here: a policy's edit must not smuggle a line break in.
    validateHeaderName(name);
    validateHeaderValue(name, value);
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}

/** The upstream answered the handshake with something other than 101: pass it on, then close. */
function passOn(exchange: Exchange, answer: IncomingMessage): void {
  const { res } = exchange;
  const replacement = responsePhase(exchange, answer.statusCode ?? 502);
  if (replacement !== undefined) {
    answer.destroy();
    sendPolicyResponse(exchange, replacement);
    return;
  }
  const flat = forwardableResponseHeaders(answer.headers, exchange.requestId);
  exchange.applyResponseEdits(flat);
  res.writeHead(answer.statusCode ?? 502, flat);
  answer.once('error', () => res.destroy());
  answer.pipe(res);
}

function unreachable(exchange: Exchange, error: Error): void {
  const timedOut = error instanceof HandshakeTimeout;
  sendProblem(
    exchange.res,
    timedOut ? 'upstream-timeout' : 'upstream-unavailable',
    timedOut
      ? 'The upstream did not answer the WebSocket handshake in time.'
      : 'The upstream could not be reached or closed the connection.',
    exchange.requestId,
  );
}

/** One side closed: let the other send what is queued for it, then close it too. */
function closeAfterFlush(socket: Socket): void {
  if (socket.destroyed) return;
  socket.destroySoon();
  setTimeout(() => socket.destroy(), flushMs).unref();
}
