// Builds one request-log entry from what the policy saw at the start of a request and what the
// gateway reports at its end, within the limits the control plane stores.
import { StringDecoder } from 'node:string_decoder';
import type { ExchangeEnd, PolicyContext } from '../context.ts';
import type { RequestLogEntry } from '../request-log-entry.ts';
import { clip, type Redactor, scrub } from './redact.ts';
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
  return {
    time: new Date(end.startedAt).toISOString(),
    requestId: scrub(ctx.requestId),
    method: clip(ctx.method, 32),
    host: clip(ctx.host, 1000),
    path: clip(scrub(q === -1 ? target : target.slice(0, q)), 8192),
    query: q === -1 ? '' : redactor.query(target.slice(q + 1)),
    status: end.status,
    durationMs: milliseconds(end.durationMs),
    upstreamMs: end.upstreamMs === undefined ? null : milliseconds(end.upstreamMs),
    bytesIn: end.bytesIn,
    bytesOut: end.bytesOut,
    clientIp: clip(clientIp, 100),
    apiId: ctx.api.id,
    routeId: ctx.route.id,
    metric: ctx.route.metric,
    applicationId: consumer?.applicationId ?? null,
    accountId: consumer?.accountId ?? null,
    planId: consumer?.planId ?? null,
    subscriptionId: consumer?.subscriptionId ?? null,
    endUser: consumer?.subject === undefined ? null : clip(consumer.subject, 1000),
    requestHeaders: config.headers ? redactor.headers(ctx.requestHeaders()) : {},
    responseHeaders: config.headers ? redactor.headers(end.responseHeaders()) : {},
    requestBody: bodyText(end.requestBody),
    responseBody: bodyText(end.responseBody),
    retentionDays: config.retentionDays,
  };
}

/** Microsecond precision is plenty, and keeps the numbers short in JSON. */
function milliseconds(value: number): number {
  return Math.max(0, Math.round(value * 1000) / 1000);
}

/** UTF-8 text of a captured body; a character cut in two at the end is left out. */
function bodyText(bytes: Uint8Array | undefined): string | null {
  if (bytes === undefined) return null;
  return scrub(
    new StringDecoder('utf8').write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  );
}
