// Credential indexes compiled from a snapshot: key hash → key, application id → application
// with its grants. Policies reach them through the `Credentials` interface only.
//
// A change to keys or applications alone (the common change: a developer creates a key) is
// applied to the index in place, so it costs the size of the change, not of the snapshot.

import type {
  ApiKeyRecord,
  ApplicationRecord,
  CredentialKind,
  CredentialRecord,
  Credentials,
} from '../../policies/context.ts';
import type { FieldError } from '../../shared/errors.ts';
import { noteKeyUse } from '../key-usage.ts';
import type { Changes } from './delta.ts';
import type { Snapshot, SnapshotApplication, SnapshotCredential, SnapshotKey } from './types.ts';

export class CredentialIndex implements Credentials {
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #applications = new Map<string, ApplicationRecord>();
  /** `kind identifier` → credential, and id → that key, for removals by id. */
  readonly #others = new Map<string, CredentialRecord>();
  readonly #otherKeys = new Map<string, string>();

  apiKey(hash: string): ApiKeyRecord | undefined {
    return this.#keys.get(hash);
  }

  application(id: string): ApplicationRecord | undefined {
    return this.#applications.get(id);
  }

  credential(kind: CredentialKind, identifier: string): CredentialRecord | undefined {
    return this.#others.get(`${kind} ${identifier}`);
  }

  used(key: ApiKeyRecord): void {
    if (key.id !== undefined) noteKeyUse(key.id);
  }

