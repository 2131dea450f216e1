// The status every kind of credential shows (API keys, client secrets, Basic, mTLS and HMAC
// credentials): revoked wins, then expired, else active.
export type CredentialStatus = 'active' | 'expired' | 'revoked';

export function credentialStatus(
  row: { revokedAt: Date | null; expiresAt: Date | null },
  now = Date.now(),
): CredentialStatus {
  if (row.revokedAt !== null) return 'revoked';
  if (row.expiresAt !== null && row.expiresAt.getTime() <= now) return 'expired';
  return 'active';
}
