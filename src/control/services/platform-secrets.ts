// Secrets the platform makes for itself on first use and keeps in the database, so every
// control-plane process (and every restart) shares them: the authorization server's cookie,
// form and client-binding keys, and the key HMAC credentials are sealed with.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { platformSecrets } from '../../store/schema/index.ts';
import type { Db } from './context.ts';

/** The key HMAC credentials' secrets are sealed with (src/shared/sealed.ts). */
export const credentialSealingKey = 'credential-sealing-key';

export async function platformSecret(db: Db, name: string): Promise<string> {
  const fresh = randomBytes(32).toString('base64url');
  // Two processes starting at once: the first insert wins and both read the same value.
  await db.insert(platformSecrets).values({ name, value: fresh }).onConflictDoNothing();
  const [row] = await db.select().from(platformSecrets).where(eq(platformSecrets.name, name));
  if (!row) throw new Error(`platform secret ${name} could not be stored`);
  return row.value;
}
