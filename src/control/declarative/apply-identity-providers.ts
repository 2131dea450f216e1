// Applies the document's identity providers, as OAuth scopes are applied: the ones named are
// created or set to what the file says; an omitted list leaves the stored ones alone, even with
// --prune; a present list with --prune also deletes the ones it does not name. Creation comes
// before the APIs (so an API can name a provider the same file creates), deletion after them
// (so an API can stop naming a provider the same file removes).
import { identityProviders } from '../../store/schema/index.ts';
import { defaultIdentityProviderAlgorithms } from '../model/identity-provider.ts';
import {
  createIdentityProvider,
  deleteIdentityProvider,
  toIdentityProvider,
  updateIdentityProvider,
} from '../services/identity-providers.ts';
import type { IdentityProviderEntry } from './document.ts';
import { type ApplyRun, same } from './run.ts';

export async function applyIdentityProviders(run: ApplyRun, entries: IdentityProviderEntry[]): Promise<void> {
  const current = await run.db.select().from(identityProviders);
  for (const [i, entry] of entries.entries()) {
    const path = `identityProviders[${i}]`;
    const desired = {
      displayName: entry.displayName ?? '',
      loginUrl: entry.loginUrl,
      issuer: entry.issuer,
      jwksUrl: entry.jwksUrl ?? null,
      publicKeys: entry.publicKeys ?? [],
      algorithms: entry.algorithms ?? defaultIdentityProviderAlgorithms,
    };
    const existing = current.find((p) => p.name === entry.name);
    if (!existing) {
      const created = run.step(path, await createIdentityProvider(run.db, { name: entry.name, ...desired }));
      run.record('create', 'identity-provider', entry.name, { id: created.id, after: created });
      continue;
    }
    const { displayName, loginUrl, issuer, jwksUrl, publicKeys, algorithms } = existing;
    if (!same(desired, { displayName, loginUrl, issuer, jwksUrl, publicKeys, algorithms })) {
      const updated = run.step(path, await updateIdentityProvider(run.db, existing.id, desired));
      run.record('update', 'identity-provider', entry.name, {
        id: existing.id,
        before: toIdentityProvider(existing),
        after: updated,
      });
    }
  }
}

/** With --prune and a present list: delete the providers it does not name, after the APIs. */
export async function pruneIdentityProviders(run: ApplyRun, entries: IdentityProviderEntry[]): Promise<void> {
  const wanted = new Set(entries.map((p) => p.name));
  for (const provider of await run.db.select().from(identityProviders)) {
    if (wanted.has(provider.name)) continue;
    run.step('identityProviders', await deleteIdentityProvider(run.db, provider.id));
    run.record('delete', 'identity-provider', provider.name, {
      id: provider.id,
      before: toIdentityProvider(provider),
    });
  }
}
