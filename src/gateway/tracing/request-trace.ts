// One recorded request's spans (tracing is on and sampling chose it, see tracer.ts): the server
// span from the request's arrival until its response is done, a span per phase that ran policies,
// and a client span per upstream attempt, whose id goes upstream in traceparent so the upstream's
// own spans join the trace.
// Attribute names follow the OpenTelemetry HTTP semantic conventions; turnpike.* are our own.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  type Attributes,
  type Context,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { PolicyResponse, RouteInfo } from '../../policies/context.ts';
import type { PipelinePhase } from '../pipeline/chain.ts';
import type { Exchange } from '../pipeline/exchange.ts';
import { internalError } from '../pipeline/run.ts';
import { hostName } from '../router/router.ts';
import type { Target } from '../upstream/balancer.ts';
import { setHeader } from '../upstream/headers.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { incomingContext, traceparentOf } from './traceparent.ts';
import { UpstreamAttempt } from './upstream-attempt.ts';

/** What every request's trace shares: the SDK's tracer and the served routes' templates. */
export interface TraceSource {
  readonly tracer: Tracer;
  /** `/weather/v1/forecast/{day}`: the API's base path and the route's pattern. */
  routeTemplate(route: RouteInfo): string | undefined;
}

const kTrace = Symbol('turnpike.trace');
type TracedResponse = ServerResponse & { [kTrace]?: RequestTrace };

// A module function called with `this` = the response, like the other 'close' listeners.
function onClose(this: TracedResponse): void {
  this[kTrace]?.finish(this);
}

export class RequestTrace {
  readonly server: Span;
  readonly #source: TraceSource;
  /** The server span as parent of the phase and upstream spans. */
  readonly #context: Context;
  #exchange: Exchange | undefined = undefined;

  /** Starts the server span of a request that has just arrived. */
  constructor(source: TraceSource, req: IncomingMessage, res: ServerResponse, requestId: string) {
    this.#source = source;
    const caller = incomingContext(req.headers);
    const parent = caller === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, caller);
    const method = req.method ?? 'GET';
    this.server = source.tracer.startSpan(
      method,
      { kind: SpanKind.SERVER, attributes: serverAttributes(req, method, requestId) },
      parent,
    );
    this.#context = trace.setSpan(ROOT_CONTEXT, this.server);
    (res as TracedResponse)[kTrace] = this;
    res.on('close', onClose);
  }

  /**
   * Once a route matched: names the span after it, and makes the gateway's span the parent the
   * upstream sees (each upstream attempt replaces it with its own span; see ../upstream/proxy.ts).
   */
  routed(exchange: Exchange): void {
    setHeader(exchange.upstreamHeaders, 'traceparent', traceparentOf(this.server.spanContext()));
    this.#exchange = exchange;
    exchange.trace = this;
    const { api, route } = exchange.target;
    const template = this.#source.routeTemplate(route);
    const span = this.server;
    span.updateName(`${exchange.method} ${template ?? `${api.name} ${route.name}`}`);
    if (template !== undefined) span.setAttribute(ATTR_HTTP_ROUTE, template);
    span.setAttribute(ATTR_URL_PATH, exchange.path);
    span.setAttribute(ATTR_CLIENT_ADDRESS, exchange.clientIp());
    span.setAttribute('turnpike.api', api.name);
    span.setAttribute('turnpike.api_id', api.id);
    span.setAttribute('turnpike.route', route.name);
  }

  startPhase(phase: PipelinePhase): Span {
    // The SDK copies the arrays it is given, so the pipeline's own list can go as it is.
    const policies = phase.policies as string[];
    const attributes: Attributes = { 'turnpike.phase': phase.phase, 'turnpike.policies': policies };
    return this.#source.tracer.startSpan(phase.phase, { attributes }, this.#context);
  }

  /** Ends a phase's span; a policy's answer stops the request there, a policy that threw is an error. */
  endPhase(span: Span, outcome: PolicyResponse | undefined): void {
    if (outcome !== undefined) {
      span.setAttribute('turnpike.stopped', true);
      if (outcome.kind === 'problem') span.setAttribute('turnpike.problem', outcome.code);
      if (outcome === internalError) span.setStatus({ code: SpanStatusCode.ERROR });
    }
    span.end();
  }

  /** A client span for one attempt at the upstream; `resends` counts the attempts before it. */
  startAttempt(upstream: Upstream, target: Target, path: string, resends: number): UpstreamAttempt {
    const method = this.#exchange?.method ?? 'GET';
    return new UpstreamAttempt(this.#source.tracer, this.#context, method, upstream, target, path, resends);
  }

  /** The response is done (sent, or abandoned by the client): the server span ends. */
  finish(res: ServerResponse): void {
    const span = this.server;
    // A WebSocket's 101 goes out raw, recorded on the response only (see ../websocket/proxy.ts).
    if (res.headersSent || res.statusCode === 101) {
      const status = res.statusCode;
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      // Server spans: only 5xx is the server's failure (a 4xx is the client's).
      if (status >= 500) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        span.setAttribute(ATTR_ERROR_TYPE, String(status));
      }
    }
    if (!res.writableFinished) span.setAttribute('turnpike.aborted', true);
    const consumer = this.#exchange?.consumer;
    if (consumer !== undefined) {
      span.setAttribute('turnpike.application_id', consumer.applicationId);
      if (consumer.planId !== undefined) span.setAttribute('turnpike.plan_id', consumer.planId);
    }
    span.end();
  }
}

function serverAttributes(req: IncomingMessage, method: string, requestId: string): Attributes {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const host = req.headers.host ?? '';
  const socket = req.socket;
  const attributes: Attributes = {
    [ATTR_HTTP_REQUEST_METHOD]: method,
    [ATTR_URL_SCHEME]: (socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
    // The path as sent, until a route matched (then the normalized one).
    [ATTR_URL_PATH]: q === -1 ? url : url.slice(0, q),
    [ATTR_SERVER_ADDRESS]: hostName(host),
    [ATTR_SERVER_PORT]: portOf(host) ?? socket.localPort,
    [ATTR_CLIENT_ADDRESS]: socket.remoteAddress,
    [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
    'turnpike.request_id': requestId,
  };
  const agent = req.headers['user-agent'];
  if (agent !== undefined) attributes[ATTR_USER_AGENT_ORIGINAL] = agent;
  return attributes;
}

/** The port of a Host value ("[::1]:8000", "example.com:8080"), if it names one. */
function portOf(host: string): number | undefined {
  const colon = host.lastIndexOf(':');
  if (colon === -1 || host.indexOf(']', colon) !== -1) return undefined;
  const port = Number(host.slice(colon + 1));
  return Number.isInteger(port) && port > 0 ? port : undefined;
}
