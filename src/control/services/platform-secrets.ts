// Secrets the platform makes for itself on first use and keeps in the database, so every
// control-plane process (and every restart) shares them: the authorization server's cookie,
// form and client-binding keys, and the key HMAC credentials are sealed with.
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { ok } from '../../shared/errors.ts';
import { platformSecrets } from '../../store/schema/index.ts';
import type { Db } from './context.ts';
import { write } from './write.ts';

/** The key HMAC credentials' secrets are sealed with (src/shared/sealed.ts). */
export const credentialSealingKey = 'credential-sealing-key';

// Made once and never changed: each is read from the database once per process, not on every
// snapshot build.
const known = new WeakMap<Db, Map<string, string>>();

export async function platformSecret(db: Db, name: string): Promise<string> {
  const cached = known.get(db)?.get(name);
  if (cached !== undefined) return cached;
  const value = await readOrCreate(db, name);
  const values = known.get(db) ?? new Map<string, string>();
  values.set(name, value);
  known.set(db, values);
  return value;
}

async function readOrCreate(db: Db, name: string): Promise<string> {
  const fresh = randomBytes(32).toString('base64url');
  // Two processes starting at once: the first insert wins and both read the same value.
  await db.insert(platformSecrets).values({ name, value: fresh }).onConflictDoNothing();
  const [row] = await db.select().from(platformSecrets).where(eq(platformSecrets.name, name));
  if (!row) throw new Error(`platform secret ${name} could not be stored`);
  return row.value;
}

/**
 * Stores a platform value and, when it changed, makes a new configuration revision: for values
 * gateways get in the snapshot (the authorization server's issuer and audience), so that every
 * gateway, data-plane nodes included, hears of the change.
 */
export async function storePlatformValue(db: Db, name: string, value: string): Promise<boolean> {
  const result = await write(
    db,
    async (tx) => {
      const [row] = await tx.select().from(platformSecrets).where(eq(platformSecrets.name, name));
      if (row?.value === value) return ok(false);
      await tx
        .insert(platformSecrets)
        .values({ name, value })
        .onConflictDoUpdate({ target: platformSecrets.name, set: { value } });
      return ok(true);
    },
    { changed: (changed) => changed === true },
  );
  return result.ok && result.value;
}
