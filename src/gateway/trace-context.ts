// W3C Trace Context (https://www.w3.org/TR/trace-context/): a valid incoming `traceparent` goes
// upstream unchanged, with its `tracestate`, so the upstream joins the caller's trace; an invalid
// one is dropped with its `tracestate`, and without one the gateway starts a trace of its own.
// With tracing on (./tracing/), a recorded request's parent-id becomes the gateway's own span, and
// a trace the gateway starts without recording it is marked not sampled.
import { randomFillSync } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { removeHeader, setHeader } from './upstream/headers.ts';

const fields = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}/;
const zeroTraceId = '0'.repeat(32);
const zeroParentId = '0'.repeat(16);

/**
 * Version 00 is exactly `00-<32 hex trace-id>-<16 hex parent-id>-<2 hex flags>`; a later version
 * may append fields after a dash; version ff, upper-case hex and all-zero ids are invalid.
 */
export function isValidTraceparent(value: string): boolean {
  if (value.length < 55 || !fields.test(value)) return false;
  if (value.startsWith('00')) {
    if (value.length !== 55) return false;
  } else if (value.startsWith('ff') || (value.length > 55 && value.charCodeAt(55) !== 45)) {
    return false;
  }
  return !value.startsWith(zeroTraceId, 3) && !value.startsWith(zeroParentId, 36);
}

// Random bytes are drawn in batches: one randomFillSync and one hex encoding per 128 traces keep
// generation cheap; each trace takes 48 hex digits (32 for the trace-id, 16 for the parent-id).
const batch = Buffer.allocUnsafe(24 * 128);
let hex = '';
let used = 0;

/** A new traceparent: random trace-id and parent-id, flags 01 (sampled) unless told otherwise. */
export function newTraceparent(sampled = true): string {
  if (used === hex.length) {
    randomFillSync(batch);
    hex = batch.toString('hex');
    used = 0;
  }
  const at = used;
  used += 48;
  return `00-${hex.slice(at, at + 32)}-${hex.slice(at + 32, at + 48)}-${sampled ? '01' : '00'}`;
}

/**
 * Sets the trace context on the upstream headers (flat [name, value…]). Called on the freshly
 * copied request headers, before anything records positions in them: removing shifts entries.
 * `sampled`: the flag of a trace started here.
 */
export function addTraceContext(incoming: IncomingHttpHeaders, headers: string[], sampled = true): void {
  const traceparent = incoming.traceparent;
  if (traceparent === undefined) {
    if (incoming.tracestate !== undefined) removeHeader(headers, 'tracestate');
    headers.push('traceparent', newTraceparent(sampled));
    return;
  }
  // set/remove rather than push: the copied request headers hold the client's values.
  if (typeof traceparent === 'string' && isValidTraceparent(traceparent)) {
    setHeader(headers, 'traceparent', traceparent);
    const tracestate = incoming.tracestate;
    if (tracestate !== undefined)
      setHeader(headers, 'tracestate', Array.isArray(tracestate) ? tracestate.join(',') : tracestate);
    return;
  }
  removeHeader(headers, 'tracestate');
  setHeader(headers, 'traceparent', newTraceparent(sampled));
}
