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
} as const;

export type IdKind = keyof typeof idPrefixes;

const crockford = '0123456789abcdefghjkmnpqrstvwxyz';

/** 10 characters of millisecond time then 16 of randomness, in Crockford base32 (a ULID, lower-cased). */
export function ulid(now = Date.now()): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  let rand = '';
  // 80 random bits → 16 base32 characters, 5 bits at a time.
  let acc = 0;
  let bits = 0;
  for (const byte of bytes) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      rand += crockford[(acc >> bits) & 31];
    }
  }
  return time + rand;
}

export function newId(kind: IdKind): string {
  return `${idPrefixes[kind]}_${ulid()}`;
}

const idPattern = /^[a-z]{3}_[0-9a-hjkmnp-tv-z]{26}$/;

/** True when `value` has the shape of an id of this kind (names never do: they cannot contain `_` + 26 chars of this alphabet after a known prefix). */
export function isId(kind: IdKind, value: string): boolean {
  return value.startsWith(`${idPrefixes[kind]}_`) && idPattern.test(value);
}
