// Turns a request target into the path the router matches and the upstream receives. Anything
// an upstream might read differently from the gateway is refused here, before routing.
//
// - Origin-form ("/path?query") is the norm. Absolute-form ("http://host/path?query") is split
//   by splitAbsoluteForm(); the gateway serves it only for a host some API names (its authority
//   then replaces Host, RFC 9112 §3.2.2). "*" and anything else get 400.
// - Percent-encoded unreserved characters are decoded and other escapes upper-cased
//   (RFC 3986 §6.2.2), so "/%61dmin" cannot slip past a route for "/admin".
// - "." and ".." segments, also encoded as "%2e", get 400 rather than being resolved: an API
//   gateway should not guess which resource a client meant.
// - An encoded slash or backslash ("%2F", "%5C"), a raw backslash and an encoded NUL get 400:
//   many upstreams decode them into path separators, so "/files/..%2Fadmin" would leave the
//   route it matched.

const hexDigits = '0123456789ABCDEF';

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

function isUnreserved(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 45 || // -
    code === 46 || // .
    code === 95 || // _
    code === 126 // ~
  );
}

/** Decodes unreserved escapes and upper-cases the rest; undefined for a malformed escape. */
export function normalizePercentEncoding(raw: string): string | undefined {
  let out = '';
  let last = 0;
  let i = raw.indexOf('%');
  while (i !== -1) {
    const hi = hexValue(raw.charCodeAt(i + 1));
    const lo = hexValue(raw.charCodeAt(i + 2));
    if (hi < 0 || lo < 0) return undefined;
    const code = hi * 16 + lo;
    out += raw.slice(last, i);
    out += isUnreserved(code) ? String.fromCharCode(code) : `%${hexDigits[hi]}${hexDigits[lo]}`;
    last = i + 3;
    i = raw.indexOf('%', last);
  }
  return out + raw.slice(last);
}

/** After normalization escapes are upper-case, so three spellings cover every case. */
function hasSeparatorEscape(path: string): boolean {
  return path.includes('%2F') || path.includes('%5C') || path.includes('%00');
}

function hasDotSegment(path: string): boolean {
  for (const segment of path.split('/')) {
    if (segment === '.' || segment === '..') return true;
  }
  return false;
}

/** The normalized path of an origin-form target without its query, or undefined for 400. */
export function normalizePath(rawPath: string): string | undefined {
  if (rawPath.charCodeAt(0) !== 47) return undefined; // not origin-form
  let path = rawPath;
  if (path.includes('%')) {
    const normalized = normalizePercentEncoding(path);
    if (normalized === undefined || hasSeparatorEscape(normalized)) return undefined;
    path = normalized;
  }
  if (path.includes('\\')) return undefined;
  if (path.includes('/.') && hasDotSegment(path)) return undefined;
  return path;
}

// An authority without userinfo: a registered name or IPv4 address, or an IPv6 literal, then an
// optional port. Anything else cannot name a host an API serves.
const authorityPattern = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~!$&'()*+,;=%-]+)(?::[0-9]*)?$/;

/** An absolute-form target split into its authority and the origin-form rest. */
export interface AbsoluteForm {
  /** `host[:port]`, as it replaces the Host header. */
  authority: string;
  /** The path and query, `/` when the target had no path. */
  originForm: string;
}

/** Splits `http://authority/path?query` (http or https, any case); undefined when it is not that. */
export function splitAbsoluteForm(target: string): AbsoluteForm | undefined {
  const sep = target.indexOf('://');
  if (sep !== 4 && sep !== 5) return undefined;
  const scheme = target.slice(0, sep).toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return undefined;
  const start = sep + 3;
  let end = start;
  while (end < target.length) {
    const code = target.charCodeAt(end);
    if (code === 47 || code === 63) break; // "/" or "?"
    end++;
  }
  const authority = target.slice(start, end);
  if (!authorityPattern.test(authority)) return undefined;
  const rest = target.slice(end);
  return { authority, originForm: rest === '' ? '/' : rest.charCodeAt(0) === 63 ? `/${rest}` : rest };
}

/** Where matching stops: one trailing slash is insignificant. */
export function matchEnd(path: string): number {
  return path.length > 1 && path.charCodeAt(path.length - 1) === 47 ? path.length - 1 : path.length;
}
