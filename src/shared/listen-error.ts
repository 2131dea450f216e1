// A listener that could not listen, as a message a person can act on. Kept apart from the
// control plane so that a data-plane node does not load it to report a port in use.
import type { Listener } from './config.ts';

export class ListenError extends Error {}

export function listenError(error: unknown, at: Listener, what: string): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE')
    return new ListenError(
      `the ${what} port ${at.port} is in use; choose another with a flag or TURNPIKE_*_PORT`,
    );
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new ListenError(`cannot listen for the ${what} on ${at.host}: no such address`);
  if (code === 'EACCES') return new ListenError(`not allowed to listen for the ${what} on port ${at.port}`);
  if (code === 'TP_WORKER_START') return new ListenError((error as Error).message);
  return error as Error;
}
