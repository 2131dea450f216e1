// What the request log must never hold: credentials. Header and query parameter values are
// redacted by name (a fixed list, a rule on name parts, and the configured names) and, whatever
// their name, when they carry a Turnpike-issued secret or a JWT; so are the parameters in the
// URLs of Referer, Location and Content-Location, and the fields of form bodies. HTTP/2
// pseudo-headers are left out (`:path` holds the whole query). Logged bodies keep their text but
// lose those secrets.
// Values are cut to what the control plane stores, without U+0000, which PostgreSQL refuses.
import type { HeaderFields } from '../context.ts';

export const redacted = '[redacted]';

/** Limits of a stored entry (src/control/model/analytics.ts). */
const maxNameLength = 200;
const maxValueLength = 8192;

const alwaysRedacted = new Set(['authorization', 'proxy-authorization', 'cookie', 'set-cookie', 'x-api-key']);
const sensitiveParts = [
  'key',
  'token',
  'secret',
  'password',
  'auth',
  'signature',
  'cookie',
  'session',
  'credential',
];
/** Query parameters and form fields that are credentials though no part of their name says so. */
const credentialParams = new Set([
  'sig',
  'code',
  'code_verifier',
  'pwd',
  'pass',
  'passwd',
  'client_secret',
  'client_assertion',
  'refresh_token',
  'id_token',
  'assertion',
]);
/** Headers whose value is a URL: their query and fragment parameters are redacted as a query's. */
const urlHeaders = new Set(['referer', 'location', 'content-location']);

/**
 * Turnpike's API keys, admin tokens, client secrets, Basic passwords and HMAC secrets
 * (src/shared/secrets.ts). JWTs (a base64url JSON header and payload) are found by `jwtAt`.
 */
const keyPattern = /tp(?:_live_|_test_|[abch]_)[0-9A-Za-z]{36}/g;
/** The start of a Turnpike-issued secret cut off at the end of a text; at most 43 characters. */
const keyCutAtEnd = /tp(?:_live_|_test_|[abch]_)[0-9A-Za-z]{1,35}$/;

/** True for a lower-case name whose value is a credential whatever the config says. */
export function isSensitive(name: string): boolean {
  if (alwaysRedacted.has(name)) return true;
  for (const part of sensitiveParts) if (name.includes(part)) return true;
  return false;
}

/**
 * A string as the control plane can store it: U+0000 (which PostgreSQL's text and jsonb refuse)
 * replaced by U+FFFD, and at most `max` characters. The replacement keeps the length.
 */
export function stored(value: string, max = Number.POSITIVE_INFINITY): string {
  const text = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
  return text.length <= max ? text : text.slice(0, max);
}

/** What becomes of a header: logged, logged as [redacted], left out, or logged with its URL redacted. */
const log = 0;
const redact = 1;
const drop = 2;
const url = 3;
type Fate = typeof log | typeof redact | typeof drop | typeof url;

/** Header names whose fate one Redactor remembers; the names a route sees are few. */
const maxRemembered = 1000;

export class Redactor {
  readonly #headers: ReadonlySet<string>;
  readonly #params: ReadonlySet<string>;
  readonly #fates = new Map<string, Fate>();

  constructor(headers: readonly string[], params: readonly string[]) {
    this.#headers = new Set(headers.map((name) => name.toLowerCase()));
    this.#params = new Set(params.map((name) => name.toLowerCase()));
  }

