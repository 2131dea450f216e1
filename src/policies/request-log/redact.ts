// What the request log must never hold: credentials. Header and query parameter values are
// redacted by name (a fixed list, a rule on name parts, and the configured names) and, whatever
// their name, when they carry a Turnpike-issued secret or a JWT. Logged bodies keep their text
// but lose those secrets. Values are cut to what the control plane stores.
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

/**
 * Turnpike's API keys, admin tokens, client secrets, Basic passwords and HMAC secrets
 * (src/shared/secrets.ts), and JWTs (a base64url JSON header and payload).
 */
const secretPattern =
  /tp(?:_live_|_test_|[abch]_)[0-9A-Za-z]{36}|eyJ[0-9A-Za-z_-]*\.[0-9A-Za-z_-]+\.[0-9A-Za-z_-]*/;
const secretsEverywhere = new RegExp(secretPattern.source, 'g');

/** True for a lower-case name whose value is a credential whatever the config says. */
export function isSensitive(name: string): boolean {
  if (alwaysRedacted.has(name)) return true;
  for (const part of sensitiveParts) if (name.includes(part)) return true;
  return false;
}

export function clip(value: string, max: number): string {
  return value.length <= max ? value : value.slice(0, max);
}

/** What becomes of a header: logged, logged as [redacted], or left out (a name too long to store). */
const log = 0;
const redact = 1;
const drop = 2;
type Fate = typeof log | typeof redact | typeof drop;

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
      out[name] = fate === redact || secretPattern.test(value) ? redacted : clip(value, maxValueLength);
    }
    return out;
  }

  #fate(name: string): Fate {
    let fate = this.#fates.get(name);
    if (fate === undefined) {
      if (name.length > maxNameLength || secretPattern.test(name)) fate = drop;
      else fate = isSensitive(name) || this.#headers.has(name) ? redact : log;
      if (this.#fates.size < maxRemembered) this.#fates.set(name, fate);
    }
    return fate;
  }

  /** A raw query string without its "?", with the values of sensitive parameters redacted. */
  query(raw: string): string {
    if (raw === '') return '';
    const parts = raw.split('&');
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const eq = part.indexOf('=');
      const rawName = eq === -1 ? part : part.slice(0, eq);
      const name = decoded(rawName).toLowerCase();
      if (secretPattern.test(name)) parts[i] = redacted;
      else if (isSensitive(name) || this.#params.has(name) || secretPattern.test(decoded(part)))
        parts[i] = `${rawName}=${redacted}`;
    }
    return clip(parts.join('&'), maxValueLength);
  }
}

/** Text (a body, a path) with the Turnpike-issued secrets and JWTs in it replaced. */
export function scrub(text: string): string {
  return secretPattern.test(text) ? text.replace(secretsEverywhere, redacted) : text;
}

function decoded(raw: string): string {
  if (!raw.includes('%') && !raw.includes('+')) return raw;
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}
