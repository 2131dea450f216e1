// The retry rule: which requests may be sent again (idempotent methods without a body, since
// bodies are streamed and cannot be replayed), and where the next attempt goes (another target
// that may be tried, else the same one), within the upstream's attempts and retry budget.
import type { Exchange } from '../pipeline/exchange.ts';
import type { BalancedRequest, Target } from './balancer.ts';
import type { Upstream } from './upstream.ts';

/** Methods a retry cannot make worse (RFC 9110 §9.2.2). */
function isIdempotent(method: string): boolean {
  switch (method) {
    case 'GET':
    case 'HEAD':
    case 'OPTIONS':
    case 'PUT':
    case 'DELETE':
    case 'TRACE':
      return true;
    default:
      return false;
  }
}

export function hasBody(exchange: Exchange): boolean {
  const headers = exchange.req.headers;
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && length !== '0';
}

/** Whether a failed attempt of this request may be tried again at all. */
export function mayRetry(upstream: Upstream, method: string, withBody: boolean): boolean {
  return upstream.retries.attempts > 0 && !withBody && isIdempotent(method);
}

/**
 * The target for the next attempt after one on `failed`, or undefined when attempts are used up,
 * no target may take it, or the budget is spent. Takes a retry from the budget when it answers.
 */
export function retryTarget(
  upstream: Upstream,
  request: BalancedRequest,
  failed: Target,
  retriesSoFar: number,
): Target | undefined {
  if (retriesSoFar >= upstream.retries.attempts) return undefined;
  const now = performance.now();
  const balancer = upstream.balancer;
  const next = balancer.pick(request, now, failed) ?? balancer.pick(request, now, undefined);
  if (next === undefined) return undefined;
  const { budgetPercent, minPerSecond } = upstream.retries;
  return upstream.budget.tryRetry(now, budgetPercent, minPerSecond) ? next : undefined;
}
