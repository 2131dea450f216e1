// What happened to each request, published on node:diagnostics_channel when its response is
// finished, for metrics, access logs and analytics to subscribe to. Costs nothing while nobody
// listens: the response is only watched when the channel has subscribers.
import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportError } from './diagnostics.ts';
import { clientAddress } from './forwarding.ts';
import type { Exchange } from './pipeline/exchange.ts';

export interface RequestRecord {
  requestId: string;
  method: string;
  /** The path as the client sent it, without the query. */
  path: string;
  host: string;
  clientIp: string;
  status: number;
  /** Milliseconds from the request reaching the gateway to the response being sent. */
  durationMs: number;
  /** Milliseconds from sending the upstream request to its response head; undefined if none. */
  upstreamMs: number | undefined;
  /** Bytes written to the client for this response, head included. */
  bytesSent: number;
  /** Bytes of the request body as its Content-Length declares them (at most 1 TiB); 0 for a chunked body. */
  bytesReceived: number;
  /** Set when a route matched. */
  api: { id: string; name: string } | undefined;
  route: { id: string; name: string; metric: string } | undefined;
  consumer:
    | {
        applicationId: string;
        accountId: string;
        planId: string | undefined;
        /** The end user a token was issued for (its `sub`), when the call carried one. */
        subject?: string | undefined;
      }
    | undefined;
  /** True when the client went away before the response was complete (status 499 if nothing was sent). */
  aborted: boolean;
}

export const requestChannel = channel('turnpike:gateway:request');

const kWatch = Symbol('turnpike.observe');

interface Watched {
  requestId: string;
  startedAt: number;
  /** Kept here: the request and the response let go of their socket when they finish. */
  socket: { bytesWritten: number; remoteAddress?: string | undefined } | null;
  /** The socket's byte count when the request began (connections carry many requests). */
  bytesBefore: number;
  /**
   * The peer address when the request began: an HTTP/2 response's socket is a view of its
   * session's, which no longer answers once the stream is closed.
   */
  remoteAddress: string | undefined;
  exchange: Exchange | undefined;
}

type WatchedResponse = ServerResponse & { [kWatch]?: Watched };

/** Starts watching a response, if anyone listens. Call at the start of every request. */
export function watch(res: ServerResponse, requestId: string, startedAt: number): void {
  if (!requestChannel.hasSubscribers) return;
  (res as WatchedResponse)[kWatch] = {
    requestId,
    startedAt,
    socket: res.socket,
    bytesBefore: res.socket?.bytesWritten ?? 0,
    remoteAddress: res.socket?.remoteAddress,
    exchange: undefined,
  };
  // 'close' comes once; `once` would allocate a wrapper for every response.
  res.on('close', onClose);
}

/** Adds what routing found, once it is known. */
export function attach(res: ServerResponse, exchange: Exchange): void {
  const watched = (res as WatchedResponse)[kWatch];
  if (watched !== undefined) watched.exchange = exchange;
}

function onClose(this: WatchedResponse): void {
  const watched = this[kWatch];
  if (watched === undefined) return;
  // Runs in an event handler: an exception here would take the whole process down.
  try {
    requestChannel.publish(record(this, watched));
  } catch (error) {
    reportError(watched.requestId, 'observe', error);
  }
}

function record(res: WatchedResponse, watched: Watched): RequestRecord {
  const req = res.req as IncomingMessage;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const exchange = watched.exchange;
  return {
    requestId: watched.requestId,
    method: req.method ?? '',
    path: q === -1 ? url : url.slice(0, q),
    host: req.headers.host ?? '',
    clientIp: clientAddress(
      watched.socket?.remoteAddress === undefined ? { remoteAddress: watched.remoteAddress } : watched.socket,
      req,
      exchange?.forwarding,
    ),
    // Like nginx's 499: the client left before an answer was started.
    status: !res.headersSent && !res.writableFinished ? 499 : res.statusCode,
    durationMs: performance.now() - watched.startedAt,
    upstreamMs:
      exchange !== undefined && exchange.upstreamAnsweredAt > 0
        ? exchange.upstreamAnsweredAt - exchange.upstreamSentAt
        : undefined,
    bytesSent: Math.max(0, (watched.socket?.bytesWritten ?? 0) - watched.bytesBefore),
    bytesReceived: declaredLength(req.headers['content-length']),
    // The compiled route's own objects, shared by every request on it: nothing to allocate.
    api: exchange?.api,
    route: exchange?.route,
    consumer: exchange?.consumer,
    aborted: !res.writableFinished,
  };
}

/** A client may declare any length (and send nothing): counted up to 1 TiB a request. */
const maxDeclaredLength = 2 ** 40;

function declaredLength(value: string | undefined): number {
  if (value === undefined) return 0;
  const length = Number(value);
  return Number.isSafeInteger(length) && length > 0 ? Math.min(length, maxDeclaredLength) : 0;
}
