// Applies the document's OAuth scopes: the ones named are created or set to what the file says.
// An omitted list leaves the stored scopes alone, even with --prune; a present list with --prune
// also deletes the scopes it does not name.
import { oauthScopes } from '../../store/schema/index.ts';
import {
  createOAuthScope,
  deleteOAuthScope,
  toOAuthScope,
  updateOAuthScope,
} from '../services/oauth-scopes.ts';
import type { OAuthScopeEntry } from './document.ts';
import type { ApplyRun } from './run.ts';

export async function applyOAuthScopes(
  run: ApplyRun,
  entries: OAuthScopeEntry[],
  prune: boolean,
): Promise<void> {
  const current = await run.db.select().from(oauthScopes);
  if (prune) {
    const wanted = new Set(entries.map((s) => s.name));
    for (const scope of current.filter((s) => !wanted.has(s.name))) {
      run.step('oauthScopes', await deleteOAuthScope(run.db, scope.id));
      run.record('delete', 'oauth-scope', scope.name, { id: scope.id, before: toOAuthScope(scope) });
    }
  }
  for (const [i, entry] of entries.entries()) {
    const path = `oauthScopes[${i}]`;
    const description = entry.description ?? '';
    const existing = current.find((s) => s.name === entry.name);
    if (!existing) {
      const created = run.step(path, await createOAuthScope(run.db, { name: entry.name, description }));
      run.record('create', 'oauth-scope', entry.name, { id: created.id, after: created });
    } else if (existing.description !== description) {
      const updated = run.step(path, await updateOAuthScope(run.db, existing.id, { description }));
      run.record('update', 'oauth-scope', entry.name, {
        id: existing.id,
        before: toOAuthScope(existing),
        after: updated,
      });
    }
  }
}
