// Request ids: an incoming X-Request-Id is kept when it is sane (so a trace spans the caller, the
// gateway and the upstream), otherwise the gateway makes one.
import { randomUUID } from 'node:crypto';

// Short and free of anything that could break a header, a log line or a JSON body.
const sane = /^[A-Za-z0-9._:+=/@-]{1,128}$/;

export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && sane.test(incoming) ? incoming : randomUUID();
}
