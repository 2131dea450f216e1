// Members of an account and invitations to join it. Owners and admins invite, change roles and
// remove; only owners touch owners; anyone may leave; an account always keeps an owner.
// Invitation links are random tokens stored as SHA-256 hashes, valid 7 days, used once.

import { and, asc, count, eq, gt, lt } from 'drizzle-orm';
import { randomBase62 } from '../../shared/crypto.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { hashPassword } from '../../shared/passwords.ts';
import { hashSecret } from '../../shared/secrets.ts';
import {
  type AccountRole,
  accountInvitations,
  accountMembers,
  accounts,
  developers,
} from '../../store/schema/index.ts';
import { normalizeEmail } from './admin-users.ts';
import type { Db } from './context.ts';
import { checkCustomFields } from './custom-fields.ts';
import { type DeveloperRow, type NewDeveloperSession, startSession } from './developers.ts';

export const invitationLifetimeMs = 7 * 86_400_000;

/** Who acts: a developer in their role in the account. */
export interface MemberActor {
  developerId: string;
  accountId: string;
  role: AccountRole;
}

export interface Member {
  developerId: string;
  email: string;
  name: string;
  role: AccountRole;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: AccountRole;
  expiresAt: string;
  createdAt: string;
}

const manages = (actor: MemberActor) => actor.role === 'owner' || actor.role === 'admin';
const refuseUnlessManager = (actor: MemberActor) =>
  manages(actor)
    ? undefined
    : fail('forbidden', `this needs the owner or admin role; you are a ${actor.role}`);

export async function listMembers(db: Db, accountId: string): Promise<Member[]> {
  const rows = await db
    .select({
      developerId: developers.id,
      email: developers.email,
      name: developers.name,
      role: accountMembers.role,
      joinedAt: accountMembers.createdAt,
    })
    .from(accountMembers)
    .innerJoin(developers, eq(developers.id, accountMembers.developerId))
    .where(eq(accountMembers.accountId, accountId))
    .orderBy(asc(accountMembers.createdAt), asc(developers.email));
  return rows.map((r) => ({ ...r, joinedAt: r.joinedAt.toISOString() }));
}

async function memberRow(db: Db, accountId: string, developerId: string) {
  const [row] = await db
    .select()
    .from(accountMembers)
    .where(and(eq(accountMembers.accountId, accountId), eq(accountMembers.developerId, developerId)));
  return row;
}

async function ownerCount(db: Db, accountId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(accountMembers)
    .where(and(eq(accountMembers.accountId, accountId), eq(accountMembers.role, 'owner')));
  return row?.n ?? 0;
}

const lastOwner = () => fail('conflict', 'the account needs an owner: make another member an owner first');

export async function changeMemberRole(
  db: Db,
  actor: MemberActor,
  developerId: string,
  role: AccountRole,
): Promise<Result<Member>> {
  const refused = refuseUnlessManager(actor);
  if (refused) return refused;
  const current = await memberRow(db, actor.accountId, developerId);
  if (!current) return fail('not-found', `no member ${developerId}`);
  if ((current.role === 'owner' || role === 'owner') && actor.role !== 'owner')
    return fail('forbidden', 'only an owner makes or unmakes an owner');
  if (current.role === 'owner' && role !== 'owner' && (await ownerCount(db, actor.accountId)) <= 1)
    return lastOwner();
  await db
    .update(accountMembers)
    .set({ role })
    .where(and(eq(accountMembers.accountId, actor.accountId), eq(accountMembers.developerId, developerId)));
  const member = (await listMembers(db, actor.accountId)).find((m) => m.developerId === developerId);
  return member ? ok(member) : fail('not-found', `no member ${developerId}`);
}

/** Removes a member, or the actor themselves (leaving). */
export async function removeMember(
  db: Db,
  actor: MemberActor,
  developerId: string,
): Promise<Result<{ id: string }>> {
  const leaving = developerId === actor.developerId;
  if (!leaving) {
    const refused = refuseUnlessManager(actor);
    if (refused) return refused;
  }
  const current = await memberRow(db, actor.accountId, developerId);
  if (!current) return fail('not-found', `no member ${developerId}`);
  if (current.role === 'owner' && !leaving && actor.role !== 'owner')
    return fail('forbidden', 'only an owner removes an owner');
  if (current.role === 'owner' && (await ownerCount(db, actor.accountId)) <= 1) return lastOwner();
  await db
    .delete(accountMembers)
    .where(and(eq(accountMembers.accountId, actor.accountId), eq(accountMembers.developerId, developerId)));
  return ok({ id: developerId });
}

type InvitationRow = typeof accountInvitations.$inferSelect;
const toInvitation = (row: InvitationRow): Invitation => ({
  id: row.id,
  email: row.email,
  role: row.role,
  expiresAt: row.expiresAt.toISOString(),
  createdAt: row.createdAt.toISOString(),
});

export async function listInvitations(db: Db, actor: MemberActor): Promise<Result<Invitation[]>> {
  const refused = refuseUnlessManager(actor);
  if (refused) return refused;
  const rows = await db
    .select()
    .from(accountInvitations)
    .where(
      and(eq(accountInvitations.accountId, actor.accountId), gt(accountInvitations.expiresAt, new Date())),
    )
    .orderBy(asc(accountInvitations.createdAt));
  return ok(rows.map(toInvitation));
}

