// The forwarding headers the gateway adds to an upstream request: who the client is
// (X-Forwarded-For), how and where it connected (X-Forwarded-Proto, X-Forwarded-Host), and the
// request id. Whose incoming forwarding headers to believe is a node setting (trusted proxies).
import type { Exchange } from './pipeline/exchange.ts';

export interface ForwardingOptions {
  /** Addresses or CIDR ranges whose X-Forwarded-* and Forwarded headers are believed. */
  trustedProxies: readonly string[];
}

/** Appends the forwarding headers to `headers` (flat [name, value…], lower-case names). */
export function addForwardingHeaders(
  exchange: Exchange,
  headers: string[],
  _options: ForwardingOptions,
): void {
  const { req } = exchange;
  const forwardedFor = exchange.header('x-forwarded-for');
  const clientAddress = req.socket.remoteAddress ?? '';
  headers.push(
    'x-request-id',
    exchange.requestId,
    'x-forwarded-for',
    forwardedFor === undefined ? clientAddress : `${forwardedFor}, ${clientAddress}`,
    'x-forwarded-proto',
    (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http',
  );
  if (req.headers.host !== undefined) headers.push('x-forwarded-host', req.headers.host);
}
