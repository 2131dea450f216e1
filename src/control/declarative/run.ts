// The bookkeeping of one apply: the transaction, the changes made so far (with each object
// before and after, for the audit trail), deletions deferred until nothing refers to what they
// delete, and the first failure with its document path.
import type { Result } from '../../shared/errors.ts';
import type { Db } from '../services/context.ts';

export interface Change {
  action: 'create' | 'update' | 'delete' | 'revoke';
  kind:
    | 'upstream'
    | 'api'
    | 'route'
    | 'product'
    | 'plan'
    | 'account'
    | 'application'
    | 'subscription'
    | 'key'
    | 'credential'
    | 'policy'
    | 'oauth-scope'
    | 'identity-provider'
    | 'portal-branding'
    | 'portal-signup'
    | 'portal-page'
    | 'portal-field'
    | 'alert-rule';
  /** Qualified name, such as `weather/forecast` for a route of API weather. */
  name: string;
}

/** A change as the audit trail records it: the object by id, as the admin API shows it. */
export interface AuditedChange {
  action: Change['action'];
  kind: Change['kind'];
  /** Null for the one object without an id (the portal branding). */
  id: string | null;
  /** As `GET` showed it before the change; null for a create. */
  before: unknown;
  /** As `GET` shows it after the change; null for a delete. */
  after: unknown;
}

export class StepFailed extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.path = path;
  }
}

export class ApplyRun {
  readonly db: Db;
  readonly changes: Change[] = [];
  /** One entry per change, in the same order. */
  readonly audited: AuditedChange[] = [];
  readonly #deferred: (() => Promise<void>)[] = [];

  constructor(db: Db) {
    this.db = db;
  }

  /**
   * Unwraps a service result, or stops the apply with the service's message at `path`, or at the
   * field the service names when it was given the document's path (custom fields, policy config).
   */
  step<T>(path: string, result: Result<T>): T {
    if (result.ok) return result.value;
    const [field] = result.problem.errors ?? [];
    if (field?.path.startsWith(path)) throw new StepFailed(field.path, field.message);
    throw new StepFailed(path, result.problem.detail);
  }

  /** `object` is the changed object by id, before and after, in the admin API's output shape. */
  record(
    action: Change['action'],
    kind: Change['kind'],
    name: string,
    object: { id: string | null; before?: unknown; after?: unknown },
  ): void {
    this.changes.push({ action, kind, name });
    this.audited.push({
      action,
      kind,
      id: object.id,
      before: object.before ?? null,
      after: object.after ?? null,
    });
  }

  defer(work: () => Promise<void>): void {
    this.#deferred.push(work);
  }

  async runDeferred(): Promise<void> {
    for (const work of this.#deferred.splice(0)) await work();
  }
}

/**
 * Plain-data equality for the field sets compared before an update. Object keys are compared
 * in sorted order: jsonb does not keep the order they were written in.
 */
export function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
