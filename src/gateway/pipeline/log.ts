// The log phase: runs once the response is done (sent or abandoned), off the request's path.

import type { NamedHandler } from './chain.ts';
import type { Exchange } from './exchange.ts';
import { runChain } from './run.ts';

export function runLogPhase(exchange: Exchange, handlers: readonly NamedHandler[]): void {
  exchange.res.once('close', () => {
    // setImmediate: never delay the socket's own close handling.
    setImmediate(() => {
      const outcome = runChain(handlers, exchange);
      if (outcome instanceof Promise) outcome.catch(() => {});
    });
  });
}
