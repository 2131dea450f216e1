// Sends a request on to a target of its upstream and streams the response back, both bodies
// with backpressure: the upstream response pauses while the client is slow to read, the
// request body is read only as fast as the upstream takes it (undici pulls from `req`).
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { reportError } from '../diagnostics.ts';
import { addForwardingHeaders } from '../forwarding.ts';
import type { Exchange } from '../pipeline/exchange.ts';
import { sendPolicyResponse } from '../pipeline/respond.ts';
import { runSyncChain } from '../pipeline/run.ts';
import { sendProblem } from '../problem.ts';
import { classifyUpstreamError } from './errors.ts';
import { forwardableResponseHeaders } from './headers.ts';

const kCall = Symbol('turnpike.proxyCall');
type TrackedResponse = ServerResponse & { [kCall]?: ProxyCall };

class AbandonedError extends Error {
  override name = 'AbandonedError';
  code = 'TP_UPSTREAM_ABANDONED';
}

// Reasons for aborting an upstream call the client will not see the answer to.
const clientGone = new AbandonedError('the client closed the connection');
const replaced = new AbandonedError('a response policy replaced the upstream response');

// Listeners are module functions called with `this` = the response, so no request allocates one.
function onClientClose(this: TrackedResponse): void {
  const call = this[kCall];
  if (call === undefined || call.done) return;
  call.clientClosed = true;
  call.controller?.abort(clientGone);
}

function onClientDrain(this: TrackedResponse): void {
  this[kCall]?.controller?.resume();
}

/** The undici dispatch handler for one proxied request. */
class ProxyCall implements Dispatcher.DispatchHandler {
  readonly exchange: Exchange;
  controller: Dispatcher.DispatchController | undefined = undefined;
  done = false;
  clientClosed = false;
  #watchingDrain = false;

  constructor(exchange: Exchange) {
    this.exchange = exchange;
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.clientClosed) controller.abort(clientGone);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    const exchange = this.exchange;
    exchange.responseStatus = statusCode;
    exchange.upstreamAnsweredAt = performance.now();
    if (exchange.target.pipeline.response.length > 0) {
      const replacement = runSyncChain(exchange.target.pipeline.response, exchange);
      if (replacement !== undefined) {
        this.done = true;
        controller.abort(replaced);
        sendPolicyResponse(exchange, replacement);
        return;
      }
    }
    const flat = forwardableResponseHeaders(headers, exchange.requestId);
    exchange.applyResponseEdits(flat);
    exchange.res.writeHead(statusCode, flat);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const res = this.exchange.res;
    if (res.write(chunk)) return;
    controller.pause();
    if (!this.#watchingDrain) {
      this.#watchingDrain = true;
      res.on('drain', onClientDrain);
    }
  }

  onResponseEnd(): void {
    this.done = true;
    this.exchange.res.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (this.done) return;
    this.done = true;
    this.fail(error);
  }

  fail(error: unknown): void {
    const { res, requestId } = this.exchange;
    if (this.clientClosed || res.destroyed) return;
    // Past the status line there is no way to signal an error but to cut the connection.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const failure = classifyUpstreamError(error);
    if (failure.code === 'internal-error') reportError(requestId, 'upstream', error);
    sendProblem(res, failure.code, failure.detail, requestId);
  }
}

function hasBody(exchange: Exchange): boolean {
  const headers = exchange.req.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

export function proxy(exchange: Exchange): void {
  const { req, target: route } = exchange;
  const target = route.upstream.pick();
  const path = exchange.path;
  const rest = route.stripLength === 0 ? path : path.slice(route.stripLength);
  const upstreamPath = (target.pathPrefix + rest || '/') + exchange.query;

  const headers = exchange.upstreamHeaders;
  headers.push('host', target.host);
  addForwardingHeaders(exchange, headers, exchange.forwarding);

  exchange.upstreamSentAt = performance.now();
  const call = new ProxyCall(exchange);
  const res = exchange.res as TrackedResponse;
  res[kCall] = call;
  res.on('close', onClientClose);
  try {
    target.pool.dispatch(
      { path: upstreamPath, method: exchange.method, headers, body: hasBody(exchange) ? req : null },
      call,
    );
  } catch (error) {
    // undici validates synchronously; a refusal here means the gateway built a bad request.
    call.done = true;
    call.fail(error);
  }
}
