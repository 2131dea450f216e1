// The headers the gateway adds to an upstream request about the client's connection: who the
// client is (X-Forwarded-For, Forwarded for=), how and where it connected (X-Forwarded-Proto and
// -Host, Forwarded proto= and host=), and the request id. (The trace context: trace-context.ts.)
//
// Incoming forwarding headers are believed only when the immediate peer is a trusted proxy (the
// node's trustedProxies setting): then they are kept and the gateway's view is appended. From
// anyone else they are replaced by what the gateway itself sees. upstream/headers.ts drops them
// from the copied request headers; this module reads them from `req.headers`.

import type { IncomingMessage } from 'node:http';
import { BlockList, isIP, isIPv6 } from 'node:net';
import type { Exchange } from './pipeline/exchange.ts';

export interface ForwardingOptions {
  /** Addresses or CIDR ranges whose X-Forwarded-* and Forwarded headers are believed. */
  trustedProxies: readonly string[];
  /** `trustedProxies` compiled once per gateway (see forwardingOptions); undefined trusts nobody. */
  readonly trusted?: BlockList | undefined;
}

/** Compiles the trusted ranges once; entries are checked by the settings reader before this. */
export function forwardingOptions(trustedProxies: readonly string[]): ForwardingOptions {
  if (trustedProxies.length === 0) return { trustedProxies, trusted: undefined };
  const trusted = new BlockList();
  for (const entry of trustedProxies) {
    const [address = '', prefix] = entry.split('/');
    const family = isIPv6(address) ? 'ipv6' : 'ipv4';
    if (prefix === undefined) trusted.addAddress(address, family);
    else trusted.addSubnet(address, Number(prefix), family);
  }
  return { trustedProxies, trusted };
}

/** What the gateway sees of a client connection; the same for every request on it. */
interface ClientView {
  /** The peer's address ("" when unknown), IPv4-mapped IPv6 written as IPv4. */
  readonly peer: string;
  readonly proto: 'http' | 'https';
  /** The peer is a trusted proxy. */
  readonly trusted: boolean;
  /** `for=…;proto=…`, the start of the gateway's Forwarded element. */
  readonly element: string;
}

const kView = Symbol('turnpike.clientView');
type ViewedSocket = { remoteAddress?: string; encrypted?: boolean; [kView]?: ClientView };

/**
 * Worked out once per connection and kept on its socket (for HTTP/2, on the session's socket):
 * the address, the trust check and the Forwarded prefix cost nothing on later requests.
 */
function clientView(socket: ViewedSocket, trusted: BlockList | undefined): ClientView {
  const cached = socket[kView];
  if (cached !== undefined) return cached;
  const address = socket.remoteAddress;
  // A dual-stack listener reports IPv4 clients as ::ffff:a.b.c.d; upstreams expect a.b.c.d.
  const peer =
    address === undefined
      ? ''
      : address.startsWith('::ffff:') && address.includes('.')
        ? address.slice(7)
        : address;
  const v6 = peer.includes(':');
  const proto = socket.encrypted === true ? 'https' : 'http';
  const view: ClientView = {
    peer,
    proto,
    trusted: trusted !== undefined && peer !== '' && trusted.check(peer, v6 ? 'ipv6' : 'ipv4'),
    // RFC 7239 §6: an IPv6 node is quoted and bracketed; an unknown one is "unknown".
    element: `for=${peer === '' ? 'unknown' : v6 ? `"[${peer}]"` : peer};proto=${proto}`,
  };
  if (peer !== '') socket[kView] = view;
  return view;
}

/** Appends the forwarding headers to `headers` (flat [name, value…], lower-case names). */
export function addForwardingHeaders(
  exchange: Exchange,
  headers: string[],
  options: ForwardingOptions,
): void {
  const req = exchange.req;
  const incoming = req.headers;
  const view = clientView(req.socket as ViewedSocket, options.trusted);
  const { peer, proto } = view;
  // The Host the client asked for: an absolute-form target's authority replaced it already, and
  // an HTTP/2 request's :authority became it in listeners/http2.ts.
  const host = incoming.host;
  const element =
    host === undefined || host === '' ? view.element : `${view.element};host=${hostValue(host)}`;
  if (view.trusted) {
    const forwardedFor = joined(incoming['x-forwarded-for']);
    const forwarded = joined(incoming.forwarded);
    const forwardedHost = joined(incoming['x-forwarded-host']) ?? host;
    headers.push(
      'x-forwarded-for',
      forwardedFor === undefined || forwardedFor === '' ? peer : `${forwardedFor}, ${peer}`,
      'x-forwarded-proto',
      joined(incoming['x-forwarded-proto']) ?? proto,
      'forwarded',
      forwarded === undefined || forwarded === '' ? element : `${forwarded}, ${element}`,
    );
    if (forwardedHost !== undefined) headers.push('x-forwarded-host', forwardedHost);
  } else {
    if (peer !== '') headers.push('x-forwarded-for', peer);
    headers.push('x-forwarded-proto', proto, 'forwarded', element);
    if (host !== undefined) headers.push('x-forwarded-host', host);
  }
  headers.push('x-request-id', exchange.requestId);
}

const token = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Most requests name the same few hosts: the last one's Forwarded form is kept.
let lastHost = '';
let lastHostValue = '';

/** A Host as a Forwarded host= value: a token as is, otherwise (a port, an IPv6 literal) quoted. */
function hostValue(host: string): string {
  if (host !== lastHost) {
    lastHost = host;
    lastHostValue = token.test(host) ? host : quoted(host);
  }
  return lastHostValue;
}

function quoted(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

/** Node joins repeated headers into one string; the type still allows a list. */
function joined(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/**
 * The client's address as far as the gateway can tell: the peer, or behind trusted proxies the
 * nearest address in X-Forwarded-For that is not itself a trusted proxy. For logs and metrics,
 * not for the hot path.
 */
export function clientAddress(
  socket: { remoteAddress?: string | undefined } | null,
  req: IncomingMessage,
  options: ForwardingOptions | undefined,
): string {
  if (socket === null) return '';
  const trusted = options?.trusted;
  const view = clientView(socket as ViewedSocket, trusted);
  if (!view.trusted) return view.peer;
  const chain = String(req.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  // Entries that are not addresses are a client's text, not an address: they end the walk.
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = chain[i] as string;
    const family = isIP(address);
    if (family === 0) break;
    if (trusted === undefined || !trusted.check(address, family === 6 ? 'ipv6' : 'ipv4')) return address;
  }
  return view.peer;
}
