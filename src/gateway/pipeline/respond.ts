// Sends the response a policy returned in place of the upstream's.
import type { PolicyResponse } from '../../policies/context.ts';
import { sendProblem } from '../problem.ts';
import type { Exchange } from './exchange.ts';

function flatten(headers: Readonly<Record<string, string>> | undefined, into: string[]): string[] {
  if (headers !== undefined)
    for (const name in headers) into.push(name.toLowerCase(), headers[name] as string);
  return into;
}

export function sendPolicyResponse(exchange: Exchange, response: PolicyResponse): void {
  const res = exchange.res;
  if (res.headersSent || res.destroyed) return;
  if (response.kind === 'problem') {
    const extra = flatten(response.headers, []);
    exchange.applyResponseEdits(extra);
    sendProblem(res, response.code, response.detail, exchange.requestId, extra);
    return;
  }
  const body = response.body ?? '';
  const flat = flatten(response.headers, []);
  flat.push('content-length', String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength));
  flat.push('x-request-id', exchange.requestId);
  exchange.applyResponseEdits(flat);
  res.writeHead(response.status, flat);
  res.end(body);
}
