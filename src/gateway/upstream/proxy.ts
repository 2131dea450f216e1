// Sends a request on to a target of its upstream and streams the response back, both bodies
// with backpressure: the upstream response pauses while the client is slow to read, the
// request body is read only as fast as the upstream takes it (undici pulls from `req`).
//
// One ProxyCall per request sequences the pieces, each in its own file: the balancer picks a
// target that may be tried (balancer.ts), the circuit breaker judges every attempt's outcome
// (../health/circuit-breaker.ts), errors.ts says what a failure means, the retry rule (retry.ts)
// and the budget (retry-budget.ts) decide whether to try again elsewhere, and undici enforces the
// upstream's timeouts per request. See README.md in this folder.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { reportError } from '../diagnostics.ts';
import { addForwardingHeaders } from '../forwarding.ts';
import { claimTrial, recordFailure, recordSuccess, releaseTrial } from '../health/circuit-breaker.ts';
import type { Exchange } from '../pipeline/exchange.ts';
import { sendPolicyResponse } from '../pipeline/respond.ts';
import { runSyncChain } from '../pipeline/run.ts';
import { sendProblem } from '../problem.ts';
import { runTracedResponsePhase } from '../tracing/phases.ts';
import type { UpstreamAttempt } from '../tracing/upstream-attempt.ts';
import type { Target } from './balancer.ts';
import { classifyUpstreamError, isFailureStatus, type UpstreamFailure } from './errors.ts';
import type { ResponseHeaders, UpstreamController, UpstreamHandler } from './h1/dispatch.ts';
import { forwardableResponseHeaders, setHeader } from './headers.ts';
import { hasBody, mayRetry, retryTarget } from './retry.ts';
import type { Upstream } from './upstream.ts';

const kCall = Symbol('turnpike.proxyCall');
type TrackedResponse = ServerResponse & { [kCall]?: ProxyCall };

class AbandonedError extends Error {
  override name = 'AbandonedError';
  code = 'TP_UPSTREAM_ABANDONED';
}

// Reasons for aborting an upstream call the client will not see the answer to.
const clientGone = new AbandonedError('the client closed the connection');
const replaced = new AbandonedError('a response policy replaced the upstream response');
const retrying = new AbandonedError('the failed answer is retried on another attempt');

const circuitOpen = 'Every target of this upstream is failing; try again later.';

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

/**
 * The dispatch handler for one proxied request, across its attempts. Each attempt gets its own
 * controller from the pool; callbacks from an attempt the call has moved on from are ignored.
 */
class ProxyCall implements UpstreamHandler {
  readonly exchange: Exchange;
  readonly upstream: Upstream;
  /** The request path below the base path (when stripped): what follows the target's prefix. */
  readonly #rest: string;
  readonly #body: IncomingMessage | null;
  /** Where the Host value sits in the upstream headers, to change it for another target. */
  readonly #hostAt: number;
  /** Where the traceparent value sits, when traced: each attempt puts its own span's there. */
  readonly #traceAt: number;
  /** The current attempt's client span, when traced. */
  #attempt: UpstreamAttempt | undefined = undefined;
  readonly #retryable: boolean;
  /** The current attempt's; null until undici starts it (connect errors come before). */
  controller: UpstreamController | null = null;
  /** The client's response is settled: ended, replaced by a policy, or failed. */
  done = false;
  clientClosed = false;
  #target: Target;
  /** This attempt is the circuit breaker's half-open trial. */
  #trial = false;
  /** The breaker has this attempt's verdict. */
  #judged = false;
  /** This attempt counts in its target's requests in flight. */
  #inflight = false;
  #retries = 0;
  #watchingDrain = false;
  /** Body chunks held until this turn of the event loop ends; undefined once written. */
  #held: Buffer[] | undefined = [];
  #queued = false;
  /** The upstream's response ended while its body was held. */
  #ended = false;

  constructor(
    exchange: Exchange,
    upstream: Upstream,
    target: Target,
    rest: string,
    hostAt: number,
    traceAt: number,
  ) {
    this.exchange = exchange;
    this.upstream = upstream;
    this.#target = target;
    this.#rest = rest;
    this.#hostAt = hostAt;
    this.#traceAt = traceAt;
    this.#body = hasBody(exchange) ? exchange.req : null;
    this.#retryable = mayRetry(upstream, exchange.method, this.#body !== null);
  }

