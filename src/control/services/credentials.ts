// Basic, mTLS and HMAC credentials of applications. A basic credential's password is generated
// here and stored only as SHA-256; an HMAC secret is generated here and stored sealed with the
// platform's credential key (the gateway must compute signatures with it). Either leaves this
// module once, in the create result. A certificate is kept as its fingerprint (and subject, for
// people); the PEM itself is not stored. Identities (username, fingerprint) are unique per kind
// across all applications: the gateway looks them up without knowing the application.
import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { certificateFacts, normalizeFingerprint } from '../../shared/fingerprint.ts';
import { isId, newId } from '../../shared/ids.ts';
import { seal } from '../../shared/sealed.ts';
import { generateBasicPassword, generateHmacSecret, hashSecret } from '../../shared/secrets.ts';
import { credentials } from '../../store/schema/index.ts';
import type {
  CreatedCredential,
  Credential,
  CredentialCreate,
  CredentialFilter,
  CredentialKind,
  CredentialUpdate,
} from '../model/credential.ts';
import { findApplication } from './applications.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { credentialStatus, expiryPatch } from './credential-lifecycle.ts';
import { listPage } from './pagination.ts';
import { credentialSealingKey, platformSecret } from './platform-secrets.ts';
import { only } from './rows.ts';

type Row = typeof credentials.$inferSelect;

/** Everything a credential is, as the declarative file states it (the secret hashed or sealed). */
export interface CredentialFields {
  kind: CredentialKind;
  identifier: string;
  /** SHA-256 of the password (basic). */
  secretHash: string | null;
  /** The secret sealed with the platform's credential key (hmac). */
  sealedSecret: string | null;
  label: string;
  subject: string | null;
  expiresAt: Date | null;
}

