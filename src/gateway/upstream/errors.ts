// What a failed upstream call means: to the client (unreachable 502, too slow 504, or a bug), to
// the circuit breaker (whether it counts against the target), and to retries (whether the request
// may not have reached the upstream's application, so trying again is safe for idempotent methods).
import type { ErrorCode } from '../../shared/errors.ts';

export interface UpstreamFailure {
  readonly code: ErrorCode;
  readonly detail: string;
  /** Counts against the target in the circuit breaker. */
  readonly targetFault: boolean;
  /** A connection failure: an idempotent request without a body may be tried again. */
  readonly retryable: boolean;
}

const connectTimeout: UpstreamFailure = {
  code: 'upstream-timeout',
  detail: 'The upstream did not accept the connection in time.',
  targetFault: true,
  retryable: true,
};
const timeout: UpstreamFailure = {
  code: 'upstream-timeout',
  detail: 'The upstream did not answer in time.',
  targetFault: true,
  retryable: false,
};
const unreachable: UpstreamFailure = {
  code: 'upstream-unavailable',
  detail: 'The upstream could not be reached or closed the connection.',
  targetFault: true,
  retryable: true,
};
const malformed: UpstreamFailure = {
  code: 'upstream-unavailable',
  detail: 'The upstream sent a malformed response.',
  targetFault: true,
  retryable: false,
};
const internal: UpstreamFailure = {
  code: 'internal-error',
  detail: 'The gateway failed to call the upstream.',
  targetFault: false,
  retryable: false,
};

// Codes of undici (HTTPS upstreams) and of the gateway's HTTP/1.1 client (h1/dispatch.ts).
const connectTimeouts = new Set(['UND_ERR_CONNECT_TIMEOUT', 'TP_UPSTREAM_CONNECT_TIMEOUT']);
const timeouts = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'TP_UPSTREAM_HEADERS_TIMEOUT',
  'TP_UPSTREAM_BODY_TIMEOUT',
]);
// The gateway built a request the client refuses: a policy set a header value it may not send.
const bugs = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED', 'TP_UPSTREAM_INVALID_REQUEST']);

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  // The response did not parse: the connection is closed, never reused.
  if (name === 'HTTPParserError') return malformed;
  if (typeof code === 'string') {
    if (connectTimeouts.has(code)) return connectTimeout;
    if (timeouts.has(code)) return timeout;
    if (bugs.has(code)) return internal;
    if (code.startsWith('HPE_') || code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') return malformed;
  }
  // Refused, reset, closed before the head, DNS failures, closed pools.
  return unreachable;
}

/** Answers that mean the target (or what is behind it) is failing: they count, and may be retried. */
export function isFailureStatus(status: number): boolean {
  return status === 502 || status === 503 || status === 504;
}
