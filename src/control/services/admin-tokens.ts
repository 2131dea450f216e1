// Admin tokens: generated here, stored only as a SHA-256 hash and a short prefix, each acting in
// one role. The plaintext leaves this module once, in the create result.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { generateAdminToken, hashSecret } from '../../shared/secrets.ts';
import { adminTokens } from '../../store/schema/index.ts';
import type {
  AdminRole,
  AdminTokenCreate,
  AdminTokenOut,
  AdminTokenUpdate,
  CreatedAdminToken,
} from '../model/admin.ts';
import { keepsAnOwner, mayManage } from './admin-access.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { expiryPatch } from './credential-lifecycle.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof adminTokens.$inferSelect;

/** Shown in listings: `tpa_` and four characters, enough to tell tokens apart. */
const prefixLength = 8;

export function toAdminToken(row: Row): AdminTokenOut {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export function listAdminTokens(db: Db, page: PageRequest): Promise<Page<AdminTokenOut>> {
  return listPage(db, adminTokens, [], page, toAdminToken);
}

export async function getAdminToken(db: Db, id: string): Promise<Result<AdminTokenOut>> {
  const row = await findToken(db, id);
  return row ? ok(toAdminToken(row)) : fail('not-found', `no admin token ${id}`);
}

export async function createAdminToken(
  db: Db,
  actorRole: AdminRole,
  input: AdminTokenCreate,
): Promise<Result<CreatedAdminToken>> {
  const refused = mayManage(actorRole, input.role);
  if (refused) return refused;
  const token = generateAdminToken();
  const row = only(
    await db
      .insert(adminTokens)
      .values({
        id: newId('adminToken'),
        name: input.name,
        role: input.role,
        hash: hashSecret(token),
        prefix: token.slice(0, prefixLength),
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning(),
  );
  return ok({ ...toAdminToken(row), token });
}

export async function updateAdminToken(
  db: Db,
  actorRole: AdminRole,
  id: string,
  patch: AdminTokenUpdate,
): Promise<Result<AdminTokenOut>> {
  const current = await findToken(db, id);
  if (!current) return fail('not-found', `no admin token ${id}`);
  const refused = mayManage(actorRole, current.role, patch.role);
  if (refused) return refused;
  const losesOwner =
    current.role === 'owner' &&
    ((patch.role !== undefined && patch.role !== 'owner') ||
      (patch.expiresAt != null && new Date(patch.expiresAt) <= new Date()));
  if (losesOwner) {
    const last = await keepsAnOwner(db, current.id);
    if (last) return last;
  }
  const expiresAt = expiryPatch(patch.expiresAt);
  const row = only(
    await db
      .update(adminTokens)
      .set({ name: patch.name, role: patch.role, expiresAt })
      .where(eq(adminTokens.id, current.id))
      .returning(),
  );
  return ok(toAdminToken(row));
}

export async function deleteAdminToken(db: Db, actorRole: AdminRole, id: string): Promise<Result<void>> {
  const current = await findToken(db, id);
  if (!current) return fail('not-found', `no admin token ${id}`);
  const refused = mayManage(actorRole, current.role);
  if (refused) return refused;
  if (current.role === 'owner') {
    const last = await keepsAnOwner(db, current.id);
    if (last) return last;
  }
  await db.delete(adminTokens).where(eq(adminTokens.id, current.id));
  return ok(undefined);
}

async function findToken(db: Db, id: string): Promise<Row | undefined> {
  if (!isId('adminToken', id)) return undefined;
  const [row] = await db.select().from(adminTokens).where(eq(adminTokens.id, id));
  return row;
}
