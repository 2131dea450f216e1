// The client span of one attempt at an upstream target (a retry is another attempt, another span,
// as the HTTP semantic conventions ask), and the traceparent that carries its id upstream.
import {
  type Attributes,
  type Context,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_URL_FULL,
} from '@opentelemetry/semantic-conventions';
import type { Target } from '../upstream/balancer.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { traceparentOf } from './traceparent.ts';

interface Address {
  host: string;
  port: number;
}

/** Targets' host and port, parsed once per target of a snapshot rather than once per attempt. */
const addresses = new WeakMap<Target, Address>();

function addressOf(target: Target): Address {
  let address = addresses.get(target);
  if (address === undefined) {
    const url = new URL(target.origin);
    const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
    address = { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port };
    addresses.set(target, address);
  }
  return address;
}

export class UpstreamAttempt {
  readonly span: Span;
  /** For the upstream request's traceparent header. */
  readonly traceparent: string;

  constructor(
    tracer: Tracer,
    parent: Context,
    method: string,
    upstream: Upstream,
    target: Target,
    path: string,
    resends: number,
  ) {
    const { host, port } = addressOf(target);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: host,
      [ATTR_SERVER_PORT]: port,
      // Without the query: it may carry credentials.
      [ATTR_URL_FULL]: target.origin + path,
      'turnpike.upstream': upstream.name,
    };
    if (resends > 0) attributes[ATTR_HTTP_REQUEST_RESEND_COUNT] = resends;
    this.span = tracer.startSpan(method, { kind: SpanKind.CLIENT, attributes }, parent);
    this.traceparent = traceparentOf(this.span.spanContext());
  }

  /** The upstream's response head arrived. Client spans count 4xx as errors too. */
  answered(status: number): void {
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    if (status >= 400) {
      this.span.setStatus({ code: SpanStatusCode.ERROR });
      this.span.setAttribute(ATTR_ERROR_TYPE, String(status));
    }
  }

  /** The attempt is over: its response ended, it failed with `error`, or it was given up. */
  end(error?: unknown): void {
    if (error !== undefined) {
      const { code, name } = error as { code?: unknown; name?: unknown };
      const type = typeof code === 'string' ? code : typeof name === 'string' ? name : 'Error';
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      this.span.setAttribute(ATTR_ERROR_TYPE, type);
    }
    this.span.end();
  }
}
