// What happened to each request, published on node:diagnostics_channel when its response is
// finished, for metrics, access logs and analytics to subscribe to. Costs nothing while nobody
// listens: the response is only watched when the channel has subscribers.
import { channel } from 'node:diagnostics_channel';
import type { IncomingMessage, ServerResponse } from 'node:http';
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
  /** Bytes of the response body sent to the client. */
  bytesSent: number;
  /** Set when a route matched. */
  api: { id: string; name: string } | undefined;
  route: { id: string; name: string; metric: string } | undefined;
  consumer: { applicationId: string; accountId: string; planId: string | undefined } | undefined;
  /** True when the client went away before the response was complete. */
  aborted: boolean;
}

export const requestChannel = channel('turnpike:gateway:request');

const kWatch = Symbol('turnpike.observe');

interface Watched {
  requestId: string;
  startedAt: number;
  exchange: Exchange | undefined;
}

type WatchedResponse = ServerResponse & { [kWatch]?: Watched };

/** Starts watching a response, if anyone listens. Call at the start of every request. */
export function watch(res: ServerResponse, requestId: string, startedAt: number): void {
  if (!requestChannel.hasSubscribers) return;
  (res as WatchedResponse)[kWatch] = { requestId, startedAt, exchange: undefined };
  res.once('close', onClose);
}

/** Adds what routing found, once it is known. */
export function attach(res: ServerResponse, exchange: Exchange): void {
  const watched = (res as WatchedResponse)[kWatch];
  if (watched !== undefined) watched.exchange = exchange;
}

function onClose(this: WatchedResponse): void {
  const watched = this[kWatch];
  if (watched === undefined) return;
  const req = this.req as IncomingMessage;
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const exchange = watched.exchange;
  const record: RequestRecord = {
    requestId: watched.requestId,
    method: req.method ?? '',
    path: q === -1 ? url : url.slice(0, q),
    host: req.headers.host ?? '',
    clientIp: req.socket.remoteAddress ?? '',
    status: this.statusCode,
    durationMs: performance.now() - watched.startedAt,
    upstreamMs:
      exchange !== undefined && exchange.upstreamAnsweredAt > 0
        ? exchange.upstreamAnsweredAt - exchange.upstreamSentAt
        : undefined,
    bytesSent: Number(this.getHeader('content-length') ?? 0) || 0,
    api: exchange !== undefined ? { id: exchange.api.id, name: exchange.api.name } : undefined,
    route:
      exchange !== undefined
        ? { id: exchange.route.id, name: exchange.route.name, metric: exchange.route.metric }
        : undefined,
    consumer: exchange?.consumer,
    aborted: !this.writableFinished,
  };
  requestChannel.publish(record);
}
