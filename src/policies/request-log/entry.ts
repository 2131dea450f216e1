// Builds one request-log entry from what the policy saw at the start of a request and what the
// gateway reports at its end, within the limits the control plane stores: every string it holds
// goes through `stored` (no U+0000, which PostgreSQL refuses).
import type { ExchangeEnd, PolicyContext } from '../context.ts';
import type { RequestLogEntry } from '../request-log-entry.ts';
import { bodyText } from './body.ts';
import { type Redactor, scrub, stored } from './redact.ts';
import type { RequestLogConfig } from './schema.ts';

/** scheme://authority of an absolute-form request target (RFC 9112 §3.2.2). */
const absoluteForm = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

export function logEntry(
  ctx: PolicyContext,
  end: ExchangeEnd,
  clientIp: string,
  config: RequestLogConfig,
  redactor: Redactor,
): RequestLogEntry {
  let target = ctx.requestTarget();
  if (target.charCodeAt(0) !== 47) target = target.replace(absoluteForm, '');
  const q = target.indexOf('?');
  const consumer = ctx.consumer;
  const { maxBytes } = config.captureBody;
  const requestFields = ctx.requestHeaders();
  // Read once: on HTTP/1.1 the gateway rebuilds them from what writeHead was given.
  const responseFields = config.headers || end.responseBody !== undefined ? end.responseHeaders() : undefined;
  return {
    time: new Date(end.startedAt).toISOString(),
    requestId: stored(scrub(ctx.requestId)),
    method: stored(ctx.method, 32),
    host: stored(ctx.host, 1000),
    path: stored(scrub(q === -1 ? target : target.slice(0, q)), 8192),
    query: q === -1 ? '' : redactor.query(target.slice(q + 1)),
    status: end.status,
    durationMs: milliseconds(end.durationMs),
    upstreamMs: end.upstreamMs === undefined ? null : milliseconds(end.upstreamMs),
    bytesIn: end.bytesIn,
    bytesOut: end.bytesOut,
    clientIp: stored(clientIp, 100),
    apiId: stored(ctx.api.id),
    routeId: stored(ctx.route.id),
    metric: stored(ctx.route.metric),
    applicationId: orNull(consumer?.applicationId),
    accountId: orNull(consumer?.accountId),
    planId: orNull(consumer?.planId),
    subscriptionId: orNull(consumer?.subscriptionId),
    endUser: orNull(consumer?.subject, 1000),
    requestHeaders: config.headers ? redactor.headers(requestFields) : {},
    responseHeaders: config.headers && responseFields ? redactor.headers(responseFields) : {},
    requestBody: bodyText(end.requestBody, requestFields, maxBytes, redactor),
    responseBody: bodyText(end.responseBody, responseFields ?? {}, maxBytes, redactor),
    retentionDays: config.retentionDays,
  };
}

function orNull(value: string | undefined, max?: number): string | null {
  return value === undefined ? null : stored(value, max);
}

/** Microsecond precision is plenty, and keeps the numbers short in JSON. */
function milliseconds(value: number): number {
  return Math.max(0, Math.round(value * 1000) / 1000);
}
