// The bookkeeping of one apply: the transaction, the changes made so far, deletions deferred
// until nothing refers to what they delete, and the first failure with its document path.
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
    | 'oauth-scope';
  /** Qualified name, such as `weather/forecast` for a route of API weather. */
  name: string;
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
  readonly #deferred: (() => Promise<void>)[] = [];

  constructor(db: Db) {
    this.db = db;
  }

  /** Unwraps a service result, or stops the apply with the service's message at `path`. */
  step<T>(path: string, result: Result<T>): T {
    if (!result.ok) throw new StepFailed(path, result.problem.detail);
    return result.value;
  }

  record(action: Change['action'], kind: Change['kind'], name: string): void {
    this.changes.push({ action, kind, name });
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
