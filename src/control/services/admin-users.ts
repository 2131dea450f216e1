// Admin users: people who sign in to the console, with a role. Passwords are kept only as
// argon2id hashes; changing a password or removing a user ends their sessions.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { hashPassword } from '../../shared/passwords.ts';
import { adminSessions, adminUsers } from '../../store/schema/index.ts';
import type { AdminRole, AdminUserCreate, AdminUserOut, AdminUserUpdate } from '../model/admin.ts';
import { keepsAnOwner, mayManage } from './admin-access.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof adminUsers.$inferSelect;

export function toAdminUser(row: Row): AdminUserOut {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Emails compare without regard to case: one person, one account. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export function listAdminUsers(db: Db, page: PageRequest): Promise<Page<AdminUserOut>> {
  return listPage(db, adminUsers, [], page, toAdminUser);
}

export async function getAdminUser(db: Db, id: string): Promise<Result<AdminUserOut>> {
  const row = await findUser(db, id);
  return row ? ok(toAdminUser(row)) : fail('not-found', `no admin user ${id}`);
}

export async function createAdminUser(
  db: Db,
  actorRole: AdminRole,
  input: AdminUserCreate,
): Promise<Result<AdminUserOut>> {
  const refused = mayManage(actorRole, input.role);
  if (refused) return refused;
  const email = normalizeEmail(input.email);
  const [taken] = await db.select({ id: adminUsers.id }).from(adminUsers).where(eq(adminUsers.email, email));
  if (taken) return fail('conflict', `an admin user with email ${email} exists`);
  const row = only(
    await db
      .insert(adminUsers)
      .values({
        id: newId('adminUser'),
        email,
        name: input.name ?? '',
        role: input.role,
        passwordHash: await hashPassword(input.password),
      })
      .returning(),
  );
  return ok(toAdminUser(row));
}

export async function updateAdminUser(
  db: Db,
  actorRole: AdminRole,
  id: string,
  patch: AdminUserUpdate,
): Promise<Result<AdminUserOut>> {
  const current = await findUser(db, id);
  if (!current) return fail('not-found', `no admin user ${id}`);
  const refused = mayManage(actorRole, current.role, patch.role);
  if (refused) return refused;
  if (current.role === 'owner' && patch.role !== undefined && patch.role !== 'owner') {
    const last = await keepsAnOwner(db, current.id);
    if (last) return last;
  }
  const row = only(
    await db
      .update(adminUsers)
      .set({
        name: patch.name,
        role: patch.role,
        passwordHash: patch.password === undefined ? undefined : await hashPassword(patch.password),
        updatedAt: new Date(),
      })
      .where(eq(adminUsers.id, current.id))
      .returning(),
  );
  // A new password or role ends the sessions: a stolen session does not outlive a reset, and a
  // demoted user signs in again in the new role.
  if (patch.password !== undefined || (patch.role !== undefined && patch.role !== current.role))
    await db.delete(adminSessions).where(eq(adminSessions.userId, current.id));
  return ok(toAdminUser(row));
}

export async function deleteAdminUser(db: Db, actorRole: AdminRole, id: string): Promise<Result<void>> {
  const current = await findUser(db, id);
  if (!current) return fail('not-found', `no admin user ${id}`);
  const refused = mayManage(actorRole, current.role);
  if (refused) return refused;
  if (current.role === 'owner') {
    const last = await keepsAnOwner(db, current.id);
    if (last) return last;
  }
  await db.delete(adminUsers).where(eq(adminUsers.id, current.id)); // sessions go with it
  return ok(undefined);
}

export async function findUser(db: Db, id: string): Promise<Row | undefined> {
  if (!isId('adminUser', id)) return undefined;
  const [row] = await db.select().from(adminUsers).where(eq(adminUsers.id, id));
  return row;
}