export function toCredential(row: Row, now = Date.now()): Credential {
  const status = credentialStatus(row, now);
  return {
    id: row.id,
    applicationId: row.applicationId,
    kind: row.kind,
    identifier: row.identifier,
    username: row.kind === 'mtls' ? null : row.identifier,
    fingerprint: row.kind === 'mtls' ? row.identifier : null,
    subject: row.subject,
    label: row.label,
    status,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

export async function listCredentials(
  db: Db,
  applicationId: string,
  filter: CredentialFilter,
  page: PageRequest,
): Promise<Result<Page<Credential>>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  const where = [
    eq(credentials.applicationId, applicationId),
    filter.kind ? eq(credentials.kind, filter.kind) : undefined,
  ];
  return ok(await listPage(db, credentials, where, page, (row: Row) => toCredential(row)));
}

export async function getCredential(
  db: Db,
  applicationId: string,
  credentialId: string,
): Promise<Result<Credential>> {
  const row = await findCredential(db, applicationId, credentialId);
  return row ? ok(toCredential(row)) : notFound(applicationId, credentialId);
}

/**
 * A basic credential with a generated password, an hmac one with a generated secret, or a
 * certificate by its PEM or fingerprint.
 */
export async function createCredential(
  db: Db,
  applicationId: string,
  input: CredentialCreate,
): Promise<Result<CreatedCredential>> {
  const label = input.label ?? '';
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (input.kind === 'basic') {
    const id = newId('credential');
    const password = generateBasicPassword();
    const created = await insert(db, applicationId, id, {
      kind: 'basic',
      identifier: input.username ?? id,
      secretHash: hashSecret(password),
      sealedSecret: null,
      label,
      subject: null,
      expiresAt,
    });
    return created.ok ? ok({ ...created.value, password }) : created;
  }
  if (input.kind === 'hmac') {
    const id = newId('credential');
    const secret = generateHmacSecret();
    const created = await insert(db, applicationId, id, {
      kind: 'hmac',
      identifier: input.username ?? id,
      secretHash: null,
      sealedSecret: seal(secret, await platformSecret(db, credentialSealingKey)),
      label,
      subject: null,
      expiresAt,
    });
    return created.ok ? ok({ ...created.value, secret }) : created;
  }
  if (input.certificate !== undefined) {
    // The schema already parsed it; a failure here would be a bug in one of the two.
    const facts = certificateFacts(input.certificate);
    if (typeof facts === 'string') return fail('validation-failed', `certificate ${facts}`);
    return insert(db, applicationId, newId('credential'), {
      kind: 'mtls',
      identifier: facts.fingerprint,
      secretHash: null,
      sealedSecret: null,
      label,
      subject: facts.subject,
      expiresAt: expiresAt ?? facts.notAfter,
    });
  }
  return insert(db, applicationId, newId('credential'), {
    kind: 'mtls',
    identifier: normalizeFingerprint(input.fingerprint ?? ''),
    secretHash: null,
    sealedSecret: null,
    label,
    subject: null,
    expiresAt,
  });
}

/** Registers a credential exactly as given (a declarative file's: a password's hash, a sealed secret). */
export function importCredential(
  db: Db,
  applicationId: string,
  fields: CredentialFields,
): Promise<Result<Credential>> {
  return insert(db, applicationId, newId('credential'), fields);
}

export async function updateCredential(
  db: Db,
  applicationId: string,
  credentialId: string,
  patch: CredentialUpdate,
): Promise<Result<Credential>> {
  const current = await findCredential(db, applicationId, credentialId);
  if (!current) return notFound(applicationId, credentialId);
  if (current.revokedAt !== null)
    return fail('invalid-transition', 'the credential is revoked; revocation is final');
  if (patch.label === undefined && patch.expiresAt === undefined) return ok(toCredential(current));
  const expiresAt = expiryPatch(patch.expiresAt);
  const row = only(
    await db
      .update(credentials)
      .set({ label: patch.label, expiresAt })
      .where(eq(credentials.id, current.id))
      .returning(),
  );
  return ok(toCredential(row));
}

/**
 * Sets what a declarative file may change on an existing credential: label, expiry, subject,
 * (basic) the password's hash and (hmac) the sealed secret. Its kind and identifier are its
 * identity and stay.
 */
export async function restateCredential(
  db: Db,
  applicationId: string,
  credentialId: string,
  fields: Pick<CredentialFields, 'secretHash' | 'sealedSecret' | 'label' | 'subject' | 'expiresAt'>,
): Promise<Result<Credential>> {
  const current = await findCredential(db, applicationId, credentialId);
  if (!current) return notFound(applicationId, credentialId);
  if (current.revokedAt !== null)
    return fail('invalid-transition', 'the credential is revoked; revocation is final');
  const row = only(
    await db
      .update(credentials)
      .set({
        ...fields,
        secretHash: current.kind === 'basic' ? fields.secretHash : null,
        sealedSecret: current.kind === 'hmac' ? fields.sealedSecret : null,
      })
      .where(eq(credentials.id, current.id))
      .returning(),
  );
  return ok(toCredential(row));
}

/** The gateways refuse the credential from the next configuration on; the row stays, for the record. */
export async function revokeCredential(
  db: Db,
  applicationId: string,
  credentialId: string,
): Promise<Result<Credential>> {
  const current = await findCredential(db, applicationId, credentialId);
  if (!current) return notFound(applicationId, credentialId);
  if (current.revokedAt !== null) return fail('invalid-transition', 'the credential is already revoked');
  const row = only(
    await db
      .update(credentials)
      .set({ revokedAt: new Date() })
      .where(eq(credentials.id, current.id))
      .returning(),
  );
  return ok(toCredential(row));
}

export async function deleteCredential(
  db: Db,
  applicationId: string,
  credentialId: string,
): Promise<Result<void>> {
  const current = await findCredential(db, applicationId, credentialId);
  if (!current) return notFound(applicationId, credentialId);
  await db.delete(credentials).where(eq(credentials.id, current.id));
  return ok(undefined);
}

async function insert(
  db: Db,
  applicationId: string,
  id: string,
  fields: CredentialFields,
): Promise<Result<Credential>> {
  if (!(await findApplication(db, applicationId)))
    return fail('not-found', `no application ${applicationId}`);
  const [taken] = await db
    .select({ id: credentials.id })
    .from(credentials)
    .where(and(eq(credentials.kind, fields.kind), eq(credentials.identifier, fields.identifier)));
  if (taken)
    return fail(
      'conflict',
      fields.kind === 'mtls'
        ? `the certificate ${fields.identifier} is already registered`
        : `the ${fields.kind === 'hmac' ? 'hmac ' : ''}username ${fields.identifier} is already taken`,
    );
  const row = only(
    await db
      .insert(credentials)
      .values({ id, applicationId, ...fields })
      .returning(),
  );
  return ok(toCredential(row));
}

async function findCredential(db: Db, applicationId: string, credentialId: string): Promise<Row | undefined> {
  if (!isId('credential', credentialId)) return undefined;
  const [row] = await db
    .select()
    .from(credentials)
    .where(and(eq(credentials.id, credentialId), eq(credentials.applicationId, applicationId)));
  return row;
}

const notFound = (applicationId: string, credentialId: string) =>
  fail('not-found', `application ${applicationId} has no credential ${credentialId}`);
