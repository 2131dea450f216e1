// Developers of the portal: sign-up (a developer, their account as its owner, a verification
// link), e-mail verification, sign-in with sessions and CSRF tokens, and password reset. Session
// cookies, CSRF tokens and e-mailed links are random and stored only as SHA-256 hashes.
import { and, asc, eq, gt, lt } from 'drizzle-orm';
import { csrfTokenFor, randomBase62 } from '../../shared/crypto.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { checkPassword, hashPassword } from '../../shared/passwords.ts';
import { hashSecret } from '../../shared/secrets.ts';
import {
  type AccountRole,
  accountMembers,
  accounts,
  type DeveloperTokenPurpose,
  developerSessions,
  developers,
  developerTokens,
} from '../../store/schema/index.ts';
import { createAccount } from './accounts.ts';
import { normalizeEmail } from './admin-users.ts';
import type { Db } from './context.ts';
import { checkSignUpFields } from './custom-fields.ts';
import { getSignupSettings } from './portal-signup.ts';
import { write } from './write.ts';

export const developerSessionLifetimeMs = 7 * 86_400_000;
const linkLifetimeMs: Record<DeveloperTokenPurpose, number> = {
  'verify-email': 86_400_000,
  'reset-password': 3_600_000,
};

export interface Developer {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

export interface Membership {
  account: { id: string; name: string; state: 'pending' | 'approved' | 'suspended'; tier: string };
  role: AccountRole;
}

export type DeveloperRow = typeof developers.$inferSelect;

export const toDeveloper = (row: DeveloperRow): Developer => ({
  id: row.id,
  email: row.email,
  name: row.name,
  emailVerified: row.emailVerifiedAt !== null,
});

export interface SignUp {
  email: string;
  password: string;
  name: string;
  organization: string;
  /** Values of the provider's account and developer fields; required ones must be there. */
  accountFields?: Record<string, string> | undefined;
  developerFields?: Record<string, string> | undefined;
}

/**
 * Creates the developer, an account for their organization with them as owner, and a
 * verification link (returned, to be e-mailed; never stored in the clear). The account's name is
 * the organization's in the characters names allow, made unique with a number when taken.
 */
export async function signUp(db: Db, input: SignUp): Promise<Result<{ developer: Developer; link: string }>> {
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return write(db, async (tx) => {
    const [taken] = await tx
      .select({ id: developers.id })
      .from(developers)
      .where(eq(developers.email, email));
    if (taken) return fail('conflict', `${email} already has an account; sign in or reset the password`);
    const fields = await checkSignUpFields(tx, input);
    if (!fields.ok) return fields;
    // With manual approval the account waits in the console's approvals; its applications cannot
    // call APIs until then (the gateway lets only approved accounts through).
    const { accountApproval } = await getSignupSettings(tx);
    const account = await createAccount(tx, {
      name: await freeAccountName(tx, input.organization),
      email,
      state: accountApproval === 'manual' ? 'pending' : 'approved',
      customFields: fields.value.account,
    });
    if (!account.ok) return account;
    const [row] = await tx
      .insert(developers)
      .values({
        id: newId('developer'),
        email,
        name: input.name.trim(),
        passwordHash,
        customFields: fields.value.developer,
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await tx
      .insert(accountMembers)
      .values({ accountId: account.value.id, developerId: row.id, role: 'owner' });
    const link = await newLink(tx, row.id, 'verify-email');
    return ok({ developer: toDeveloper(row), link });
  });
}

async function freeAccountName(db: Db, organization: string): Promise<string> {
  const base =
    organization
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '')
      .slice(0, 90)
      .toLowerCase() || 'account';
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, candidate));
    if (!row) return candidate;
  }
}

async function newLink(db: Db, developerId: string, purpose: DeveloperTokenPurpose): Promise<string> {
  const token = randomBase62(40);
  // One live link per purpose: a new one replaces the last, and expired ones go as new ones come.
  await db
    .delete(developerTokens)
    .where(and(eq(developerTokens.developerId, developerId), eq(developerTokens.purpose, purpose)));
  await db.delete(developerTokens).where(lt(developerTokens.expiresAt, new Date()));
  await db.insert(developerTokens).values({
    hash: hashSecret(token),
    developerId,
    purpose,
    expiresAt: new Date(Date.now() + linkLifetimeMs[purpose]),
  });
  return token;
}

/** Uses up a link: the developer it was for, or link-invalid when unknown, used or expired. */
async function useLink(db: Db, token: string, purpose: DeveloperTokenPurpose): Promise<Result<DeveloperRow>> {
  const [used] = await db
    .delete(developerTokens)
    .where(
      and(
        eq(developerTokens.hash, hashSecret(token)),
        eq(developerTokens.purpose, purpose),
        gt(developerTokens.expiresAt, new Date()),
      ),
    )
    .returning({ developerId: developerTokens.developerId });
  const [row] = used ? await db.select().from(developers).where(eq(developers.id, used.developerId)) : [];
  return row ? ok(row) : fail('link-invalid', 'this link is unknown, was used already or has expired');
}

export async function verifyEmail(db: Db, token: string): Promise<Result<Developer>> {
  return db.transaction(async (tx) => {
    const found = await useLink(tx, token, 'verify-email');
    if (!found.ok) return found;
    const [row] = await tx
      .update(developers)
      .set({ emailVerifiedAt: found.value.emailVerifiedAt ?? new Date(), updatedAt: new Date() })
      .where(eq(developers.id, found.value.id))
      .returning();
    return ok(toDeveloper(row ?? found.value));
  });
}

