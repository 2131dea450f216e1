// The gateway: a node:http request listener (and WebSocket upgrade listener) over the current
// compiled snapshot. A request reads the snapshot once, at its start, so a reload never changes
// the rules under a request in flight.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { UsageRecorder } from '../policies/counters.ts';
import type { RequestLogSink } from '../policies/request-log-entry.ts';
import { ok, type Result, fail as refuse } from '../shared/errors.ts';
import { analyticsCollector } from './analytics/collector.ts';
import { enforceBodyLimit } from './body-limit.ts';
import { reportError } from './diagnostics.ts';
import { type ForwardingOptions, forwardingOptions } from './forwarding.ts';
import { MemoryCounterStore } from './limits/memory-store.ts';
import type { CounterSeed, CounterStore, LimitCheck, Verdict } from './limits/store.ts';
import { usageMeter } from './metering/usage-meter.ts';
import { attach, watch } from './observe.ts';
import { Exchange } from './pipeline/exchange.ts';
import { runLogPhase } from './pipeline/log.ts';
import { sendPolicyResponse } from './pipeline/respond.ts';
import { type ChainOutcome, runChain } from './pipeline/run.ts';
import { sendProblem } from './problem.ts';
import { requestIdFor } from './request-id.ts';
import { matchEnd, normalizePath, splitAbsoluteForm } from './router/request-target.ts';
import { hostName } from './router/router.ts';
import { type CompiledRoute, type CompiledSnapshot, compileSnapshot } from './snapshot/compile.ts';
import { applyDelta, composeDeltas, onlyCredentialsChange, type SnapshotDelta } from './snapshot/delta.ts';
import type { Snapshot } from './snapshot/types.ts';
import { addTraceContext } from './trace-context.ts';
import { runTracedPhases } from './tracing/phases.ts';
import type { RequestTrace } from './tracing/request-trace.ts';
import type { GatewayTracer } from './tracing/tracer.ts';
import { forwardableRequestHeaders } from './upstream/headers.ts';
import { defaultTimeouts, UpstreamPools } from './upstream/pools.ts';
import { proxy } from './upstream/proxy.ts';
import { handshakeProblem, upgradeResponse } from './websocket/handshake.ts';
import { proxyWebSocket } from './websocket/proxy.ts';

export interface GatewayOptions {
  /** Addresses or CIDR ranges whose forwarding headers are believed. */
  trustedProxies?: readonly string[];
  /** Where rate limits and quotas are counted; in this process unless given (Redis, the primary). */
  counters?: CounterStore;
  /** Where usage is metered; the process's meter unless given (tests). */
  meter?: UsageRecorder;
  /** Spans for each request, when an OTLP endpoint is configured (../tracing/). */
  tracer?: GatewayTracer;
  /** Where request-log entries go; the process's analytics collector unless given (tests). */
  requestLog?: RequestLogSink;
}

export interface Gateway {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The node:http 'upgrade' listener: WebSocket handshakes, routed and authorized like requests. */
  readonly upgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /**
   * Validates (unless `trusted`) and compiles a snapshot, then swaps it in; a refused one
   * changes nothing and the last good one keeps serving.
   */
  load(snapshot: unknown, options?: { trusted?: boolean }): Result<{ version: number }>;
  /** Applies the changes since the snapshot being served; refused when it does not follow it. */
  loadDelta(delta: SnapshotDelta): Result<{ version: number }>;
  /** The snapshot being served, as plain data (to write to disk, to diff against). */
  readonly snapshot: Snapshot | undefined;
  /** What metrics need of the snapshot being served, without building it as plain data. */
  readonly summary: SnapshotSummary | undefined;
  /** Whether each target of the snapshot being served is in rotation, for metrics. */
  targetHealth(): { upstreamId: string; upstream: string; target: string; healthy: boolean }[];
  /** Version of the snapshot being served, if any. */
  readonly version: number | undefined;
  readonly ready: boolean;
  /** Adds usage counted before this process started to its own counters (none with Redis or a primary). */
  seedCounters(seeds: readonly CounterSeed[]): void;
  /** What the counters hold now for these limits, counting nothing. */
  peekCounters(checks: readonly LimitCheck[]): Promise<Verdict>;
  /** Closes the upstream pools, letting requests already sent finish. */
  close(): Promise<void>;
}

