// One request on its way through the gateway: what policies see (as a PolicyContext) and what the
// proxy needs to call the upstream. One object per request; every field is set in the constructor
// so all exchanges share one shape.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  ApiInfo,
  ApplicationRecord,
  BodyCapture,
  ClientCertificate,
  Consumer,
  ExchangeEnd,
  Grant,
  HeaderFields,
  PolicyContext,
  RouteInfo,
} from '../../policies/context.ts';
import { clientAddress, type ForwardingOptions } from '../forwarding.ts';
import { peerCertificate } from '../listeners/client-certificates.ts';
import type { CompiledRoute } from '../snapshot/compile.ts';
import type { CredentialIndex } from '../snapshot/credentials.ts';
import type { RequestTrace } from '../tracing/request-trace.ts';
import { isHeaderName, isHeaderValue } from '../upstream/header-syntax.ts';
import { appendListHeader, removeHeader, setHeader } from '../upstream/headers.ts';
import { watchEnd } from './end-watch.ts';

function queryName(part: string): string {
  const eq = part.indexOf('=');
  const raw = (eq === -1 ? part : part.slice(0, eq)).replaceAll('+', ' ');
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

interface MutableConsumer {
  applicationId: string;
  accountId: string;
  tier: string;
  planId: string | undefined;
  subscriptionId: string | undefined;
  subject: string | undefined;
  scopes: ReadonlySet<string> | undefined;
}

export class Exchange implements PolicyContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  readonly method: string;
  /** Normalized request path, without the query. */
  readonly path: string;
  /** The raw query string including its "?", or "". */
  query: string;
  readonly host: string;
  readonly target: CompiledRoute;
  readonly credentials: CredentialIndex;
  /** Flat lower-case [name, value…] pairs for the upstream request; policies edit them in place. */
  readonly upstreamHeaders: string[];
  /** Node settings for the forwarding headers; one object shared by every request. */
  readonly forwarding: ForwardingOptions;
  /** When the request reached the gateway (performance.now()), for latency. */
  readonly startedAt: number;
  /** When the upstream call was sent and when its response head arrived; 0 until then. */
  upstreamSentAt = 0;
  upstreamAnsweredAt = 0;
  responseStatus = 0;
  /** This request's spans, when tracing is on and sampled it (see ../tracing/). */
  trace: RequestTrace | undefined = undefined;
  #consumer: MutableConsumer | undefined = undefined;
  /** Header edits for the response to the client, applied in order when its head is written. */
  #responseEdits: [string, string | undefined, 'set' | 'append'][] | undefined = undefined;

  constructor(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    path: string,
    query: string,
    host: string,
    target: CompiledRoute,
    credentials: CredentialIndex,
    upstreamHeaders: string[],
    forwarding: ForwardingOptions,
    startedAt: number,
  ) {
    this.req = req;
    this.res = res;
    this.requestId = requestId;
    this.method = req.method ?? 'GET';
    this.path = path;
    this.query = query;
    this.host = host;
    this.target = target;
    this.credentials = credentials;
    this.upstreamHeaders = upstreamHeaders;
    this.forwarding = forwarding;
    this.startedAt = startedAt;
  }

  get api(): ApiInfo {
    return this.target.api;
  }

  get route(): RouteInfo {
    return this.target.route;
  }

  get consumer(): Consumer | undefined {
    return this.#consumer;
  }

  /** The client's address: the peer, or through trusted proxies the address they forwarded. */
  clientIp(): string {
    return clientAddress(this.req.socket, this.req, this.forwarding);
  }

  requestTarget(): string {
    return this.req.url ?? this.path;
  }

  get connection(): object {
    // An HTTP/2 request's `socket` is a new proxy per stream; its session is the connection.
    const stream = (this.req as { stream?: { session?: object } }).stream;
    return stream?.session ?? this.req.socket;
  }

  clientCertificate(): ClientCertificate | undefined {
    return peerCertificate(this.req.socket);
  }

  header(name: string): string | undefined {
    const value = this.req.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  queryParam(name: string): string | undefined {
    if (this.query === '') return undefined;
    return new URLSearchParams(this.query).get(name) ?? undefined;
  }

  requestHeaders(): HeaderFields {
    return this.req.headers;
  }

  setUpstreamHeader(name: string, value: string): void {
    // Checked here, once, so that the upstream client can send the headers as they are.
    if (!isHeaderName(name)) throw new Error(`a policy set an invalid header name ${JSON.stringify(name)}`);
    if (!isHeaderValue(value))
      throw new Error(`a policy set the header ${name} to a value that may not be sent`);
    setHeader(this.upstreamHeaders, name.toLowerCase(), value);
  }

  removeUpstreamHeader(name: string): void {
    removeHeader(this.upstreamHeaders, name.toLowerCase());
  }

  removeUpstreamQueryParam(name: string): void {
    if (this.query === '') return;
    // Edit the raw string: re-serializing would change how the other parameters are encoded.
    const kept = this.query
      .slice(1)
      .split('&')
      .filter((part) => queryName(part) !== name);
    this.query = kept.length === 0 ? '' : `?${kept.join('&')}`;
  }

  setResponseHeader(name: string, value: string): void {
    this.#responseEdits ??= [];
    this.#responseEdits.push([name.toLowerCase(), value, 'set']);
  }

  appendResponseHeader(name: string, token: string): void {
    this.#responseEdits ??= [];
    this.#responseEdits.push([name.toLowerCase(), token, 'append']);
  }

  removeResponseHeader(name: string): void {
    this.#responseEdits ??= [];
    this.#responseEdits.push([name.toLowerCase(), undefined, 'set']);
  }

  /** Applies policies' response header edits to a flat header array, in place. */
  applyResponseEdits(flat: string[]): void {
    const edits = this.#responseEdits;
    if (edits === undefined) return;
    for (const [name, value, mode] of edits) {
      if (value === undefined) removeHeader(flat, name);
      else if (mode === 'append') appendListHeader(flat, name, value);
      else setHeader(flat, name, value);
    }
  }

  setConsumer(application: ApplicationRecord, grant?: Grant): void {
    this.#consumer = {
      applicationId: application.id,
      accountId: application.accountId,
      tier: application.tier,
      planId: undefined,
      subscriptionId: undefined,
      subject: grant?.subject,
      scopes: grant?.scopes,
    };
  }

  setPlan(planId: string, subscriptionId?: string): void {
    if (this.#consumer === undefined) return;
    this.#consumer.planId = planId;
    this.#consumer.subscriptionId = subscriptionId;
  }

  onEnd(listener: (end: ExchangeEnd) => void, capture?: BodyCapture): void {
    watchEnd(this, listener, capture);
  }
}
