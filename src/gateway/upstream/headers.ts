// Headers across the gateway, kept as flat [name, value, name, value…] arrays with lower-case
// names: that is what undici and res.writeHead take without copying, and it keeps repeats.
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** Hop-by-hop headers (RFC 9110 §7.6.1 and common practice): they never cross the gateway. */
const hopByHop = new Set([
  'connection',
  'keep-alive',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'proxy-connection',
  'proxy-authorization',
  'proxy-authenticate',
  'http2-settings',
]);

// Headers the gateway sets itself on the upstream request, and forwarding headers it does not
// set but a client could forge (until a trusted-proxies setting says whose to believe).
// `expect` is answered by node:http (100-continue) and undici refuses to send it.
const setByGateway = new Set([
  'host',
  'x-request-id',
  'x-forwarded-for',
  'x-forwarded-proto',
  'x-forwarded-host',
  'x-forwarded-port',
  'x-forwarded-prefix',
  'x-real-ip',
  'forwarded',
  'expect',
]);

/** Clients must never be able to claim a consumer identity; only policies set these. */
const consumerPrefix = 'x-consumer-';

/** Header names a Connection header lists, which are hop-by-hop for that message. */
function connectionTokens(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  // What nearly every message says, naming no other header: nothing to split.
  if (typeof value === 'string' && value.length <= 10) {
    const token = value.toLowerCase();
    if (token === 'keep-alive' || token === 'close') return undefined;
  }
  const tokens = (Array.isArray(value) ? value.join(',') : value).split(',');
  return tokens
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '' && t !== 'close' && t !== 'keep-alive');
}

/**
 * The incoming headers that may travel upstream, or undefined when the request is ambiguous
 * (more than one Host header) and must be refused.
 */
export function forwardableRequestHeaders(req: IncomingMessage): string[] | undefined {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let hosts = 0;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (hopByHop.has(name) || setByGateway.has(name)) {
      if (name === 'host') hosts++;
      continue;
    }
    if (name.startsWith(consumerPrefix)) continue;
    out.push(name, raw[i + 1] as string);
  }
  if (hosts > 1) return undefined;
  const named = connectionTokens(req.headers.connection);
  if (named !== undefined) for (const name of named) removeHeader(out, name);
  return out;
}

/**
 * The upstream's response headers as they go to the client, with the request id set. They come
 * as undici's object or as the raw flat array of the gateway's HTTP/1.1 client.
 */
export function forwardableResponseHeaders(
  headers: IncomingHttpHeaders | string[],
  requestId: string,
): string[] {
  if (Array.isArray(headers)) return forwardableRawHeaders(headers, requestId);
  const out: string[] = [];
  for (const name in headers) {
    if (hopByHop.has(name) || name === 'x-request-id') continue;
    const value = headers[name];
    if (value === undefined) continue;
    if (typeof value === 'string') out.push(name, value);
    else for (const item of value) out.push(name, item);
  }
  const named = connectionTokens(headers.connection);
  if (named !== undefined) for (const name of named) removeHeader(out, name);
  out.push('x-request-id', requestId);
  return out;
}

function forwardableRawHeaders(raw: string[], requestId: string): string[] {
  const out: string[] = [];
  let connection: string | string[] | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    if (name === 'connection') {
      const value = raw[i + 1] as string;
      connection = connection === undefined ? value : [connection, value].flat();
    }
    if (hopByHop.has(name) || name === 'x-request-id') continue;
    out.push(name, raw[i + 1] as string);
  }
  const named = connectionTokens(connection);
  if (named !== undefined) for (const name of named) removeHeader(out, name);
  out.push('x-request-id', requestId);
  return out;
}

/** Removes every `name` (lower-case) from a flat header array, in place. */
export function removeHeader(flat: string[], name: string): void {
  let write = 0;
  for (let read = 0; read < flat.length; read += 2) {
    if (flat[read] === name) continue;
    if (write !== read) {
      flat[write] = flat[read] as string;
      flat[write + 1] = flat[read + 1] as string;
    }
    write += 2;
  }
  flat.length = write;
}

/** Replaces every `name` (lower-case) in a flat header array with one value, in place. */
export function setHeader(flat: string[], name: string, value: string): void {
  removeHeader(flat, name);
  flat.push(name, value);
}

/** Adds `token` to a comma-separated list header (Vary) unless it is already there. */
export function appendListHeader(flat: string[], name: string, token: string): void {
  const values: string[] = [];
  for (let i = 0; i < flat.length; i += 2) if (flat[i] === name) values.push(flat[i + 1] as string);
  const tokens = values.flatMap((v) => v.split(',').map((t) => t.trim())).filter((t) => t !== '');
  if (tokens.some((t) => t === '*' || t.toLowerCase() === token.toLowerCase())) return;
  setHeader(flat, name, [...tokens, token].join(', '));
}
