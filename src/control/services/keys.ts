// API keys: generated here (or registered by plaintext or hash), stored only as a SHA-256 hash
// and a short prefix. The plaintext leaves this module once, in the create result.
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { generateApiKey, hashSecret, keyPrefix } from '../../shared/secrets.ts';
import { apiKeys } from '../../store/schema/index.ts';
import type { CreatedKey, Key, KeyCreate, KeyRotate, KeyUpdate } from '../model/key.ts';
import { findApplication } from './applications.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { credentialStatus, expiryAfterGrace, expiryPatch } from './credential-lifecycle.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof apiKeys.$inferSelect;

export function toKey(row: Row, now = Date.now()): Key {
  const status = credentialStatus(row, now);
  return {
    id: row.id,
    applicationId: row.applicationId,
    prefix: row.prefix,
    label: row.label,
    status,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    rotatedFrom: row.rotatedFrom,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listKeys(db: Db, applicationId: string, page: PageRequest): Promise<Result<Page<Key>>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  return ok(
    await listPage(db, apiKeys, [eq(apiKeys.applicationId, applicationId)], page, (row: Row) => toKey(row)),
  );
}

export async function getKey(db: Db, applicationId: string, keyId: string): Promise<Result<Key>> {
  const row = await findKey(db, applicationId, keyId);
  return row ? ok(toKey(row)) : fail('not-found', `application ${applicationId} has no key ${keyId}`);
}

export async function createKey(
  db: Db,
  applicationId: string,
  input: KeyCreate,
): Promise<Result<CreatedKey>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  const plaintext = input.hash ? undefined : (input.key ?? generateApiKey());
  const hash = plaintext ? hashSecret(plaintext) : (input.hash ?? '');
  const [existing] = await db.select({ id: apiKeys.id }).from(apiKeys).where(eq(apiKeys.hash, hash));
  if (existing) return fail('conflict', 'this key is already registered');
  const row = only(
    await db
      .insert(apiKeys)
      .values({
        id: newId('key'),
        applicationId,
        hash,
        prefix: plaintext ? keyPrefix(plaintext) : null,
        label: input.label ?? '',
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning(),
  );
  const created = toKey(row);
  return ok(plaintext ? { ...created, key: plaintext } : created);
}

export async function updateKey(
  db: Db,
  applicationId: string,
  keyId: string,
  patch: KeyUpdate,
): Promise<Result<Key>> {
  const current = await findKey(db, applicationId, keyId);
  if (!current) return fail('not-found', `application ${applicationId} has no key ${keyId}`);
  if (patch.label === undefined && patch.expiresAt === undefined) return ok(toKey(current));
  if (current.revokedAt !== null && patch.expiresAt !== undefined)
    return fail('invalid-transition', 'the key is revoked; revocation is final');
  const expiresAt = expiryPatch(patch.expiresAt);
  const row = only(
    await db
      .update(apiKeys)
      .set({ label: patch.label, expiresAt })
      .where(eq(apiKeys.id, current.id))
      .returning(),
  );
  return ok(toKey(row));
}

/**
 * Issues a new key for the same application and lets the old one work for a grace period
 * (never longer than it would have anyway). Both work during the grace period, so callers can
 * switch without a moment of failures.
 */
export async function rotateKey(
  db: Db,
  applicationId: string,
  keyId: string,
  input: KeyRotate,
  now = new Date(),
): Promise<Result<{ old: Key; issued: CreatedKey }>> {
  const current = await findKey(db, applicationId, keyId);
  if (!current) return fail('not-found', `application ${applicationId} has no key ${keyId}`);
  if (current.revokedAt !== null)
    return fail('invalid-transition', 'the key is revoked; create a new key instead');
  const expiresAt = expiryAfterGrace(current.expiresAt, input.gracePeriodSeconds, now);
  const old = only(await db.update(apiKeys).set({ expiresAt }).where(eq(apiKeys.id, current.id)).returning());
  const plaintext = generateApiKey(current.prefix?.startsWith('tp_test_') ? 'test' : 'live');
  const row = only(
    await db
      .insert(apiKeys)
      .values({
        id: newId('key'),
        applicationId,
        hash: hashSecret(plaintext),
        prefix: keyPrefix(plaintext),
        label: input.label ?? current.label,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
        rotatedFrom: current.id,
      })
      .returning(),
  );
  return ok({ old: toKey(old), issued: { ...toKey(row), key: plaintext } });
}

/** The gateways refuse the key from the next configuration on (within a second); the row stays, for the record. */
export async function revokeKey(db: Db, applicationId: string, keyId: string): Promise<Result<Key>> {
  const current = await findKey(db, applicationId, keyId);
  if (!current) return fail('not-found', `application ${applicationId} has no key ${keyId}`);
  if (current.revokedAt !== null) return fail('invalid-transition', 'the key is already revoked');
  const row = only(
    await db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, current.id)).returning(),
  );
  return ok(toKey(row));
}

/**
 * Sets the keys' last use to `at`, from the gateways' reports. Not configuration (no revision,
 * no audit event); rows already this recent are left alone, so a busy key costs one write a minute.
 */
export async function recordKeyUse(db: Db, ids: string[], at = new Date()): Promise<void> {
  const valid = ids.filter((id) => isId('key', id));
  if (valid.length === 0) return;
  const staleBefore = new Date(at.getTime() - 60_000);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: at })
    .where(
      and(inArray(apiKeys.id, valid), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))),
    );
}

export async function deleteKey(db: Db, applicationId: string, keyId: string): Promise<Result<void>> {
  const current = await findKey(db, applicationId, keyId);
  if (!current) return fail('not-found', `application ${applicationId} has no key ${keyId}`);
  await db.delete(apiKeys).where(eq(apiKeys.id, current.id));
  return ok(undefined);
}

async function findKey(db: Db, applicationId: string, keyId: string): Promise<Row | undefined> {
  if (!isId('key', keyId)) return undefined;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.applicationId, applicationId)));
  return row;
}
