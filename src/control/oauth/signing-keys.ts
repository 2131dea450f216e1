// The authorization server's signing keys. Three states make a rotation invisible to callers:
// `next` is published (in the JWKS and in gateway snapshots) before it signs anything; a
// rotation makes it `active`, the old active key `retired` (still published, so tokens it
// signed keep verifying until they expire) and creates a new `next`. Retired keys older than
// the longest token lifetime are dropped on the following rotation.
import { randomUUID } from 'node:crypto';
import { and, eq, lt } from 'drizzle-orm';
import { exportJWK, generateKeyPair } from 'jose';
import { newId } from '../../shared/ids.ts';
import { oauthSigningKeys } from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';
import { write } from '../services/write.ts';

export const signingAlgorithm = 'ES256';

type Row = typeof oauthSigningKeys.$inferSelect;

export interface SigningKeyInfo {
  kid: string;
  alg: string;
  state: Row['state'];
  createdAt: string;
  retiredAt: string | null;
}

async function newKey(state: Row['state']) {
  const { privateKey, publicKey } = await generateKeyPair(signingAlgorithm, { extractable: true });
  const kid = randomUUID();
  const meta = { kid, alg: signingAlgorithm, use: 'sig' };
  return {
    id: newId('signingKey'),
    kid,
    alg: signingAlgorithm,
    state,
    privateJwk: { ...(await exportJWK(privateKey)), ...meta },
    publicJwk: { ...(await exportJWK(publicKey)), ...meta },
  };
}

/** Makes sure there is an active and a next key (the first start creates both). */
export async function ensureSigningKeys(db: Db): Promise<void> {
  const rows = await db.select({ state: oauthSigningKeys.state }).from(oauthSigningKeys);
  const missing = (['active', 'next'] as const).filter((state) => !rows.some((r) => r.state === state));
  if (missing.length === 0) return;
  const keys = await Promise.all(missing.map(newKey));
  await write(
    db,
    async (tx) => {
      // Another process may have created them meanwhile: check again under the revision lock.
      const now = await tx.select({ state: oauthSigningKeys.state }).from(oauthSigningKeys);
      const still = keys.filter((k) => !now.some((r) => r.state === k.state));
      if (still.length > 0) await tx.insert(oauthSigningKeys).values(still);
      return { ok: true as const, value: still.length > 0 };
    },
    { changed: (inserted) => inserted === true },
  );
}

/** Private keys for oidc-provider, the signing one first (it signs with the first that fits). */
export async function privateSigningKeys(db: Db): Promise<Record<string, unknown>[]> {
  return order(await db.select().from(oauthSigningKeys)).map((row) => row.privateJwk);
}

/** Public keys for gateways: every published key, signing or not. */
export async function publicSigningKeys(db: Db): Promise<Record<string, unknown>[]> {
  return order(await db.select().from(oauthSigningKeys)).map((row) => row.publicJwk);
}

export async function listSigningKeys(db: Db): Promise<SigningKeyInfo[]> {
  return order(await db.select().from(oauthSigningKeys)).map((row) => ({
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
  }));
}

/**
 * Promotes `next`, retires `active`, creates a new `next`, and drops keys retired longer than
 * `keepRetiredMs` ago (the longest lifetime of a token they may have signed). A new config
 * revision follows, so gateways get the new key set.
 */
export async function rotateSigningKeys(
  db: Db,
  keepRetiredMs: number,
  record: (tx: Db, before: SigningKeyInfo[], after: SigningKeyInfo[]) => Promise<void> = async () => {},
) {
  const fresh = await newKey('next');
  return write(db, async (tx) => {
    const before = order(await tx.select().from(oauthSigningKeys)).map(info);
    const now = new Date();
    await tx
      .delete(oauthSigningKeys)
      .where(
        and(
          eq(oauthSigningKeys.state, 'retired'),
          lt(oauthSigningKeys.retiredAt, new Date(now.getTime() - keepRetiredMs)),
        ),
      );
    await tx
      .update(oauthSigningKeys)
      .set({ state: 'retired', retiredAt: now })
      .where(eq(oauthSigningKeys.state, 'active'));
    await tx.update(oauthSigningKeys).set({ state: 'active' }).where(eq(oauthSigningKeys.state, 'next'));
    await tx.insert(oauthSigningKeys).values(fresh);
    const after = order(await tx.select().from(oauthSigningKeys)).map(info);
    await record(tx, before, after);
    return { ok: true as const, value: after };
  });
}

const rank = { active: 0, next: 1, retired: 2 } as const;

function order(rows: Row[]): Row[] {
  return rows.sort((a, b) => rank[a.state] - rank[b.state] || b.createdAt.getTime() - a.createdAt.getTime());
}

function info(row: Row): SigningKeyInfo {
  return {
    kid: row.kid,
    alg: row.alg,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    retiredAt: row.retiredAt?.toISOString() ?? null,
  };
}