/** A new verification link for an unverified developer; undefined when there is nothing to verify. */
export async function resendVerification(db: Db, email: string): Promise<string | undefined> {
  const [row] = await db
    .select()
    .from(developers)
    .where(eq(developers.email, normalizeEmail(email)));
  if (!row || row.emailVerifiedAt !== null) return undefined;
  return newLink(db, row.id, 'verify-email');
}

export interface NewDeveloperSession {
  developer: Developer;
  /** For the cookie; never stored. */
  token: string;
  /** For the X-CSRF-Token header; stored only as a hash. */
  csrfToken: string;
  expiresAt: Date;
}

export async function signInDeveloper(
  db: Db,
  email: string,
  password: string,
): Promise<Result<NewDeveloperSession>> {
  const [row] = await db
    .select()
    .from(developers)
    .where(eq(developers.email, normalizeEmail(email)));
  if (!(await checkPassword(row?.passwordHash, password)) || !row)
    return fail('sign-in-failed', 'the e-mail or the password is wrong');
  if (row.emailVerifiedAt === null)
    return fail('email-not-verified', 'open the link in the e-mail we sent to verify the address first');
  return ok(await startSession(db, row));
}

/** A new session for the developer (acting for `accountId` when given). */
export async function startSession(
  db: Db,
  row: DeveloperRow,
  accountId?: string,
): Promise<NewDeveloperSession> {
  const token = `tpd_${randomBase62(40)}`;
  const csrfToken = csrfTokenFor(token);
  const expiresAt = new Date(Date.now() + developerSessionLifetimeMs);
  await db.transaction(async (tx) => {
    await tx.delete(developerSessions).where(lt(developerSessions.expiresAt, new Date()));
    await tx.insert(developerSessions).values({
      id: newId('developerSession'),
      developerId: row.id,
      hash: hashSecret(token),
      csrfHash: hashSecret(csrfToken),
      accountId: accountId ?? null,
      expiresAt,
    });
    await tx.update(developers).set({ lastLoginAt: new Date() }).where(eq(developers.id, row.id));
  });
  return { developer: toDeveloper(row), token, csrfToken, expiresAt };
}

export interface DeveloperSession {
  sessionId: string;
  csrfHash: string;
  developer: Developer;
  /** The account the session acts for: the one chosen, else the developer's first. */
  membership: Membership | undefined;
  /** Every account the developer belongs to, oldest membership first. */
  memberships: Membership[];
}

export async function findDeveloperSession(db: Db, token: string): Promise<DeveloperSession | undefined> {
  const [row] = await db
    .select({ session: developerSessions, developer: developers })
    .from(developerSessions)
    .innerJoin(developers, eq(developers.id, developerSessions.developerId))
    .where(and(eq(developerSessions.hash, hashSecret(token)), gt(developerSessions.expiresAt, new Date())));
  if (!row) return undefined;
  const memberships = await membershipsOf(db, row.developer.id);
  return {
    sessionId: row.session.id,
    csrfHash: row.session.csrfHash,
    developer: toDeveloper(row.developer),
    membership: memberships.find((m) => m.account.id === row.session.accountId) ?? memberships[0],
    memberships,
  };
}

export async function membershipsOf(db: Db, developerId: string): Promise<Membership[]> {
  const rows = await db
    .select({
      role: accountMembers.role,
      id: accounts.id,
      name: accounts.name,
      state: accounts.state,
      tier: accounts.tier,
    })
    .from(accountMembers)
    .innerJoin(accounts, eq(accounts.id, accountMembers.accountId))
    .where(eq(accountMembers.developerId, developerId))
    .orderBy(asc(accountMembers.createdAt), asc(accounts.id));
  return rows.map((row) => ({
    role: row.role,
    account: { id: row.id, name: row.name, state: row.state, tier: row.tier },
  }));
}

/** Makes the session act for another of the developer's accounts; not-found when not a member. */
export async function switchAccount(
  db: Db,
  session: DeveloperSession,
  accountId: string,
): Promise<Result<void>> {
  if (!session.memberships.some((m) => m.account.id === accountId))
    return fail('not-found', `no account ${accountId} among yours`);
  await actFor(db, session.sessionId, accountId);
  return ok(undefined);
}

/** Makes the session act for `accountId`; the caller knows the developer is a member. */
export async function actFor(db: Db, sessionId: string, accountId: string): Promise<void> {
  await db.update(developerSessions).set({ accountId }).where(eq(developerSessions.id, sessionId));
}

export async function endDeveloperSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(developerSessions).where(eq(developerSessions.id, sessionId));
}

/** A reset link for a known e-mail (to send); undefined for an unknown one, which learns nothing. */
export async function requestPasswordReset(db: Db, email: string): Promise<string | undefined> {
  const [row] = await db
    .select()
    .from(developers)
    .where(eq(developers.email, normalizeEmail(email)));
  return row ? newLink(db, row.id, 'reset-password') : undefined;
}

/**
 * Sets a new password from a reset link and ends every session of the developer. Following the
 * link also proves the address, so an unverified one becomes verified.
 */
export async function resetPassword(db: Db, token: string, password: string): Promise<Result<Developer>> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const found = await useLink(tx, token, 'reset-password');
    if (!found.ok) return found;
    const [row] = await tx
      .update(developers)
      .set({
        passwordHash,
        emailVerifiedAt: found.value.emailVerifiedAt ?? new Date(),
        updatedAt: new Date(),
      })
      .where(eq(developers.id, found.value.id))
      .returning();
    await tx.delete(developerSessions).where(eq(developerSessions.developerId, found.value.id));
    return ok(toDeveloper(row ?? found.value));
  });
}
