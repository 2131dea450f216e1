// End users: people who sign in at the authorization server to let an application act for them.
// Directory users sign in with an email, unique among them whatever its case, and a password kept
// only as an argon2id hash that never leaves this module. Federated users sign in at an identity
// provider and are known by its subject; they are created at their first sign-in.
import { and, eq, isNull, ne } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { checkPassword, hashPassword } from '../../shared/passwords.ts';
import { endUsers } from '../../store/schema/index.ts';
import type { EndUser, EndUserCreate, EndUserUpdate } from '../model/end-user.ts';
import { normalizeEmail } from './admin-users.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof endUsers.$inferSelect;

export function toEndUser(row: Row): EndUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    state: row.state,
    identityProviderId: row.identityProviderId,
    externalSubject: row.externalSubject,
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface EndUserFilter {
  email?: string | undefined;
  state?: Row['state'] | undefined;
}

export function listEndUsers(db: Db, filter: EndUserFilter, page: PageRequest): Promise<Page<EndUser>> {
  return listPage(
    db,
    endUsers,
    [
      filter.email ? eq(endUsers.email, normalizeEmail(filter.email)) : undefined,
      filter.state ? eq(endUsers.state, filter.state) : undefined,
    ],
    page,
    toEndUser,
  );
}

export async function getEndUser(db: Db, id: string): Promise<Result<EndUser>> {
  const row = await findEndUser(db, id);
  return row ? ok(toEndUser(row)) : fail('not-found', `no end user ${id}`);
}

export async function createEndUser(db: Db, input: EndUserCreate): Promise<Result<EndUser>> {
  const email = normalizeEmail(input.email);
  const taken = await emailTaken(db, email, undefined);
  if (taken) return taken;
  const row = only(
    await db
      .insert(endUsers)
      .values({
        id: newId('endUser'),
        email,
        name: input.name ?? '',
        passwordHash: await hashPassword(input.password),
        state: input.state ?? 'active',
      })
      .returning(),
  );
  return ok(toEndUser(row));
}

export async function updateEndUser(db: Db, id: string, patch: EndUserUpdate): Promise<Result<EndUser>> {
  const current = await findEndUser(db, id);
  if (!current) return fail('not-found', `no end user ${id}`);
  if (current.identityProviderId !== null && (patch.email !== undefined || patch.password !== undefined))
    return fail(
      'validation-failed',
      'this end user signs in at an identity provider: only the name and state can be changed here',
    );
  const email = patch.email === undefined ? undefined : normalizeEmail(patch.email);
  if (email !== undefined && email !== current.email) {
    const taken = await emailTaken(db, email, current.id);
    if (taken) return taken;
  }
  const row = only(
    await db
      .update(endUsers)
      .set({
        email,
        name: patch.name,
        state: patch.state,
        passwordHash: patch.password === undefined ? undefined : await hashPassword(patch.password),
        updatedAt: new Date(),
      })
      .where(eq(endUsers.id, current.id))
      .returning(),
  );
  return ok(toEndUser(row));
}

export async function deleteEndUser(db: Db, id: string): Promise<Result<void>> {
  const current = await findEndUser(db, id);
  if (!current) return fail('not-found', `no end user ${id}`);
  await db.delete(endUsers).where(eq(endUsers.id, current.id));
  return ok(undefined);
}

/**
 * The authorization server's sign-in check: the user with this email when the password matches
 * and the user is active, else undefined. An unknown email still runs one argon2id verification
 * and a disabled user's password is still checked, so timing tells neither apart from a wrong
 * password. Records the sign-in time on success.
 */
export async function verifyEndUserPassword(
  db: Db,
  email: string,
  password: string,
): Promise<EndUser | undefined> {
  const [user] = await db
    .select()
    .from(endUsers)
    .where(and(eq(endUsers.email, normalizeEmail(email)), isNull(endUsers.identityProviderId)));
  if (!(await checkPassword(user?.passwordHash ?? undefined, password)) || !user || user.state !== 'active')
    return undefined;
  // Deleted or disabled in the meantime: no sign-in.
  const [row] = await db
    .update(endUsers)
    .set({ lastLoginAt: new Date() })
    .where(and(eq(endUsers.id, user.id), eq(endUsers.state, 'active')))
    .returning();
  return row && toEndUser(row);
}

export async function findEndUser(db: Db, id: string): Promise<Row | undefined> {
  if (!isId('endUser', id)) return undefined;
  const [row] = await db.select().from(endUsers).where(eq(endUsers.id, id));
  return row;
}

async function emailTaken(db: Db, email: string, exceptId: string | undefined) {
  const [row] = await db
    .select({ id: endUsers.id })
    .from(endUsers)
    .where(
      and(
        eq(endUsers.email, email),
        isNull(endUsers.identityProviderId),
        exceptId ? ne(endUsers.id, exceptId) : undefined,
      ),
    );
  return row ? fail('conflict', `an end user with email ${email} exists`) : undefined;
}

export interface FederatedSignIn {
  identityProviderId: string;
  subject: string;
  email: string | undefined;
  name: string | undefined;
}

/**
 * A sign-in at an identity provider: the end user it names, created at the first sign-in and
 * updated with the provider's email and name at each one; undefined when an administrator has
 * disabled that user.
 */
export async function signInFederated(db: Db, signIn: FederatedSignIn): Promise<EndUser | undefined> {
  const now = new Date();
  const email = signIn.email === undefined ? undefined : normalizeEmail(signIn.email);
  const [row] = await db
    .insert(endUsers)
    .values({
      id: newId('endUser'),
      email: email ?? '',
      name: signIn.name ?? '',
      passwordHash: null,
      identityProviderId: signIn.identityProviderId,
      externalSubject: signIn.subject,
      lastLoginAt: now,
    })
    .onConflictDoUpdate({
      target: [endUsers.identityProviderId, endUsers.externalSubject],
      set: { email, name: signIn.name, lastLoginAt: now, updatedAt: now },
    })
    .returning();
  return row?.state === 'active' ? toEndUser(row) : undefined;
}
