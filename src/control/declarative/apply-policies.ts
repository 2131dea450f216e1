// Applies one scope's list of policies (global, an API's or a route's): exactly the ones named.
import { and, eq, isNull } from 'drizzle-orm';
import { policies } from '../../store/schema/index.ts';
import { createPolicy, deletePolicy, toPolicy, updatePolicy } from '../services/policies.ts';
import type { PolicyEntry } from './document.ts';
import { type ApplyRun, same } from './run.ts';

export interface PolicyScope {
  apiId: string | null;
  routeId: string | null;
}

/** `label` qualifies names in the change list: `weather/jwt`, `weather/forecast/scopes`, `cors`. */
export async function applyPolicies(
  run: ApplyRun,
  at: string,
  label: string,
  scope: PolicyScope,
  entries: PolicyEntry[],
): Promise<void> {
  const current = await policiesIn(run, scope);
  const named = (name: string) => (label === '' ? name : `${label}/${name}`);
  const wanted = new Set(entries.map((p) => p.name));
  for (const policy of current.filter((p) => !wanted.has(p.name))) {
    run.step(at, await deletePolicy(run.db, policy.id));
    run.record('delete', 'policy', named(policy.name), { id: policy.id, before: toPolicy(policy) });
  }
  for (const [k, entry] of entries.entries()) {
    const path = `${at}[${k}]`;
    const desired = { enabled: entry.enabled ?? true, config: entry.config ?? {} };
    const existing = current.find((p) => p.name === entry.name);
    if (!existing) {
      const scopeIds = {
        ...(scope.apiId !== null && { apiId: scope.apiId }),
        ...(scope.routeId !== null && { routeId: scope.routeId }),
      };
      const created = run.step(
        path,
        await createPolicy(run.db, { name: entry.name, ...scopeIds, ...desired }, path),
      );
      run.record('create', 'policy', named(entry.name), { id: created.id, after: created });
    } else if (!same(desired, { enabled: existing.enabled, config: existing.config })) {
      const updated = run.step(path, await updatePolicy(run.db, existing.id, desired, path));
      run.record('update', 'policy', named(entry.name), {
        id: existing.id,
        before: toPolicy(existing),
        after: updated,
      });
    }
  }
}

/** With --prune and no `policies` in the document: global policies go (APIs' go with their API). */
export async function pruneGlobalPolicies(run: ApplyRun): Promise<void> {
  for (const policy of await policiesIn(run, { apiId: null, routeId: null })) {
    run.step('policies', await deletePolicy(run.db, policy.id));
    run.record('delete', 'policy', policy.name, { id: policy.id, before: toPolicy(policy) });
  }
}

function policiesIn(run: ApplyRun, scope: PolicyScope) {
  return run.db
    .select()
    .from(policies)
    .where(
      and(
        scope.apiId === null ? isNull(policies.apiId) : eq(policies.apiId, scope.apiId),
        scope.routeId === null ? isNull(policies.routeId) : eq(policies.routeId, scope.routeId),
      ),
    );
}
