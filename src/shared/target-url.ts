// Upstream target URLs, one rule for the control plane (which refuses a bad one) and the gateway
// (which splits a good one): if the two disagreed, a gateway could refuse a whole snapshot.

export interface TargetUrl {
  /** `http://host:port`, the key of the target's connection pool. */
  origin: string;
  /** The URL's path without a trailing slash ("" for none), prepended to every upstream path. */
  pathPrefix: string;
  /** Sent as the Host header upstream. */
  host: string;
}

/** Splits a target URL; a string is the reason it is refused. */
export function parseTargetUrl(url: string): TargetUrl | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute http:// or https:// URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must use http or https';
  if (parsed.username || parsed.password) return 'must not contain credentials';
  if (parsed.search || parsed.hash) return 'must not contain a query or fragment';
  const pathPrefix = parsed.pathname.endsWith('/') ? parsed.pathname.slice(0, -1) : parsed.pathname;
  return { origin: parsed.origin, pathPrefix, host: parsed.host };
}
