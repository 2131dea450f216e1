// `turnpike apply`: makes the store match a document in one transaction. The whole document
// is checked before the first write; any failure rolls everything back and names the path of
// the field at fault. Applying what is already there changes nothing and says so.
import { eq } from 'drizzle-orm';
import type { RouteConflict } from '../../gateway/router/placement.ts';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { apis, identityProviders, plans, products, upstreams } from '../../store/schema/index.ts';
import { type AuditActor, recordAudit } from '../services/audit.ts';
import type { Db } from '../services/context.ts';
import { findRouteConflict } from '../services/routing.ts';
import { write } from '../services/write.ts';
import { applyAccounts, pruneAccounts } from './apply-accounts.ts';
import { applyAlerts } from './apply-alerts.ts';
import { applyApis, applyProducts, applyUpstreams, pruneCatalog } from './apply-catalog.ts';
import { applyIdentityProviders, pruneIdentityProviders } from './apply-identity-providers.ts';
import { applyPolicies, pruneGlobalPolicies } from './apply-policies.ts';
import { applyPortal } from './apply-portal.ts';
import { applyOAuthScopes } from './apply-scopes.ts';
import { checkDocument, type KnownNames } from './check.ts';
import type { ConfigDocument } from './document.ts';
import { ApplyRun, type Change, StepFailed } from './run.ts';

export interface ApplyOptions {
  /** Also delete top-level objects the document does not name. */
  prune?: boolean;
  /** Work out the changes, then roll back. */
  dryRun?: boolean;
  /**
   * Who applies it: the apply is recorded in the audit trail, in the same transaction, as one
   * `apply` event and one event per object changed.
   */
  actor?: AuditActor;
  /**
   * False: an apply that would create, change or delete an identity provider is refused, since
   * those writes need the admin role. The admin API says so for callers below admin.
   */
  mayChangeIdentityProviders?: boolean;
}

export interface ApplyResult {
  changes: Change[];
}

export async function applyDocument(
  db: Db,
  doc: ConfigDocument,
  options: ApplyOptions = {},
): Promise<Result<ApplyResult>> {
  return write(
    db,
    async (tx) => {
      const errors = checkDocument(doc, await knownNames(tx));
      if (errors.length)
        return fail('config-invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
      const run = new ApplyRun(tx);
      try {
        if (doc.identityProviders) await applyIdentityProviders(run, doc.identityProviders);
        await applyUpstreams(run, doc.upstreams ?? []);
        await applyApis(run, doc.apis ?? []);
        if (doc.policies)
          await applyPolicies(run, 'policies', '', { apiId: null, routeId: null }, doc.policies);
        else if (options.prune) await pruneGlobalPolicies(run);
        await applyProducts(run, doc.products ?? []);
        // Before accounts: their custom fields are checked against the file's field definitions.
        if (doc.portal) await applyPortal(run, doc.portal);
        await applyAccounts(run, doc.accounts ?? []);
        if (options.prune) await pruneAccounts(run, doc);
        await run.runDeferred();
        if (options.prune) await pruneCatalog(run, doc);
        if (options.prune && doc.identityProviders) await pruneIdentityProviders(run, doc.identityProviders);
        if (doc.oauthScopes) await applyOAuthScopes(run, doc.oauthScopes, options.prune ?? false);
        // Last: a rule's scope may name anything the file creates.
        if (doc.alerts) await applyAlerts(run, doc.alerts, options.prune ?? false);
        // Routes are checked once, on the final state, so one apply can swap or move them.
        const conflict = await findRouteConflict(tx);
        if (conflict) throw new StepFailed(pathInDocument(doc, conflict), conflict.message);
      } catch (error) {
        if (!(error instanceof StepFailed)) throw error;
        return fail('config-invalid', `${error.path}: ${error.message}`, [
          { path: error.path, message: error.message },
        ]);
      }
      const provider = run.changes.find((c) => c.kind === 'identity-provider');
      if (provider && options.mayChangeIdentityProviders === false)
        return fail(
          'forbidden',
          `the document would ${provider.action} identity provider ${provider.name}, and changing identity providers needs the admin role`,
        );
      if (options.actor && !options.dryRun && run.changes.length > 0) {
        // The summary first, then each object as an admin API write of it would have recorded it.
        await recordAudit(tx, options.actor, {
          action: 'apply',
          objectType: 'config',
          objectId: null,
          after: { prune: options.prune ?? false, changes: run.changes },
        });
        for (const change of run.audited)
          await recordAudit(tx, options.actor, {
            action: change.action,
            objectType: change.kind,
            objectId: change.id,
            before: change.before,
            after: change.after,
          });
      }
      return ok({ changes: run.changes });
    },
    {
      dryRun: options.dryRun ?? false,
      // Scopes and identity providers are for the authorization server, the portal's content for
      // the portal, alert rules for the control plane, not the gateway: they alone make no revision.
      changed: (result) => (result as ApplyResult).changes.some((c) => !notForGateways.has(c.kind)),
    },
  );
}

const notForGateways = new Set<Change['kind']>([
  'oauth-scope',
  'identity-provider',
  'portal-branding',
  'portal-signup',
  'portal-page',
  'portal-field',
  'alert-rule',
]);

/** Where a clash shows in the document: at the route the file lists, or at its API. */
function pathInDocument(doc: ConfigDocument, conflict: RouteConflict): string {
  for (const [apiName, routeName] of [
    [conflict.api, conflict.route],
    [conflict.otherApi, conflict.otherRoute],
  ]) {
    const i = (doc.apis ?? []).findIndex((a) => a.name === apiName);
    if (i === -1) continue;
    const j = (doc.apis?.[i]?.routes ?? []).findIndex((r) => r.name === routeName);
    return j === -1 ? `apis[${i}]` : `apis[${i}].routes[${j}].path`;
  }
  return 'apis';
}

async function knownNames(db: Db): Promise<KnownNames> {
  const planRows = await db
    .select({ product: products.name, plan: plans.name })
    .from(plans)
    .innerJoin(products, eq(products.id, plans.productId));
  const known: KnownNames = {
    upstreams: new Set((await db.select({ name: upstreams.name }).from(upstreams)).map((r) => r.name)),
    apis: new Set((await db.select({ name: apis.name }).from(apis)).map((r) => r.name)),
    identityProviders: new Set(
      (await db.select({ name: identityProviders.name }).from(identityProviders)).map((r) => r.name),
    ),
    plans: new Map(),
  };
  for (const p of await db.select({ name: products.name }).from(products)) known.plans.set(p.name, new Set());
  for (const row of planRows) known.plans.get(row.product)?.add(row.plan);
  return known;
}
