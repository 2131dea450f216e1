// W3C traceparent ↔ OpenTelemetry span contexts: the caller's context becomes the server span's
// remote parent, and each upstream attempt's span context goes upstream as its traceparent.
import type { IncomingHttpHeaders } from 'node:http';
import { type SpanContext, TraceFlags } from '@opentelemetry/api';
import { isValidTraceparent } from '../trace-context.ts';

/** The caller's span context, or undefined when it sent no valid traceparent. */
export function incomingContext(headers: IncomingHttpHeaders): SpanContext | undefined {
  const traceparent = headers.traceparent;
  if (typeof traceparent !== 'string' || !isValidTraceparent(traceparent)) return undefined;
  // tracestate is not parsed: it goes upstream as the caller sent it (see ../trace-context.ts).
  return {
    traceId: traceparent.slice(3, 35),
    spanId: traceparent.slice(36, 52),
    // Only the sampled bit is defined; later versions' other bits are not carried on.
    traceFlags: Number.parseInt(traceparent.slice(53, 55), 16) & TraceFlags.SAMPLED,
    isRemote: true,
  };
}

/** Version 00 traceparent of a span context (the gateway speaks version 00 whatever it was sent). */
export function traceparentOf(context: SpanContext): string {
  const flags = context.traceFlags & TraceFlags.SAMPLED ? '01' : '00';
  return `00-${context.traceId}-${context.spanId}-${flags}`;
}
