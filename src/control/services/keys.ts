// API keys: generated here (or registered by plaintext or hash), stored only as a SHA-256 hash
// and a short prefix. The plaintext leaves this module once, in the create result.
import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { generateApiKey, hashSecret, keyPrefix } from '../../shared/secrets.ts';
import { apiKeys } from '../../store/schema/index.ts';
import type { CreatedKey, Key, KeyCreate, KeyUpdate } from '../model/key.ts';
import { findApplication } from './applications.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof apiKeys.$inferSelect;

export function toKey(row: Row): Key {
  return {
    id: row.id,
    applicationId: row.applicationId,
    prefix: row.prefix,
    label: row.label,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listKeys(db: Db, applicationId: string, page: PageRequest): Promise<Result<Page<Key>>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  return ok(await listPage(db, apiKeys, [eq(apiKeys.applicationId, applicationId)], page, toKey));
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
  const expiresAt =
    patch.expiresAt === undefined ? undefined : patch.expiresAt === null ? null : new Date(patch.expiresAt);
  const row = only(
    await db
      .update(apiKeys)
      .set({ label: patch.label, expiresAt })
      .where(eq(apiKeys.id, current.id))
      .returning(),
  );
  return ok(toKey(row));
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
