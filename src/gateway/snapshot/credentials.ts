// Credential indexes compiled from a snapshot: key hash → key, application id → application
// with its grants. Policies reach them through the `Credentials` interface only.

import type { ApiKeyRecord, ApplicationRecord, Credentials } from '../../policies/context.ts';
import type { FieldError } from '../../shared/errors.ts';
import type { Snapshot } from './types.ts';

export class CredentialIndex implements Credentials {
  readonly #keys = new Map<string, ApiKeyRecord>();
  readonly #applications = new Map<string, ApplicationRecord>();

  apiKey(hash: string): ApiKeyRecord | undefined {
    return this.#keys.get(hash);
  }

  application(id: string): ApplicationRecord | undefined {
    return this.#applications.get(id);
  }

  /** Appends a FieldError for every dangling reference; the caller refuses the snapshot then. */
  static compile(snapshot: Snapshot, apiIds: ReadonlySet<string>, errors: FieldError[]): CredentialIndex {
    const index = new CredentialIndex();
    for (const [i, app] of snapshot.applications.entries()) {
      if (index.#applications.has(app.id)) {
        errors.push({ path: `applications[${i}].id`, message: `duplicate application id ${app.id}` });
      }
      const grants = new Map<string, string>();
      for (const [j, grant] of app.grants.entries()) {
        if (!apiIds.has(grant.apiId)) {
          errors.push({
            path: `applications[${i}].grants[${j}].apiId`,
            message: `no API with id ${grant.apiId}`,
          });
        }
        // Several plans may cover one API; the first (as the control plane ordered them) wins.
        if (!grants.has(grant.apiId)) grants.set(grant.apiId, grant.planId);
      }
      index.#applications.set(app.id, { id: app.id, accountId: app.accountId, active: app.active, grants });
    }
    for (const [i, key] of snapshot.keys.entries()) {
      if (!index.#applications.has(key.applicationId)) {
        errors.push({
          path: `keys[${i}].applicationId`,
          message: `no application with id ${key.applicationId}`,
        });
      }
      if (index.#keys.has(key.hash)) errors.push({ path: `keys[${i}].hash`, message: 'duplicate key hash' });
      const expiresAt = key.expiresAt === null ? null : Date.parse(key.expiresAt);
      if (expiresAt !== null && Number.isNaN(expiresAt)) {
        errors.push({ path: `keys[${i}].expiresAt`, message: 'must be an ISO date-time or null' });
      }
      index.#keys.set(key.hash, { applicationId: key.applicationId, expiresAt });
    }
    return index;
  }
}