export type SnapshotSummary = Pick<Snapshot, 'version' | 'createdAt' | 'apis' | 'upstreams'>;

/** Credential-only changes kept unapplied to the plain snapshot are folded into one past this. */
const maxPendingDeltas = 64;

const notReady = 'The gateway has not received its configuration yet.';
const badTarget =
  'The request target must be a path starting with "/", with valid percent-encoding, without "." or ".." segments and without encoded "/", "\\" or NUL.';
const unservedHost = 'An absolute-form request target must name a host that an API serves.';
const duplicateHost = 'The request has more than one Host header.';
const noRoute = 'No route matches this host and path.';

/** What happens to a request that passed its policies: proxy it, or its WebSocket handshake. */
type Forward = (exchange: Exchange) => void;

function afterPolicies(exchange: Exchange, outcome: ChainOutcome, forward: Forward): void {
  if (outcome === undefined) forward(exchange);
  else if (outcome instanceof Promise) {
    outcome.then(
      (settled) => afterPolicies(exchange, settled, forward),
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
  forward: Forward,
  /** Undefined without tracing; null when tracing chose not to record this request. */
  trace: RequestTrace | null | undefined,
): void {
  let url = req.url ?? '';
  let host: string;
  if (url.charCodeAt(0) === 47) host = hostName(req.headers.host);
  else {
    // Absolute-form (RFC 9112 §3.2.2) only for a host some API names; its authority replaces
    // Host, for routing and for what goes upstream. Anything else that is not a path is a 400.
    const absolute = splitAbsoluteForm(url);
    if (absolute === undefined) {
      sendProblem(res, 'bad-request', badTarget, requestId);
      return;
    }
    host = hostName(absolute.authority);
    if (!snapshot.router.servesHost(host)) {
      sendProblem(res, 'bad-request', unservedHost, requestId);
      return;
    }
    req.headers.host = absolute.authority;
    url = absolute.originForm;
  }
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

  const method = req.method ?? 'GET';
  const end = matchEnd(path);
  const target =
    snapshot.router.find(host, path, end, method) ?? preflightTarget(snapshot, req, host, path, end);
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
  const bodyLimit = target.maxBodyBytes; // the API's, put on each route by the compiler
  if (bodyLimit !== null && !enforceBodyLimit(req, res, bodyLimit, requestId)) return;
  addTraceContext(req.headers, upstreamHeaders, trace !== null);

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
  trace?.routed(exchange);
  const pipeline = target.pipeline;
  if (pipeline.log.length > 0) runLogPhase(exchange, pipeline.log);
  if (pipeline.request.length === 0) forward(exchange);
  else if (exchange.trace === undefined)
    afterPolicies(exchange, runChain(pipeline.request, exchange), forward);
  else afterPolicies(exchange, runTracedPhases(pipeline, exchange, exchange.trace), forward);
}

/**
 * A CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) to a route that does
 * not take OPTIONS borrows the chain of the route for the method it asks about, when that chain
 * has the cors policy: the policy answers it, nothing goes upstream.
 */
function preflightTarget(
  snapshot: CompiledSnapshot,
  req: IncomingMessage,
  host: string,
  path: string,
  end: number,
): CompiledRoute | undefined {
  const requested = req.headers['access-control-request-method'];
  if (req.method !== 'OPTIONS' || requested === undefined || !req.headers.origin) return undefined;
  const borrowed = snapshot.router.find(host, path, end, requested.toUpperCase());
  return borrowed?.pipeline.answersPreflight ? borrowed : undefined;
}

export function createGateway(options: GatewayOptions = {}): Gateway {
  // Each upstream's own timeouts go with its pools and requests (snapshot `timeouts`).
  const pools = new UpstreamPools(defaultTimeouts);
  const counters = options.counters ?? new MemoryCounterStore();
  const meter = options.meter ?? usageMeter;
  const tracer = options.tracer;
  const requestLog = options.requestLog ?? analyticsCollector;
  let current: CompiledSnapshot | undefined;
  // The plain snapshot is `base` with `pending` applied. Credential-only changes go straight into
  // the compiled index; the plain form is rebuilt from them only when someone asks for it.
  let base: Snapshot | undefined;
  let pending: SnapshotDelta[] = [];
  let createdAt = '';

  function plain(): Snapshot | undefined {
    if (base !== undefined && pending.length > 0) {
      base = applyDelta(base, composeDeltas(pending));
      pending = [];
    }
    return base;
  }

  function loadCredentials(compiled: CompiledSnapshot, delta: SnapshotDelta): Result<{ version: number }> {
    const errors = compiled.credentials.applyChanges(
      delta.applications,
      delta.keys,
      compiled.apiIds,
      delta.credentials,
    );
    if (errors.length > 0) {
      return refuse('snapshot-invalid', `The changes have ${errors.length} problem(s).`, errors);
    }
    current = { ...compiled, version: delta.to };
    createdAt = delta.createdAt;
    pending.push(delta);
    if (pending.length > maxPendingDeltas) pending = [composeDeltas(pending)];
    return ok({ version: delta.to });
  }

  const forwarding = forwardingOptions(options.trustedProxies ?? []);

  function handle(req: IncomingMessage, res: ServerResponse): void {
    serve(req, res, proxy);
  }

  function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const res = upgradeResponse(req, socket);
    const problem = handshakeProblem(req);
    if (problem === undefined) serve(req, res, (exchange) => proxyWebSocket(exchange, head));
    else sendProblem(res, 'bad-request', problem, requestIdFor(req.headers['x-request-id']));
  }

  function serve(req: IncomingMessage, res: ServerResponse, forward: Forward): void {
    const startedAt = performance.now();
    const requestId = requestIdFor(req.headers['x-request-id']);
    watch(res, requestId, startedAt);
    const trace = tracer?.begin(req, res, requestId);
    const snapshot = current;
    if (snapshot === undefined) {
      sendProblem(res, 'gateway-not-ready', notReady, requestId);
      return;
    }
    try {
      route(snapshot, req, res, requestId, forwarding, startedAt, forward, trace);
    } catch (error) {
      fail(res, requestId, error);
    }
  }

  return {
    handle,
    upgrade,
    load(snapshot: unknown, options: { trusted?: boolean } = {}): Result<{ version: number }> {
      const compiled = compileSnapshot(snapshot, pools, { ...options, counters, meter, requestLog });
      if (!compiled.ok) {
        pools.retainOnly(current?.origins ?? new Set()); // drop pools made for the refused snapshot
        return compiled;
      }
      current = compiled.value;
      base = snapshot as Snapshot;
      tracer?.setRoutes(base.apis);
      pending = [];
      createdAt = base.createdAt;
      pools.retainOnly(current.origins);
      return ok({ version: current.version });
    },
    loadDelta(delta: SnapshotDelta): Result<{ version: number }> {
      if (current === undefined || delta.from !== current.version) {
        return refuse(
          'snapshot-invalid',
          `the changes follow version ${delta.from}, not ${current?.version ?? 'none'}`,
        );
      }
      if (onlyCredentialsChange(delta)) return loadCredentials(current, delta);
      const from = plain();
      if (from === undefined) return refuse('snapshot-invalid', 'there is no snapshot to apply changes to');
      return this.load(applyDelta(from, delta), { trusted: true });
    },
    get snapshot() {
      return plain();
    },
    get summary() {
      if (current === undefined || base === undefined) return undefined;
      return { version: current.version, createdAt, apis: base.apis, upstreams: base.upstreams };
    },
    targetHealth: () => pools.targetHealth(),
    seedCounters: (seeds) => counters.seed?.(seeds),
    peekCounters: async (checks) => counters.consume(checks, 0),
    get version() {
      return current?.version;
    },
    get ready() {
      return current !== undefined;
    },
    async close() {
      await pools.close();
      if (options.counters === undefined) await counters.close();
    },
  };
}