  /** Appends a FieldError for every dangling reference; the caller refuses the snapshot then. */
  static compile(snapshot: Snapshot, apiIds: ReadonlySet<string>, errors: FieldError[]): CredentialIndex {
    const index = new CredentialIndex();
    for (const [i, app] of snapshot.applications.entries()) {
      const at = `applications[${i}]`;
      if (index.#applications.has(app.id)) {
        errors.push({ path: `${at}.id`, message: `duplicate application id ${app.id}` });
      }
      index.#applications.set(app.id, compileApplication(app, at, apiIds, errors));
    }
    for (const [i, key] of snapshot.keys.entries()) {
      const at = `keys[${i}]`;
      if (!index.#applications.has(key.applicationId)) {
        errors.push({ path: `${at}.applicationId`, message: `no application with id ${key.applicationId}` });
      }
      if (index.#keys.has(key.hash)) errors.push({ path: `${at}.hash`, message: 'duplicate key hash' });
      index.#keys.set(key.hash, compileKey(key, at, errors));
    }
    for (const [i, credential] of (snapshot.credentials ?? []).entries()) {
      const at = `credentials[${i}]`;
      if (!index.#applications.has(credential.applicationId)) {
        errors.push({
          path: `${at}.applicationId`,
          message: `no application with id ${credential.applicationId}`,
        });
      }
      const lookup = `${credential.kind} ${credential.identifier}`;
      if (index.#others.has(lookup))
        errors.push({ path: `${at}.identifier`, message: 'duplicate credential' });
      index.#others.set(lookup, compileCredential(credential, at, errors));
      index.#otherKeys.set(credential.id, lookup);
    }
    return index;
  }

  /**
   * Applies changed applications and keys in place, all or nothing: every reference is checked
   * before anything changes, and the problems are returned (empty when the changes were applied).
   */
  applyChanges(
    applications: Changes<SnapshotApplication>,
    keys: Changes<SnapshotKey>,
    apiIds: ReadonlySet<string>,
    others: Changes<SnapshotCredential> = { put: [], remove: [] },
  ): FieldError[] {
    const errors: FieldError[] = [];
    const newApplications = new Map<string, ApplicationRecord>();
    for (const [i, app] of applications.put.entries()) {
      const at = `applications.put[${i}]`;
      if (newApplications.has(app.id))
        errors.push({ path: `${at}.id`, message: `duplicate application id ${app.id}` });
      newApplications.set(app.id, compileApplication(app, at, apiIds, errors));
    }
    const removedApplications = new Set(applications.remove.filter((id) => !newApplications.has(id)));
    const applicationExists = (id: string) =>
      newApplications.has(id) || (this.#applications.has(id) && !removedApplications.has(id));
    const newKeys = new Map<string, ApiKeyRecord>();
    for (const [i, key] of keys.put.entries()) {
      const at = `keys.put[${i}]`;
      if (!applicationExists(key.applicationId)) {
        errors.push({ path: `${at}.applicationId`, message: `no application with id ${key.applicationId}` });
      }
      if (newKeys.has(key.hash)) errors.push({ path: `${at}.hash`, message: 'duplicate key hash' });
      newKeys.set(key.hash, compileKey(key, at, errors));
    }
    const removedKeys = new Set(keys.remove.filter((hash) => !newKeys.has(hash)));
    if (removedApplications.size > 0) {
      // A key left pointing at an application that is gone would authenticate nobody's requests.
      for (const [hash, key] of this.#keys) {
        if (removedApplications.has(key.applicationId) && !removedKeys.has(hash) && !newKeys.has(hash)) {
          errors.push({
            path: 'applications.remove',
            message: `application ${key.applicationId} still has keys`,
          });
          break;
        }
      }
    }
    const newOthers = new Map<string, { lookup: string; record: CredentialRecord }>();
    for (const [i, credential] of others.put.entries()) {
      const at = `credentials.put[${i}]`;
      if (!applicationExists(credential.applicationId)) {
        errors.push({
          path: `${at}.applicationId`,
          message: `no application with id ${credential.applicationId}`,
        });
      }
      const lookup = `${credential.kind} ${credential.identifier}`;
      newOthers.set(credential.id, { lookup, record: compileCredential(credential, at, errors) });
    }
    if (errors.length > 0) return errors;
    // Removed and replaced credentials first (a changed one may have a new identifier).
    for (const id of [...others.remove, ...newOthers.keys()]) {
      const lookup = this.#otherKeys.get(id);
      if (lookup !== undefined) this.#others.delete(lookup);
      this.#otherKeys.delete(id);
    }
    for (const [id, { lookup, record }] of newOthers) {
      this.#others.set(lookup, record);
      this.#otherKeys.set(id, lookup);
    }
    for (const id of removedApplications) this.#applications.delete(id);
    for (const [id, app] of newApplications) this.#applications.set(id, app);
    for (const hash of removedKeys) this.#keys.delete(hash);
    for (const [hash, key] of newKeys) this.#keys.set(hash, key);
    return errors;
  }
}

function compileApplication(
  app: SnapshotApplication,
  at: string,
  apiIds: ReadonlySet<string>,
  errors: FieldError[],
): ApplicationRecord {
  const grants = new Map<string, string>();
  const subscriptions = new Map<string, string>();
  for (const [j, grant] of app.grants.entries()) {
    if (!apiIds.has(grant.apiId)) {
      errors.push({ path: `${at}.grants[${j}].apiId`, message: `no API with id ${grant.apiId}` });
    }
    // Several plans may cover one API; the first (as the control plane ordered them) wins.
    if (grants.has(grant.apiId)) continue;
    grants.set(grant.apiId, grant.planId);
    if (grant.subscriptionId !== undefined) subscriptions.set(grant.apiId, grant.subscriptionId);
  }
  return {
    id: app.id,
    accountId: app.accountId,
    tier: app.tier ?? 'standard',
    active: app.active,
    grants,
    subscriptions,
  };
}

function compileCredential(
  credential: SnapshotCredential,
  at: string,
  errors: FieldError[],
): CredentialRecord {
  const expiresAt = credential.expiresAt === null ? null : Date.parse(credential.expiresAt);
  if (expiresAt !== null && Number.isNaN(expiresAt)) {
    errors.push({ path: `${at}.expiresAt`, message: 'must be an ISO date-time or null' });
  }
  return {
    id: credential.id,
    applicationId: credential.applicationId,
    hash: credential.hash,
    secret: credential.secret,
    expiresAt,
  };
}

function compileKey(key: SnapshotKey, at: string, errors: FieldError[]): ApiKeyRecord {
  const expiresAt = key.expiresAt === null ? null : Date.parse(key.expiresAt);
  if (expiresAt !== null && Number.isNaN(expiresAt)) {
    errors.push({ path: `${at}.expiresAt`, message: 'must be an ISO date-time or null' });
  }
  return { id: key.id, applicationId: key.applicationId, expiresAt };
}
