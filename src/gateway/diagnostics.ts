// Internal events on node:diagnostics_channel, so tests, loggers and exporters subscribe instead
// of patching. Publishing costs nothing while nobody listens.
import { channel } from 'node:diagnostics_channel';

export interface GatewayErrorEvent {
  requestId: string;
  /** What failed: a policy's name, "upstream", or "gateway". */
  source: string;
  error: unknown;
}

/** Bugs and unexpected failures: a policy threw, a response could not be written. */
export const errorChannel = channel('turnpike:gateway:error');

export function reportError(requestId: string, source: string, error: unknown): void {
  if (errorChannel.hasSubscribers)
    errorChannel.publish({ requestId, source, error } satisfies GatewayErrorEvent);
}
