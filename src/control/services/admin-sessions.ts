// Console sessions: an admin user signs in with email and password and gets a session cookie
// and a CSRF token. Both are random and stored only as SHA-256 hashes; a session lasts 12 hours.
import { and, eq, gt, lt } from 'drizzle-orm';
import { csrfTokenFor, randomBase62 } from '../../shared/crypto.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { checkPassword } from '../../shared/passwords.ts';
import { hashSecret } from '../../shared/secrets.ts';
import { adminSessions, adminUsers } from '../../store/schema/index.ts';
import type { AdminUserOut } from '../model/admin.ts';
import { normalizeEmail, toAdminUser } from './admin-users.ts';
import type { Db } from './context.ts';

export const sessionLifetimeMs = 12 * 60 * 60 * 1000;

export interface NewSession {
  user: AdminUserOut;
  sessionId: string;
  /** For the cookie; never stored. */
  token: string;
  /** For the X-CSRF-Token header; never stored. */
  csrfToken: string;
  expiresAt: Date;
}

export async function signIn(db: Db, email: string, password: string): Promise<Result<NewSession>> {
  const [user] = await db
    .select()
    .from(adminUsers)
    .where(eq(adminUsers.email, normalizeEmail(email)));
  if (!(await checkPassword(user?.passwordHash, password)) || !user)
    return fail('sign-in-failed', 'the email or the password is wrong');
  const token = `tps_${randomBase62(40)}`;
  const csrfToken = csrfTokenFor(token);
  const expiresAt = new Date(Date.now() + sessionLifetimeMs);
  const sessionId = newId('adminSession');
  await db.transaction(async (tx) => {
    // Expired sessions are cleared as new ones are made: the table stays small without a timer.
    await tx.delete(adminSessions).where(lt(adminSessions.expiresAt, new Date()));
    await tx.insert(adminSessions).values({
      id: sessionId,
      userId: user.id,
      hash: hashSecret(token),
      csrfHash: hashSecret(csrfToken),
      expiresAt,
    });
    await tx.update(adminUsers).set({ lastLoginAt: new Date() }).where(eq(adminUsers.id, user.id));
  });
  return ok({ user: toAdminUser(user), sessionId, token, csrfToken, expiresAt });
}

export interface ActiveSession {
  sessionId: string;
  csrfHash: string;
  user: AdminUserOut;
}

export async function findSession(db: Db, token: string): Promise<ActiveSession | undefined> {
  const [row] = await db
    .select({ session: adminSessions, user: adminUsers })
    .from(adminSessions)
    .innerJoin(adminUsers, eq(adminUsers.id, adminSessions.userId))
    .where(and(eq(adminSessions.hash, hashSecret(token)), gt(adminSessions.expiresAt, new Date())));
  return row && { sessionId: row.session.id, csrfHash: row.session.csrfHash, user: toAdminUser(row.user) };
}

export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.id, sessionId));
}
