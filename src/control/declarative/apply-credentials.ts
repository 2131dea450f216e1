// Applies an application's `credentials` list: exactly these basic and mTLS credentials, each
// known by its kind and username or fingerprint. Passwords arrive as plaintext or as their hash
// and are stored as the hash; revocation is final, as for keys.
import { eq } from 'drizzle-orm';
import { normalizeFingerprint } from '../../shared/fingerprint.ts';
import { hashSecret } from '../../shared/secrets.ts';
import { credentials } from '../../store/schema/index.ts';
import {
  type CredentialFields,
  deleteCredential,
  importCredential,
  restateCredential,
  revokeCredential,
} from '../services/credentials.ts';
import type { CredentialEntry } from './document.ts';
import { type ApplyRun, StepFailed, same } from './run.ts';

/** What the file says the credential is; omitted fields take their defaults. */
function credentialFields(entry: CredentialEntry): CredentialFields {
  const common = {
    label: entry.label ?? '',
    expiresAt: entry.expiresAt ? new Date(entry.expiresAt) : null,
  };
  return entry.kind === 'basic'
    ? {
        kind: 'basic',
        identifier: entry.username,
        secretHash: entry.hash ?? hashSecret(entry.password ?? ''),
        subject: null,
        ...common,
      }
    : {
        kind: 'mtls',
        identifier: normalizeFingerprint(entry.fingerprint),
        secretHash: null,
        subject: entry.subject ?? null,
        ...common,
      };
}

export async function applyCredentials(
  run: ApplyRun,
  at: string,
  appName: string,
  applicationId: string,
  entries: CredentialEntry[],
): Promise<void> {
  const current = await run.db.select().from(credentials).where(eq(credentials.applicationId, applicationId));
  const identity = (c: { kind: string; identifier: string }) => `${c.kind}:${c.identifier}`;
  const wanted = entries.map(credentialFields);
  const keep = new Set(wanted.map(identity));
  for (const credential of current.filter((c) => !keep.has(identity(c)))) {
    run.step(`${at}.credentials`, await deleteCredential(run.db, applicationId, credential.id));
    run.record('delete', 'credential', shown(appName, credential));
  }
  for (const [k, entry] of entries.entries()) {
    const path = `${at}.credentials[${k}]`;
    const fields = wanted[k] as CredentialFields;
    const name = shown(appName, fields);
    const existing = current.find((c) => identity(c) === identity(fields));
    if (existing?.revokedAt && !entry.revoked)
      throw new StepFailed(
        `${path}.revoked`,
        'the credential is revoked and cannot be reinstated; mark it revoked: true or remove it',
      );
    if (!existing) {
      const created = run.step(path, await importCredential(run.db, applicationId, fields));
      run.record('create', 'credential', name);
      if (entry.revoked) run.step(path, await revokeCredential(run.db, applicationId, created.id));
    } else if (entry.revoked && !existing.revokedAt) {
      run.step(path, await revokeCredential(run.db, applicationId, existing.id));
      run.record('revoke', 'credential', name);
    } else if (!existing.revokedAt && !same(comparable(fields), comparable(existing))) {
      run.step(path, await restateCredential(run.db, applicationId, existing.id, fields));
      run.record('update', 'credential', name);
    }
  }
}

const comparable = (c: Omit<CredentialFields, 'kind' | 'identifier'>) => ({
  secretHash: c.secretHash,
  label: c.label,
  subject: c.subject,
  expiresAt: c.expiresAt?.toISOString() ?? null,
});

/** `acme/app/basic:alice`, or the fingerprint's first 16 digits: enough to tell them apart. */
const shown = (appName: string, c: { kind: string; identifier: string }) =>
  `${appName}/${c.kind}:${c.kind === 'mtls' ? c.identifier.slice(0, 16) : c.identifier}`;
