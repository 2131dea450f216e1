// Writes RFC 9457 problem responses: every error the gateway itself produces goes through here,
// so clients always get the same shape, the request id, and no internals.
import type { ServerResponse } from 'node:http';
import { type ErrorCode, errorCodes, problem } from '../shared/errors.ts';

/** `headers` are extra flat [name, value…] pairs, such as `allow` on a 405. */
export function sendProblem(
  res: ServerResponse,
  code: ErrorCode,
  detail: string,
  requestId: string,
  headers?: readonly string[],
): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(problem(code, detail, { requestId }));
  const flat = [
    'content-type',
    'application/problem+json',
    'content-length',
    String(Buffer.byteLength(body)),
    'x-request-id',
    requestId,
    'cache-control',
    'no-store',
  ];
  if (headers !== undefined) flat.push(...headers);
  res.writeHead(errorCodes[code].status, flat);
  res.end(body);
}
