// OAuth client secrets of applications (the client id is the application id): generated here,
// stored only as a SHA-256 hash and a short prefix, several valid at once so a rotation never
// breaks a client. The plaintext leaves this module once, in the create or rotate result.
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import {
  generateClientSecret,
  hashSecret,
  isWellFormedClientSecret,
  keyPrefix,
} from '../../shared/secrets.ts';
import { applications, oauthClientSecrets } from '../../store/schema/index.ts';
import type {
  ClientSecret,
  ClientSecretCreate,
  ClientSecretRotate,
  ClientSecretUpdate,
  CreatedClientSecret,
} from '../model/client-secret.ts';
import { findApplication } from './applications.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { credentialStatus, expiryAfterGrace, expiryPatch } from './credential-lifecycle.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof oauthClientSecrets.$inferSelect;

export function toClientSecret(row: Row, now = Date.now()): ClientSecret {
  const status = credentialStatus(row, now);
  return {
    id: row.id,
    applicationId: row.applicationId,
    clientId: row.applicationId,
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

export async function listClientSecrets(
  db: Db,
  applicationId: string,
  page: PageRequest,
): Promise<Result<Page<ClientSecret>>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  return ok(
    await listPage(
      db,
      oauthClientSecrets,
      [eq(oauthClientSecrets.applicationId, applicationId)],
      page,
      (row: Row) => toClientSecret(row),
    ),
  );
}

export async function getClientSecret(
  db: Db,
  applicationId: string,
  secretId: string,
): Promise<Result<ClientSecret>> {
  const row = await findSecret(db, applicationId, secretId);
  return row ? ok(toClientSecret(row)) : notFound(applicationId, secretId);
}

export async function createClientSecret(
  db: Db,
  applicationId: string,
  input: ClientSecretCreate,
): Promise<Result<CreatedClientSecret>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  return ok(
    await issue(db, applicationId, {
      label: input.label ?? '',
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      rotatedFrom: null,
    }),
  );
}

export async function updateClientSecret(
  db: Db,
  applicationId: string,
  secretId: string,
  patch: ClientSecretUpdate,
): Promise<Result<ClientSecret>> {
  const current = await findSecret(db, applicationId, secretId);
  if (!current) return notFound(applicationId, secretId);
  if (patch.label === undefined && patch.expiresAt === undefined) return ok(toClientSecret(current));
  if (current.revokedAt !== null && patch.expiresAt !== undefined)
    return fail('invalid-transition', 'the client secret is revoked; revocation is final');
  const expiresAt = expiryPatch(patch.expiresAt);
  const row = only(
    await db
      .update(oauthClientSecrets)
      .set({ label: patch.label, expiresAt })
      .where(eq(oauthClientSecrets.id, current.id))
      .returning(),
  );
  return ok(toClientSecret(row));
}

/**
 * Issues a new secret for the same application and lets the old one work for a grace period
 * (never longer than it would have anyway), so a client can switch without a failed token call.
 */
export async function rotateClientSecret(
  db: Db,
  applicationId: string,
  secretId: string,
  input: ClientSecretRotate,
  now = new Date(),
): Promise<Result<{ old: ClientSecret; issued: CreatedClientSecret }>> {
  const current = await findSecret(db, applicationId, secretId);
  if (!current) return notFound(applicationId, secretId);
  if (current.revokedAt !== null)
    return fail('invalid-transition', 'the client secret is revoked; create a new one instead');
  const expiresAt = expiryAfterGrace(current.expiresAt, input.gracePeriodSeconds, now);
  const old = only(
    await db
      .update(oauthClientSecrets)
      .set({ expiresAt })
      .where(eq(oauthClientSecrets.id, current.id))
      .returning(),
  );
  const issued = await issue(db, applicationId, {
    label: input.label ?? current.label,
    expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
    rotatedFrom: current.id,
  });
  return ok({ old: toClientSecret(old, now.getTime()), issued });
}

/** The authorization server refuses the secret from then on; the row stays, for the record. */
export async function revokeClientSecret(
  db: Db,
  applicationId: string,
  secretId: string,
): Promise<Result<ClientSecret>> {
  const current = await findSecret(db, applicationId, secretId);
  if (!current) return notFound(applicationId, secretId);
  if (current.revokedAt !== null) return fail('invalid-transition', 'the client secret is already revoked');
  const row = only(
    await db
      .update(oauthClientSecrets)
      .set({ revokedAt: new Date() })
      .where(eq(oauthClientSecrets.id, current.id))
      .returning(),
  );
  return ok(toClientSecret(row));
}

export async function deleteClientSecret(
  db: Db,
  applicationId: string,
  secretId: string,
): Promise<Result<void>> {
  const current = await findSecret(db, applicationId, secretId);
  if (!current) return notFound(applicationId, secretId);
  await db.delete(oauthClientSecrets).where(eq(oauthClientSecrets.id, current.id));
  return ok(undefined);
}

/**
 * The authorization server's client authentication: true when `secret` is a current secret of
 * this application (not revoked, not expired). A malformed secret is refused before any lookup.
 * Records the use, at most once a minute per secret.
 */
export async function verifyClientSecret(
  db: Db,
  applicationId: string,
  secret: string,
  now = new Date(),
): Promise<boolean> {
  if (!isWellFormedClientSecret(secret)) return false;
  const [row] = await db
    .select()
    .from(oauthClientSecrets)
    .where(eq(oauthClientSecrets.hash, hashSecret(secret)));
  if (!row || row.applicationId !== applicationId || !isCurrent(row, now)) return false;
  if (row.lastUsedAt === null || row.lastUsedAt.getTime() <= now.getTime() - 60_000)
    await db.update(oauthClientSecrets).set({ lastUsedAt: now }).where(eq(oauthClientSecrets.id, row.id));
  return true;
}

/** Whether the application can authenticate as a confidential client now. */
export async function hasActiveClientSecret(
  db: Db,
  applicationId: string,
  now = new Date(),
): Promise<boolean> {
  const [row] = await db
    .select({ id: oauthClientSecrets.id })
    .from(oauthClientSecrets)
    .where(
      and(
        eq(oauthClientSecrets.applicationId, applicationId),
        isNull(oauthClientSecrets.revokedAt),
        or(isNull(oauthClientSecrets.expiresAt), gt(oauthClientSecrets.expiresAt, now)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

const isCurrent = (row: Row, now: Date) =>
  row.revokedAt === null && (row.expiresAt === null || row.expiresAt > now);

async function issue(
  db: Db,
  applicationId: string,
  fields: { label: string; expiresAt: Date | null; rotatedFrom: string | null },
): Promise<CreatedClientSecret> {
  const secret = generateClientSecret();
  // Confidential for good from now on (see applications.oauthConfidential).
  await db.update(applications).set({ oauthConfidential: true }).where(eq(applications.id, applicationId));
  const row = only(
    await db
      .insert(oauthClientSecrets)
      .values({
        id: newId('clientSecret'),
        applicationId,
        hash: hashSecret(secret),
        prefix: keyPrefix(secret),
        ...fields,
      })
      .returning(),
  );
  return { ...toClientSecret(row), secret };
}

async function findSecret(db: Db, applicationId: string, secretId: string): Promise<Row | undefined> {
  if (!isId('clientSecret', secretId)) return undefined;
  const [row] = await db
    .select()
    .from(oauthClientSecrets)
    .where(and(eq(oauthClientSecrets.id, secretId), eq(oauthClientSecrets.applicationId, applicationId)));
  return row;
}

const notFound = (applicationId: string, secretId: string) =>
  fail('not-found', `application ${applicationId} has no client secret ${secretId}`);
