// Applies an application's `credentials` list: exactly these basic, mTLS and HMAC credentials,
// each known by its kind and username or fingerprint. Passwords arrive as plaintext or as their
// hash and are stored as the hash; HMAC secrets arrive as plaintext or sealed (as exported) and
// are stored sealed with this installation's key. Revocation is final, as for keys.
import { eq } from 'drizzle-orm';
import { normalizeFingerprint } from '../../shared/fingerprint.ts';
import { seal, unseal } from '../../shared/sealed.ts';
import { hashSecret } from '../../shared/secrets.ts';
import { credentials } from '../../store/schema/index.ts';
import {
  type CredentialFields,
  deleteCredential,
  importCredential,
  restateCredential,
  revokeCredential,
  toCredential,
} from '../services/credentials.ts';
import { credentialSealingKey, platformSecret } from '../services/platform-secrets.ts';
import type { CredentialEntry } from './document.ts';
import { type ApplyRun, StepFailed, same } from './run.ts';

/** What the file says the credential is; omitted fields take their defaults. */
function credentialFields(entry: CredentialEntry, path: string, sealingKey: string): CredentialFields {
  const common = {
    label: entry.label ?? '',
    expiresAt: entry.expiresAt ? new Date(entry.expiresAt) : null,
  };
  if (entry.kind === 'basic')
    return {
      kind: 'basic',
      identifier: entry.username,
      secretHash: entry.hash ?? hashSecret(entry.password ?? ''),
      sealedSecret: null,
      subject: null,
      ...common,
    };
  if (entry.kind === 'hmac') {
    // A sealed value is kept as given, but only one this installation can open: the gateways
    // get the secret unsealed, and another installation's key is not here.
    if (entry.sealedSecret !== undefined && unseal(entry.sealedSecret, sealingKey) === undefined)
      throw new StepFailed(
        `${path}.sealedSecret`,
        'this secret was sealed by another installation (or altered) and cannot be unsealed here; ' +
          'give the plaintext secret instead',
      );
    return {
      kind: 'hmac',
      identifier: entry.username,
      secretHash: null,
      sealedSecret: entry.sealedSecret ?? seal(entry.secret ?? '', sealingKey),
      subject: null,
      ...common,
    };
  }
  return {
    kind: 'mtls',
    identifier: normalizeFingerprint(entry.fingerprint),
    secretHash: null,
    sealedSecret: null,
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
  // The key is made on first use; a file without HMAC credentials has no need to make it.
  const sealingKey = entries.some((e) => e.kind === 'hmac')
    ? await platformSecret(run.db, credentialSealingKey)
    : '';
  const wanted = entries.map((entry, k) => credentialFields(entry, `${at}.credentials[${k}]`, sealingKey));
  const comparable = (c: CredentialFields) => ({
    secretHash: c.secretHash,
    // Every seal of the same secret differs (a fresh IV), so sealed secrets compare unsealed.
    secret: c.sealedSecret === null ? null : (unseal(c.sealedSecret, sealingKey) ?? null),
    label: c.label,
    subject: c.subject,
    expiresAt: c.expiresAt?.toISOString() ?? null,
  });
  const keep = new Set(wanted.map(identity));
  for (const credential of current.filter((c) => !keep.has(identity(c)))) {
    run.step(`${at}.credentials`, await deleteCredential(run.db, applicationId, credential.id));
    run.record('delete', 'credential', shown(appName, credential), {
      id: credential.id,
      before: toCredential(credential),
    });
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
      // One change, a create, also for a credential listed as revoked: `after` is it revoked.
      const after = entry.revoked
        ? run.step(path, await revokeCredential(run.db, applicationId, created.id))
        : created;
      run.record('create', 'credential', name, { id: created.id, after });
    } else if (entry.revoked && !existing.revokedAt) {
      const after = run.step(path, await revokeCredential(run.db, applicationId, existing.id));
      run.record('revoke', 'credential', name, { id: existing.id, before: toCredential(existing), after });
    } else if (!existing.revokedAt && !same(comparable(fields), comparable(existing))) {
      const after = run.step(path, await restateCredential(run.db, applicationId, existing.id, fields));
      run.record('update', 'credential', name, { id: existing.id, before: toCredential(existing), after });
    }
  }
}

/** `acme/app/basic:alice`, or the fingerprint's first 16 digits: enough to tell them apart. */
const shown = (appName: string, c: { kind: string; identifier: string }) =>
  `${appName}/${c.kind}:${c.kind === 'mtls' ? c.identifier.slice(0, 16) : c.identifier}`;
