// oidc-provider's storage (its "adapter" interface) on Turnpike's database: one table of JSON
// records by model, so authorization codes, refresh tokens, grants and sessions survive a
// restart and are shared by every control-plane process on one PostgreSQL. Clients are not
// stored here: they are applications (clients.ts).
import { and, eq, lt } from 'drizzle-orm';
import { ok } from '../../shared/errors.ts';
import { oauthRecords, oauthRevokedGrants } from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';
import { write } from '../services/write.ts';

type Payload = Record<string, unknown>;

/** What oidc-provider expects of an adapter instance, one per model name. */
export interface ProviderAdapter {
  readonly model: string;
  upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/** Expired records are swept now and then, not on every write. */
const sweepEvery = 200;

/** Access tokens of a revoked grant may be this much older than their lifetime (clock skew). */
const skewSeconds = 60;

/**
 * Remembers a revoked grant until the last access token issued under it has expired, in a write
 * that makes a new configuration revision: the gateways, which check access tokens without
 * asking anyone, get the list in their next snapshot (the `gid` claim names the grant).
 */
export async function denyGrant(db: Db, grantId: string, accessTokenSeconds: number): Promise<boolean> {
  const now = Date.now();
  const result = await write(
    db,
    async (tx) => {
      await tx.delete(oauthRevokedGrants).where(lt(oauthRevokedGrants.expiresAt, new Date(now)));
      const added = await tx
        .insert(oauthRevokedGrants)
        .values({ grantId, expiresAt: new Date(now + (accessTokenSeconds + skewSeconds) * 1000) })
        .onConflictDoNothing()
        .returning({ grantId: oauthRevokedGrants.grantId });
      return ok(added.length > 0);
    },
    { changed: (added) => added === true },
  );
  return result.ok && result.value;
}

export interface RevocationHooks {
  accessTokenSeconds: number;
  /** A revoked grant made a new revision: rebuild and hand out the snapshot now. */
  configurationChanged: () => Promise<void>;
}

export function recordAdapter(db: Db, revoked: RevocationHooks): new (model: string) => ProviderAdapter {
  const { accessTokenSeconds } = revoked;
  let writes = 0;

  async function sweep(): Promise<void> {
    await db.delete(oauthRecords).where(lt(oauthRecords.expiresAt, new Date()));
  }

  async function findWhere(model: string, condition: ReturnType<typeof eq>): Promise<Payload | undefined> {
    const [row] = await db
      .select()
      .from(oauthRecords)
      .where(and(eq(oauthRecords.model, model), condition));
    if (!row || (row.expiresAt !== null && row.expiresAt.getTime() <= Date.now())) return undefined;
    return row.consumedAt === null
      ? row.payload
      : { ...row.payload, consumed: Math.floor(row.consumedAt.getTime() / 1000) };
  }

  return class RecordAdapter implements ProviderAdapter {
    readonly model: string;

    constructor(model: string) {
      this.model = model;
    }

    async upsert(id: string, payload: Payload, expiresIn: number | undefined): Promise<void> {
      const values = {
        model: this.model,
        id,
        payload,
        // A grant is its own family: revoking it removes it with its codes and tokens.
        grantId: this.model === 'Grant' ? id : typeof payload.grantId === 'string' ? payload.grantId : null,
        uid: typeof payload.uid === 'string' ? payload.uid : null,
        userCode: typeof payload.userCode === 'string' ? payload.userCode : null,
        expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
      };
      await db
        .insert(oauthRecords)
        .values(values)
        .onConflictDoUpdate({
          target: [oauthRecords.model, oauthRecords.id],
          set: values,
        });
      if (++writes % sweepEvery === 0) await sweep();
    }

    find(id: string): Promise<Payload | undefined> {
      return findWhere(this.model, eq(oauthRecords.id, id));
    }

    findByUid(uid: string): Promise<Payload | undefined> {
      return findWhere(this.model, eq(oauthRecords.uid, uid));
    }

    findByUserCode(userCode: string): Promise<Payload | undefined> {
      return findWhere(this.model, eq(oauthRecords.userCode, userCode));
    }

    async consume(id: string): Promise<void> {
      await db
        .update(oauthRecords)
        .set({ consumedAt: new Date() })
        .where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, id)));
    }

    async destroy(id: string): Promise<void> {
      await db.delete(oauthRecords).where(and(eq(oauthRecords.model, this.model), eq(oauthRecords.id, id)));
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      // Every model: a grant's codes, refresh tokens and the grant itself go together.
      await db.delete(oauthRecords).where(eq(oauthRecords.grantId, grantId));
      // Access tokens are JWTs stored nowhere; oidc-provider asks this model too on every
      // revocation, which is the moment to tell the gateways.
      if (this.model === 'AccessToken' && (await denyGrant(db, grantId, accessTokenSeconds)))
        await revoked.configurationChanged();
    }
  };
}
