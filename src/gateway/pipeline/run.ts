// Runs a chain of policy handlers. Synchronous all the way unless a handler returns a promise:
// only then does the rest of the chain continue in a promise, so the common case allocates none.
import type { PolicyContext, PolicyResponse } from '../../policies/context.ts';
import { deny } from '../../policies/context.ts';
import { reportError } from '../diagnostics.ts';
import type { NamedHandler } from './chain.ts';

/** What a throwing policy turns into; the details go to the error channel, not the client. */
export const internalError = deny('internal-error', 'The gateway failed to process this request.');

export type ChainOutcome = PolicyResponse | undefined | Promise<PolicyResponse | undefined>;

function isPromise(
  value: PolicyResponse | Promise<PolicyResponse | undefined>,
): value is Promise<PolicyResponse | undefined> {
  return typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Undefined: every handler let the request through. A response: stop and send it. Runs handlers
 * `from` up to `to` (exclusive; tracing runs one phase at a time), all of them by default.
 */
export function runChain(
  handlers: readonly NamedHandler[],
  ctx: PolicyContext,
  from = 0,
  to = handlers.length,
): ChainOutcome {
  for (let i = from; i < to; i++) {
    const handler = handlers[i] as NamedHandler;
    let outcome: ChainOutcome;
    try {
      outcome = handler.handle(ctx);
    } catch (error) {
      reportError(ctx.requestId, handler.name, error);
      return internalError;
    }
    if (outcome === undefined) continue;
    if (isPromise(outcome)) return continueAfter(outcome, handlers, i, ctx, to);
    return outcome;
  }
  return undefined;
}

async function continueAfter(
  pending: Promise<PolicyResponse | undefined>,
  handlers: readonly NamedHandler[],
  index: number,
  ctx: PolicyContext,
  to: number,
): Promise<PolicyResponse | undefined> {
  let outcome: PolicyResponse | undefined;
  try {
    outcome = await pending;
  } catch (error) {
    reportError(ctx.requestId, (handlers[index] as NamedHandler).name, error);
    return internalError;
  }
  return outcome ?? runChain(handlers, ctx, index + 1, to);
}

/** Response and log phases must not hold the response up: a promise there is a policy bug. */
export function runSyncChain(
  handlers: readonly NamedHandler[],
  ctx: PolicyContext,
): PolicyResponse | undefined {
  const outcome = runChain(handlers, ctx);
  if (outcome === undefined || !isPromise(outcome)) return outcome;
  outcome.catch(() => {});
  reportError(ctx.requestId, 'gateway', new Error('a response or log phase policy returned a promise'));
  return internalError;
}
