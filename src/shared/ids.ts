// Prefixed, time-ordered ids (`api_01j…`): the prefix says what the id names, the time order
// makes ids sort by creation, which keyset pagination relies on.
import { randomBytes } from 'node:crypto';

export const idPrefixes = {
  upstream: 'ups',
  api: 'api',
  route: 'rte',
  product: 'prd',
  plan: 'pln',
  account: 'acc',
  application: 'app',
  key: 'key',
  subscription: 'sub',
  adminToken: 'atk',
  adminUser: 'adu',
  adminSession: 'ads',
  auditEvent: 'aud',
  policy: 'pol',
  endUser: 'usr',
  clientSecret: 'ocs',
  oauthScope: 'scp',
  signingKey: 'osk',
  credential: 'crd',
  identityProvider: 'idp',
  message: 'msg',
  developer: 'dev',
  developerSession: 'dvs',
  invitation: 'inv',
  page: 'pag',
  field: 'fld',
  supportMessage: 'sup',
  requestLog: 'req',
  alertRule: 'alr',
  alertEvent: 'ale',
} as const;

export type IdKind = keyof typeof idPrefixes;

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

let lastTime = -1;
let lastRandom: number[] = [];

/**
 * 10 characters of millisecond time then 16 of randomness, in Crockford base32 (a ULID,
 * lower-cased). Monotonic within the process: ids made in the same millisecond (or while the
 * clock stands still or steps back) continue from the last one, so they sort in creation order,
 * which keyset pagination and exports rely on.
 */
export function ulid(now = Date.now()): string {
  let at = now;
  let random: number[];
  if (at <= lastTime) {
    at = lastTime;
    random = increment(lastRandom);
    if (random.length === 0) {
      at++; // 2^80 ids in one millisecond: move on to the next
      random = randomDigits();
    }
  } else random = randomDigits();
  lastTime = at;
  lastRandom = random;
  let time = '';
  let t = at;
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return time + random.map((d) => crockford[d]).join('');
}

/** 80 random bits as 16 base32 digits, 5 bits at a time. */
function randomDigits(): number[] {
  const digits: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of randomBytes(10)) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      digits.push((acc >> bits) & 31);
    }
  }
  return digits;
}

/** The digits plus one; empty when they were all 31 (overflow). */
function increment(digits: number[]): number[] {
  const next = [...digits];
  for (let i = next.length - 1; i >= 0; i--) {
    if ((next[i] as number) < 31) {
      next[i] = (next[i] as number) + 1;
      return next;
    }
    next[i] = 0;
  }
  return [];
}

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid()}`;
}

const idPattern = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` has the shape of an id of this kind (names never do: they cannot contain `_` + 26 chars of this alphabet after a known prefix). */
export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`) && idPattern.test(value);
}
