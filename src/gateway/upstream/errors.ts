// What a failed upstream call means to the client: unreachable (502), too slow (504), or a bug.
import type { ErrorCode } from '../../shared/errors.ts';

export interface UpstreamFailure {
  readonly code: ErrorCode;
  readonly detail: string;
}

const timeout: UpstreamFailure = { code: 'upstream-timeout', detail: 'The upstream did not answer in time.' };
const unavailable: UpstreamFailure = {
  code: 'upstream-unavailable',
  detail: 'The upstream could not be reached or closed the connection.',
};
const internal: UpstreamFailure = {
  code: 'internal-error',
  detail: 'The gateway failed to call the upstream.',
};

const timeouts = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
]);
// The gateway built a request undici refuses: a policy set a header value it may not send.
const bugs = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

export function classifyUpstreamError(error: unknown): UpstreamFailure {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (timeouts.has(code)) return timeout;
    if (bugs.has(code)) return internal;
  }
  // Refused, reset, DNS failures, closed pools: the client may retry, the gateway is fine.
  return unavailable;
}