  send(target: Target): void {
    this.#target = target;
    this.#trial = claimTrial(target.health);
    this.#judged = false;
    this.#inflight = true;
    target.health.inflight++;
    this.controller = null;
    const { exchange, upstream } = this;
    const path = target.pathPrefix + this.#rest || '/';
    if (exchange.trace !== undefined) {
      this.#attempt = exchange.trace.startAttempt(upstream, target, path, this.#retries);
      exchange.upstreamHeaders[this.#traceAt] = this.#attempt.traceparent;
    }
    try {
      // undici reports what it refuses synchronously, through onResponseError.
      target.pool.dispatch(
        {
          path: path + exchange.query,
          method: exchange.method,
          headers: exchange.upstreamHeaders,
          headersChecked: true,
          body: this.#body,
          headersTimeout: upstream.responseMs,
          bodyTimeout: upstream.idleMs,
        },
        this,
      );
    } catch (error) {
      this.#finish(error);
      this.#judge(undefined);
      this.done = true;
      this.fail(classifyUpstreamError(error), error);
    }
  }

  onRequestStart(controller: UpstreamController): void {
    this.controller = controller;
    if (this.clientClosed) controller.abort(clientGone);
  }

  onResponseStart(controller: UpstreamController, statusCode: number, headers: ResponseHeaders): void {
    if (controller !== this.controller) return;
    this.#attempt?.answered(statusCode);
    const failed = isFailureStatus(statusCode);
    this.#judge(!failed);
    if (failed) {
      const next = this.#retryTarget(true);
      if (next !== undefined) {
        this.#finish();
        this.controller = null;
        controller.abort(retrying);
        this.#retry(next);
        return;
      }
    }
    const exchange = this.exchange;
    exchange.responseStatus = statusCode;
    exchange.upstreamAnsweredAt = performance.now();
    if (exchange.target.pipeline.response.length > 0) {
      const replacement =
        exchange.trace === undefined
          ? runSyncChain(exchange.target.pipeline.response, exchange)
          : runTracedResponsePhase(exchange, exchange.trace);
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

  onResponseData(controller: UpstreamController, chunk: Buffer): void {
    if (this.#held !== undefined) this.#hold(chunk);
    else this.#write(controller, chunk);
  }

  #write(controller: UpstreamController, chunk: Buffer): void {
    const res = this.exchange.res;
    if (res.write(chunk)) return;
    controller.pause();
    if (!this.#watchingDrain) {
      this.#watchingDrain = true;
      res.on('drain', onClientDrain);
    }
  }

  onResponseEnd(controller: UpstreamController): void {
    if (controller !== this.controller) return;
    this.#finish();
    this.done = true;
    if (this.#held !== undefined) {
      this.#ended = true;
      this.#hold(undefined);
    } else this.exchange.res.end();
  }

  /**
   * Holds what the upstream sent until the event loop has read every socket that was ready, then
   * writes it (flushHeld): responses that complete in the meantime go out as one write each, and
   * the client's side is woken once for many of them. Later chunks are written as they come.
   */
  #hold(chunk: Buffer | undefined): void {
    const held = this.#held as Buffer[];
    if (held.length === 0 && !this.#queued) {
      this.#queued = true;
      if (heldCalls.length === 0) setImmediate(flushHeld);
      heldCalls.push(this);
    }
    if (chunk !== undefined) held.push(chunk);
  }

  /** Writing the held response threw: the client's connection is cut. */
  failHeld(error: unknown): void {
    reportError(this.exchange.requestId, 'gateway', error);
    this.exchange.res.destroy();
  }

  flushHeld(): void {
    const held = this.#held as Buffer[];
    this.#held = undefined;
    const res = this.exchange.res;
    if (res.destroyed) return;
    if (this.#ended) {
      if (held.length === 1) res.end(held[0]);
      else {
        for (const chunk of held) res.write(chunk);
        res.end();
      }
      return;
    }
    const controller = this.controller;
    if (controller !== null) for (const chunk of held) this.#write(controller, chunk);
  }

  onResponseError(controller: UpstreamController | null | undefined, error: Error): void {
    // Errors before the attempt started (connect, refused dispatch) come without a controller.
    if ((controller ?? null) !== this.controller) return;
    // Once done (a policy replaced the answer), the abort that follows is no failure of the attempt.
    this.#finish(this.done ? undefined : error);
    if (this.done) return;
    if (this.clientClosed) {
      this.done = true;
      this.#judge(undefined);
      return;
    }
    const failure = classifyUpstreamError(error);
    if (this.#judged) {
      // The response had started: a body that stalls or breaks still counts against the target.
      const passive = this.upstream.passive;
      if (failure.targetFault && passive !== null)
        recordFailure(this.#target.health, passive, performance.now(), false);
    } else {
      this.#judge(failure.targetFault ? false : undefined);
      const next = this.#retryTarget(failure.retryable);
      if (next !== undefined) {
        this.#retry(next);
        return;
      }
    }
    this.done = true;
    this.fail(failure, error);
  }

  fail(failure: UpstreamFailure, error: unknown): void {
    const { res, requestId } = this.exchange;
    if (this.clientClosed || res.destroyed) return;
    // Past the status line there is no way to signal an error but to cut the connection.
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (failure.code === 'internal-error') reportError(requestId, 'upstream', error);
    sendProblem(res, failure.code, failure.detail, requestId);
  }

  /** Gives the circuit breaker this attempt's outcome, once; undefined: no verdict. */
  #judge(ok: boolean | undefined): void {
    if (this.#judged) return;
    this.#judged = true;
    const health = this.#target.health;
    const passive = this.upstream.passive;
    if (ok === undefined || passive === null) {
      if (this.#trial) releaseTrial(health);
    } else if (ok) recordSuccess(health, this.#trial);
    else recordFailure(health, passive, performance.now(), this.#trial);
  }

  /** The attempt is over (`error`: how it failed); once per attempt. */
  #finish(error?: unknown): void {
    if (!this.#inflight) return;
    this.#inflight = false;
    this.#target.health.inflight--;
    if (this.#attempt !== undefined) {
      this.#attempt.end(error);
      this.#attempt = undefined;
    }
  }

  /** The target for another attempt, if this request may have one (see retry.ts). */
  #retryTarget(allowed: boolean): Target | undefined {
    if (!allowed || !this.#retryable || this.clientClosed || this.exchange.res.headersSent) return undefined;
    return retryTarget(this.upstream, this.exchange, this.#target, this.#retries);
  }

  #retry(next: Target): void {
    this.#retries++;
    if (next !== this.#target) this.exchange.upstreamHeaders[this.#hostAt] = next.host;
    this.send(next);
  }
}

let heldCalls: ProxyCall[] = [];
function flushHeld(): void {
  const calls = heldCalls;
  heldCalls = [];
  for (const call of calls) {
    try {
      call.flushHeld();
    } catch (error) {
      call.failHeld(error); // one response that cannot be written does not hold back the others
    }
  }
}

export function proxy(exchange: Exchange): void {
  const route = exchange.target;
  const upstream = route.upstream;
  const now = exchange.startedAt;
  const target = upstream.balancer.pick(exchange, now, undefined);
  if (target === undefined) {
    const retryAfter = String(upstream.retryAfterSeconds(performance.now()));
    sendProblem(exchange.res, 'upstream-circuit-open', circuitOpen, exchange.requestId, [
      'retry-after',
      retryAfter,
    ]);
    return;
  }
  if (upstream.retries.attempts > 0) upstream.budget.recordRequest(now);
  const path = exchange.path;
  const rest = route.stripLength === 0 ? path : path.slice(route.stripLength);

  const headers = exchange.upstreamHeaders;
  let traceAt = -1;
  if (exchange.trace !== undefined) {
    setHeader(headers, 'traceparent', ''); // filled in by each attempt
    traceAt = headers.length - 1;
  }
  const hostAt = headers.length + 1;
  headers.push('host', target.host);
  addForwardingHeaders(exchange, headers, exchange.forwarding);

  exchange.upstreamSentAt = performance.now();
  const call = new ProxyCall(exchange, upstream, target, rest, hostAt, traceAt);
  const res = exchange.res as TrackedResponse;
  res[kCall] = call;
  res.on('close', onClientClose);
  call.send(target);
}