  /** Header fields for the log: lower-case names, repeated values joined with ", ". */
  headers(fields: HeaderFields): Record<string, string> {
    const out: Record<string, string> = {};
    for (const rawName in fields) {
      const raw = fields[rawName];
      if (raw === undefined) continue;
      const name = rawName.toLowerCase();
      const fate = this.#fate(name);
      if (fate === drop) continue;
      const value = typeof raw === 'object' ? raw.join(', ') : String(raw);
      out[stored(name)] =
        fate === redact || hasSecret(value)
          ? redacted
          : stored(fate === url ? this.#url(value) : value, maxValueLength);
    }
    return out;
  }

  #fate(name: string): Fate {
    let fate = this.#fates.get(name);
    if (fate === undefined) {
      // A pseudo-header (HTTP/2's `:path`, `:authority`…) repeats the request line, query and all.
      if (name.length > maxNameLength || name.charCodeAt(0) === 58 || hasSecret(name)) fate = drop;
      else if (isSensitive(name) || this.#headers.has(name)) fate = redact;
      else fate = urlHeaders.has(name) ? url : log;
      if (this.#fates.size < maxRemembered) this.#fates.set(name, fate);
    }
    return fate;
  }

  /** A raw query string without its "?", with the values of sensitive parameters redacted. */
  query(raw: string): string {
    return stored(this.#redactParams(raw), maxValueLength);
  }

  /** An application/x-www-form-urlencoded body, redacted as a query; not cut. */
  form(text: string): string {
    return this.#redactParams(text);
  }

  /** A URL with the parameters of its query, and of its fragment when it has any, redacted. */
  #url(value: string): string {
    const hash = value.indexOf('#');
    const beforeHash = hash === -1 ? value : value.slice(0, hash);
    const q = beforeHash.indexOf('?');
    let out =
      q === -1 ? beforeHash : `${beforeHash.slice(0, q + 1)}${this.#redactParams(beforeHash.slice(q + 1))}`;
    if (hash !== -1) {
      // A fragment is a name unless it holds parameters (`#access_token=…`, OAuth's implicit flow).
      const fragment = value.slice(hash + 1);
      out += `#${fragment.includes('=') ? this.#redactParams(fragment) : fragment}`;
    }
    return out;
  }

  #redactParams(raw: string): string {
    if (raw === '') return '';
    const parts = raw.split('&');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      const name = decoded(rawName).toLowerCase();
      if (hasSecret(name)) parts[i] = redacted;
      else if (
        isSensitive(name) ||
        credentialParams.has(name) ||
        this.#params.has(name) ||
        hasSecret(decoded(part))
      )
        parts[i] = `${rawName}=${redacted}`;
    }
    return parts.join('&');
  }
}

/** Text (a body, a path) with the Turnpike-issued secrets and JWTs in it replaced. */
export function scrub(text: string): string {
  let key = keyAt(text, 0);
  let jwt = jwtAt(text, 0);
  if (key === undefined && jwt === undefined) return text;
  let out = '';
  let from = 0;
  for (;;) {
    // Leftmost first; one that overlaps the last replaced is looked for again after it.
    if (key !== undefined && key[0] < from) key = keyAt(text, from);
    if (jwt !== undefined && jwt[0] < from) jwt = jwtAt(text, from);
    const next = key === undefined || (jwt !== undefined && jwt[0] < key[0]) ? jwt : key;
    if (next === undefined) break;
    out += `${text.slice(from, next[0])}${redacted}`;
    from = next[1];
  }
  return out + text.slice(from);
}

function hasSecret(text: string): boolean {
  return keyAt(text, 0) !== undefined || jwtAt(text, 0) !== undefined;
}

/** Where the first Turnpike-issued secret at or after `from` is: [start, end). */
function keyAt(text: string, from: number): [number, number] | undefined {
  keyPattern.lastIndex = from;
  const match = keyPattern.exec(text);
  return match === null ? undefined : [match.index, match.index + match[0].length];
}

/**
 * Where the first JWT at or after `from` is: "eyJ", base64url, a dot, base64url (at least one),
 * a dot, base64url. Scanned by hand: a regular expression retries from each "eyJ" of a long run
 * without dots, quadratic time on a crafted body (11 s for 256 KiB). Here an "eyJ" inside a
 * segment that failed fails the same way, so the scan moves past it: linear time.
 */
function jwtAt(text: string, from: number): [number, number] | undefined {
  let start = text.indexOf('eyJ', from);
  while (start !== -1) {
    const header = runEnd(text, start + 3);
    if (text.charCodeAt(header) !== 46) {
      start = text.indexOf('eyJ', header);
      continue;
    }
    const payload = runEnd(text, header + 1);
    if (payload > header + 1 && text.charCodeAt(payload) === 46) return [start, runEnd(text, payload + 1)];
    start = text.indexOf('eyJ', header + 1);
  }
  return undefined;
}

/** The end of the run of base64url characters from `at`. */
function runEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && isBase64url(text.charCodeAt(end))) end++;
  return end;
}

/**
 * A scrubbed text that was cut (a body at maxBytes) with the start of a secret or JWT the cut left
 * at its end replaced too: cut, it no longer matches what `scrub` looks for.
 */
export function scrubCutEnd(text: string): string {
  let cut = text.length;
  const tail = text.length > 43 ? text.slice(-43) : text;
  const key = keyCutAtEnd.exec(tail);
  if (key !== null) cut = text.length - tail.length + key.index;
  // A JWT cut before its signature: "eyJ" and base64url with at most one dot to the end. Found by
  // walking back over the last run of base64url and dots, so a crafted body costs linear time.
  let start = text.length;
  let dots = 0;
  while (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (c === 46) {
      if (++dots === 2) break;
    } else if (!isBase64url(c)) break;
    start--;
  }
  const jwt = text.indexOf('eyJ', start);
  if (jwt !== -1 && jwt < cut) cut = jwt;
  return cut === text.length ? text : `${text.slice(0, cut)}${redacted}`;
}

function isBase64url(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

function decoded(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}
