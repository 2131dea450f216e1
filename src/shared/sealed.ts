// Secrets the platform must be able to read back (HMAC signing secrets: the gateway computes the
// same signature), stored sealed: AES-256-GCM under a key kept apart from the rows it protects.
// A copy of the table alone does not reveal them. Format: `v1.<iv>.<ciphertext+tag>`, base64url.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const version = 'v1';

function keyOf(secret: string): Buffer {
  // The platform secret is random text; hash it to exactly 32 bytes.
  return createHash('sha256').update(secret).digest();
}

export function seal(plaintext: string, keySecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(keySecret), iv);
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return `${version}.${iv.toString('base64url')}.${body.toString('base64url')}`;
}

/** The plaintext, or undefined when the value is not sealed with this key (or was altered). */
export function unseal(sealed: string, keySecret: string): string | undefined {
  const [tag, ivText, bodyText] = sealed.split('.');
  if (tag !== version || ivText === undefined || bodyText === undefined) return undefined;
  const iv = Buffer.from(ivText, 'base64url');
  const body = Buffer.from(bodyText, 'base64url');
  if (iv.length !== 12 || body.length < 16) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(keySecret), iv);
    decipher.setAuthTag(body.subarray(body.length - 16));
    return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return undefined;
  }
}

export function isSealed(value: string): boolean {
  return /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22,}$/.test(value);
}
