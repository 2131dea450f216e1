// Webhook signatures, as Stripe signs its webhooks: `Turnpike-Signature: t=<unix seconds>,v1=<hex>`
// where the hex is HMAC-SHA256 with the webhook's secret over `<t>.<raw body>`. The time inside the
// signed text lets a receiver refuse an old call replayed later.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'turnpike-signature';
export const eventIdHeader = 'turnpike-event-id';

/** How far a signature's time may be from the receiver's clock by default, in seconds. */
export const defaultToleranceSeconds = 300;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The header value for `body` signed at `now`. */
export function signWebhook(secret: string, body: string, now = Date.now()): string {
  const t = Math.floor(now / 1000);
  return `t=${t},v1=${signatureOf(secret, t, body)}`;
}

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'malformed' | 'too-old' | 'mismatch' };

/**
 * Checks a `Turnpike-Signature` header against the raw body, as a receiver does: any `v1` may
 * match (there may be several while a secret changes), and the time must be within the tolerance.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: string,
  secret: string,
  options: { toleranceSeconds?: number; now?: number } = {},
): SignatureCheck {
  if (!header) return { ok: false, reason: 'malformed' };
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  if (timestamp === undefined || signatures.length === 0) return { ok: false, reason: 'malformed' };
  const now = (options.now ?? Date.now()) / 1000;
  if (Math.abs(now - timestamp) > (options.toleranceSeconds ?? defaultToleranceSeconds))
    return { ok: false, reason: 'too-old' };
  const expected = Buffer.from(signatureOf(secret, timestamp, body), 'hex');
  const match = signatures.some((s) => timingSafeEqual(Buffer.from(s, 'hex'), expected));
  return match ? { ok: true, timestamp } : { ok: false, reason: 'mismatch' };
}
