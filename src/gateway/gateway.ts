// The gateway: a node:http request listener over the current compiled snapshot. A request reads
// the snapshot once, at its start, so a reload never changes the rules under a request in flight.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ok, type Result } from '../shared/errors.ts';
import { reportError } from './diagnostics.ts';
import type { ForwardingOptions } from './forwarding.ts';
import { attach, watch } from './observe.ts';
import { Exchange } from './pipeline/exchange.ts';
import { runLogPhase } from './pipeline/log.ts';
import { sendPolicyResponse } from './pipeline/respond.ts';
import { type ChainOutcome, runChain } from './pipeline/run.ts';
import { sendProblem } from './problem.ts';
import { requestIdFor } from './request-id.ts';
import { matchEnd, normalizePath } from './router/request-target.ts';
import { hostName } from './router/router.ts';
import { type CompiledSnapshot, compileSnapshot } from './snapshot/compile.ts';
import { forwardableRequestHeaders } from './upstream/headers.ts';
import { defaultTimeouts, UpstreamPools, type UpstreamTimeouts } from './upstream/pools.ts';
import { proxy } from './upstream/proxy.ts';

export interface GatewayOptions {
  /** Upstream timeouts in milliseconds; defaults: connect 5 s, headers 60 s, body (idle) 60 s. */
  timeouts?: Partial<UpstreamTimeouts>;
  /** Addresses or CIDR ranges whose forwarding headers are believed. */
  trustedProxies?: readonly string[];
}

export interface Gateway {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** Validates and compiles a snapshot, then swaps it in; a refused one changes nothing. */
  load(snapshot: unknown): Result<{ version: number }>;
  /** Version of the snapshot being served, if any. */
  readonly version: number | undefined;
  readonly ready: boolean;
  /** Closes the upstream pools, letting requests already sent finish. */
  close(): Promise<void>;
}

const notReady = 'The gateway has not received its configuration yet.';
const badTarget =
  'The request target must be a path starting with "/", with valid percent-encoding, without "." or ".." segments and without encoded "/", "\\" or NUL.';
const duplicateHost = 'The request has more than one Host header.';
const noRoute = 'No route matches this host and path.';

function afterPolicies(exchange: Exchange, outcome: ChainOutcome): void {
  if (outcome === undefined) proxy(exchange);
  else if (outcome instanceof Promise) {
    outcome.then(
      (settled) => afterPolicies(exchange, settled),
      (error: unknown) => fail(exchange.res, exchange.requestId, error),
    );
  } else sendPolicyResponse(exchange, outcome);
}

function fail(res: ServerResponse, requestId: string, error: unknown): void {
  reportError(requestId, 'gateway', error);
  if (res.headersSent) res.destroy();
  else sendProblem(res, 'internal-error', 'The gateway failed to process this request.', requestId);
}

function route(
  snapshot: CompiledSnapshot,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  forwarding: ForwardingOptions,
  startedAt: number,
): void {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const path = normalizePath(q === -1 ? url : url.slice(0, q));
  if (path === undefined) {
    sendProblem(res, 'bad-request', badTarget, requestId);
    return;
  }
  const upstreamHeaders = forwardableRequestHeaders(req);
  if (upstreamHeaders === undefined) {
    sendProblem(res, 'bad-request', duplicateHost, requestId);
    return;
  }

  const host = hostName(req.headers.host);
  const method = req.method ?? 'GET';
  const end = matchEnd(path);
  const target = snapshot.router.find(host, path, end, method);
  if (target === undefined) {
    const allowed = snapshot.router.allowed(host, path, end);
    if (allowed === undefined) {
      sendProblem(res, 'route-not-found', noRoute, requestId);
      return;
    }
    const detail = `${method} is not allowed here; allowed: ${allowed.join(', ')}.`;
    sendProblem(res, 'method-not-allowed', detail, requestId, ['allow', allowed.join(', ')]);
    return;
  }

  const query = q === -1 ? '' : url.slice(q);
  const exchange = new Exchange(
    req,
    res,
    requestId,
    path,
    query,
    host,
    target,
    snapshot.credentials,
    upstreamHeaders,
    forwarding,
    startedAt,
  );
  attach(res, exchange);
  const pipeline = target.pipeline;
  if (pipeline.log.length > 0) runLogPhase(exchange, pipeline.log);
  if (pipeline.request.length === 0) proxy(exchange);
  else afterPolicies(exchange, runChain(pipeline.request, exchange));
}

export function createGateway(options: GatewayOptions = {}): Gateway {
  const pools = new UpstreamPools({ ...defaultTimeouts, ...options.timeouts });
  let current: CompiledSnapshot | undefined;
  const forwarding: ForwardingOptions = { trustedProxies: options.trustedProxies ?? [] };

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const startedAt = performance.now();
    const requestId = requestIdFor(req.headers['x-request-id']);
    watch(res, requestId, startedAt);
    const snapshot = current;
    if (snapshot === undefined) {
      sendProblem(res, 'gateway-not-ready', notReady, requestId);
      return;
    }
    try {
      route(snapshot, req, res, requestId, forwarding, startedAt);
    } catch (error) {
      fail(res, requestId, error);
    }
  }

  return {
    handle,
    load(snapshot: unknown): Result<{ version: number }> {
      const compiled = compileSnapshot(snapshot, pools);
      if (!compiled.ok) {
        pools.retainOnly(current?.origins ?? new Set()); // drop pools made for the refused snapshot
        return compiled;
      }
      current = compiled.value;
      pools.retainOnly(current.origins);
      return ok({ version: current.version });
    },
    get version() {
      return current?.version;
    },
    get ready() {
      return current !== undefined;
    },
    close: () => pools.close(),
  };
}