/** An invitation and its link's token (to mail; stored only as a hash). */
export async function invite(
  db: Db,
  actor: MemberActor,
  input: { email: string; role: AccountRole },
): Promise<Result<{ invitation: Invitation; token: string }>> {
  const refused = refuseUnlessManager(actor);
  if (refused) return refused;
  if (input.role === 'owner' && actor.role !== 'owner')
    return fail('forbidden', 'only an owner invites an owner');
  const email = normalizeEmail(input.email);
  const [member] = await db
    .select({ id: developers.id })
    .from(accountMembers)
    .innerJoin(developers, eq(developers.id, accountMembers.developerId))
    .where(and(eq(accountMembers.accountId, actor.accountId), eq(developers.email, email)));
  if (member) return fail('conflict', `${email} is already a member`);
  const token = randomBase62(40);
  // A new invitation to the same address replaces the last; expired ones go as new ones come.
  await db
    .delete(accountInvitations)
    .where(and(eq(accountInvitations.accountId, actor.accountId), eq(accountInvitations.email, email)));
  await db.delete(accountInvitations).where(lt(accountInvitations.expiresAt, new Date()));
  const [row] = await db
    .insert(accountInvitations)
    .values({
      id: newId('invitation'),
      accountId: actor.accountId,
      email,
      role: input.role,
      hash: hashSecret(token),
      invitedBy: actor.developerId,
      expiresAt: new Date(Date.now() + invitationLifetimeMs),
    })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return ok({ invitation: toInvitation(row), token });
}

export async function withdrawInvitation(
  db: Db,
  actor: MemberActor,
  id: string,
): Promise<Result<{ id: string }>> {
  const refused = refuseUnlessManager(actor);
  if (refused) return refused;
  const gone = await db
    .delete(accountInvitations)
    .where(and(eq(accountInvitations.id, id), eq(accountInvitations.accountId, actor.accountId)))
    .returning({ id: accountInvitations.id });
  return gone.length ? ok({ id }) : fail('not-found', `no invitation ${id}`);
}

const badLink = () =>
  fail('link-invalid', 'this invitation is unknown, was used or withdrawn, or has expired');

async function invitationByToken(db: Db, token: string) {
  const [row] = await db
    .select({ invitation: accountInvitations, accountName: accounts.name })
    .from(accountInvitations)
    .innerJoin(accounts, eq(accounts.id, accountInvitations.accountId))
    .where(and(eq(accountInvitations.hash, hashSecret(token)), gt(accountInvitations.expiresAt, new Date())));
  return row;
}

/** What a link is for; `registered`: a developer with the invited e-mail exists (they sign in to accept). */
export async function previewInvitation(
  db: Db,
  token: string,
): Promise<Result<{ account: { name: string }; email: string; role: AccountRole; registered: boolean }>> {
  const found = await invitationByToken(db, token);
  if (!found) return badLink();
  const [developer] = await db
    .select({ id: developers.id })
    .from(developers)
    .where(eq(developers.email, found.invitation.email));
  return ok({
    account: { name: found.accountName },
    email: found.invitation.email,
    role: found.invitation.role,
    registered: developer !== undefined,
  });
}

export type Acceptance =
  | { kind: 'joined'; accountId: string }
  | { kind: 'registered'; accountId: string; session: NewDeveloperSession };

/**
 * Uses up an invitation. `signedIn`: the developer whose session accepts (must have the invited
 * e-mail); without one, `name` and `password` register a new developer, verified by the link,
 * and start their session.
 */
export async function acceptInvitation(
  db: Db,
  input: {
    token: string;
    name?: string | undefined;
    password?: string | undefined;
    /** A newcomer's answers to the provider's developer fields (required ones must be there). */
    developerFields?: Record<string, string> | undefined;
  },
  signedIn: { id: string; email: string } | undefined,
): Promise<Result<Acceptance>> {
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const found = await invitationByToken(tx, input.token);
    if (!found) return badLink();
    const { invitation } = found;
    const [existing] = await tx.select().from(developers).where(eq(developers.email, invitation.email));
    let developer: DeveloperRow;
    if (existing) {
      if (signedIn?.id !== existing.id)
        return fail('unauthorized', `sign in as ${invitation.email} first, then open the link again`);
      developer = existing;
    } else {
      if (signedIn)
        return fail('conflict', `this invitation is for ${invitation.email}; sign out to accept it`);
      if (!input.name || passwordHash === undefined)
        return fail('validation-failed', 'body: a name and a password create your developer account');
      // Asked as at sign-up; the account's fields were answered by whoever created it.
      const fields = await checkCustomFields(tx, 'developer', input.developerFields, {
        at: 'body.developerFields',
        required: true,
      });
      if (!fields.ok) return fields;
      const [row] = await tx
        .insert(developers)
        .values({
          id: newId('developer'),
          email: invitation.email,
          name: input.name.trim(),
          passwordHash,
          emailVerifiedAt: new Date(),
          customFields: fields.value,
        })
        .returning();
      if (!row) throw new Error('insert returned no row');
      developer = row;
    }
    await tx.delete(accountInvitations).where(eq(accountInvitations.id, invitation.id));
    await tx
      .insert(accountMembers)
      .values({ accountId: invitation.accountId, developerId: developer.id, role: invitation.role })
      .onConflictDoNothing();
    if (existing) return ok({ kind: 'joined', accountId: invitation.accountId });
    return ok({
      kind: 'registered',
      accountId: invitation.accountId,
      session: await startSession(tx, developer, invitation.accountId),
    });
  });
}
