// Client authentication before oidc-provider sees a request. Clients authenticate with HTTP
// Basic (RFC 6749 §2.3.1: client id and secret, each form-urlencoded); the secret is checked
// against the application's stored hashes (any active one: several may be valid during a
// rotation) and replaced by the bound secret oidc-provider knows (clients.ts). A wrong secret
// is replaced by one that cannot match, so oidc-provider answers invalid_client as usual.
import type { IncomingMessage } from 'node:http';
import { verifyClientSecret } from '../services/client-secrets.ts';
import type { Db } from '../services/context.ts';
import { boundSecret } from './clients.ts';

function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replaceAll('+', ' '));
  } catch {
    return undefined;
  }
}

const formEncode = (value: string) => encodeURIComponent(value);

export async function bindClientSecret(req: IncomingMessage, db: Db, bindingKey: string): Promise<void> {
  const header = req.headers.authorization;
  if (header === undefined || !/^basic /i.test(header)) return;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return; // malformed: oidc-provider refuses it
  const clientId = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (clientId === undefined || secret === undefined) return;
  const valid = await verifyClientSecret(db, clientId, secret);
  // A wrong secret becomes one that never equals a bound secret (an empty one would read as none).
  const presented = valid ? boundSecret(bindingKey, clientId) : 'not-a-valid-secret';
  req.headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(presented)}`).toString('base64')}`;
}
