// Hashing and comparison of secrets. Secrets are stored only as SHA-256 hashes; comparisons
// that involve a secret are constant-time.
import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The CSRF token of a browser session, derived from its cookie: handed out again after a reload
 * (`GET …/session`) without being stored in the clear; only same-origin pages can read the
 * answers that carry it, and the cookie it derives from is HttpOnly.
 */
export function csrfTokenFor(sessionToken: string): string {
  return sha256Hex(`csrf\n${sessionToken}`);
}

export function sha256Hex(value: string): string {
  return hash('sha256', value, 'hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** `length` characters drawn uniformly from base62 (rejection sampling keeps it unbiased). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += base62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function toBase62(value: number, width: number): string {
  let out = '';
  let v = value;
  for (let i = 0; i < width; i++) {
    out = base62[v % 62] + out;
    v = Math.floor(v / 62);
  }
  return out;
}
