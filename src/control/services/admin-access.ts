// Rules shared by admin tokens and admin users: who may grant which role, and that the store
// never loses its last owner (a deleted or demoted last owner would lock everyone out of the
// admin users and tokens for good).
import { and, count, eq, gt, isNull, ne, or } from 'drizzle-orm';
import { fail, type Result } from '../../shared/errors.ts';
import { adminTokens, adminUsers } from '../../store/schema/index.ts';
import type { AdminRole } from '../model/admin.ts';
import type { Db } from './context.ts';

/** Admins manage admins, editors and viewers; only owners manage owners. */
export function mayManage(
  actorRole: AdminRole,
  ...roles: (AdminRole | undefined)[]
): Result<never> | undefined {
  if (actorRole === 'owner') return undefined;
  if (actorRole !== 'admin') return fail('forbidden', 'managing admin users and tokens needs the admin role');
  if (roles.includes('owner'))
    return fail('forbidden', 'only an owner can grant, change or remove the owner role');
  return undefined;
}

/** Refuses a change that would leave no owner, `except` being the token or user it removes or demotes. */
export async function keepsAnOwner(db: Db, except: string): Promise<Result<never> | undefined> {
  const [tokens] = await db
    .select({ n: count() })
    .from(adminTokens)
    .where(
      and(
        eq(adminTokens.role, 'owner'),
        ne(adminTokens.id, except),
        or(isNull(adminTokens.expiresAt), gt(adminTokens.expiresAt, new Date())),
      ),
    );
  const [users] = await db
    .select({ n: count() })
    .from(adminUsers)
    .where(and(eq(adminUsers.role, 'owner'), ne(adminUsers.id, except)));
  if ((tokens?.n ?? 0) + (users?.n ?? 0) > 0) return undefined;
  return fail('conflict', 'this is the last owner; make another token or user an owner first');
}
