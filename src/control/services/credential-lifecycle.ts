// What every kind of credential shares (API keys, admin tokens, client secrets, Basic, mTLS and
// HMAC credentials): its status, how a PATCH sets its expiry, and how long a rotated one lives.
export type CredentialStatus = 'active' | 'expired' | 'revoked';

/** Revoked wins, then expired, else active. */
export function credentialStatus(
  row: { revokedAt: Date | null; expiresAt: Date | null },
  now = Date.now(),
): CredentialStatus {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}

/** A PATCH's `expiresAt`: left alone (undefined), removed (null) or set. */
export function expiryPatch(value: string | null | undefined): Date | null | undefined {
  return value === undefined ? undefined : value === null ? null : new Date(value);
}

/** Default grace period of a rotation: a day. */
export const defaultGraceSeconds = 86_400;

/** When a rotated credential stops working: after the grace period, never later than it would have. */
export function expiryAfterGrace(expiresAt: Date | null, graceSeconds: number | undefined, now: Date): Date {
  const graceEnds = new Date(now.getTime() + (graceSeconds ?? defaultGraceSeconds) * 1000);
  return expiresAt !== null && expiresAt < graceEnds ? expiresAt : graceEnds;
}
