// The `alerts` part of an export: every rule by name, its scope by names, fields at their
// defaults left out, webhook secrets sealed as stored (only this installation can apply them;
// another one needs the plaintext). Applying the export reproduces exactly what was exported.
import { asc, eq } from 'drizzle-orm';
import {
  accounts,
  alertRules,
  apis,
  applications,
  plans,
  products,
  routes,
} from '../../store/schema/index.ts';
import { alertDefaults } from '../model/alert.ts';
import type { Db } from '../services/context.ts';
import type { AlertEntry } from './alert-entry.ts';

export async function readAlerts(db: Db): Promise<AlertEntry[]> {
  const rows = await db.select().from(alertRules).orderBy(asc(alertRules.name));
  if (rows.length === 0) return [];
  const names = await scopeNames(db);
  return rows.map((r) => {
    const scope = {
      ...(r.scope.apiId !== undefined && { api: names.api(r.scope.apiId) }),
      ...(r.scope.routeId !== undefined && names.route(r.scope.routeId)),
      ...(r.scope.accountId !== undefined && { account: names.account(r.scope.accountId) }),
      ...(r.scope.applicationId !== undefined && names.application(r.scope.applicationId)),
      ...(r.scope.planId !== undefined && names.plan(r.scope.planId)),
    };
    return {
      name: r.name,
      ...(r.description && { description: r.description }),
      ...(!r.enabled && { enabled: false }),
      kind: r.kind,
      ...(r.windowMinutes !== null &&
        r.windowMinutes !== alertDefaults.windowMinutes && { windowMinutes: r.windowMinutes }),
      ...(r.threshold !== null && { threshold: r.threshold }),
      ...(r.statusClass !== null &&
        r.statusClass !== alertDefaults.statusClass && { statusClass: r.statusClass }),
      ...(r.percentile !== null && r.percentile !== alertDefaults.percentile && { percentile: r.percentile }),
      ...(r.minRequests !== null &&
        r.minRequests !== alertDefaults.minRequests && { minRequests: r.minRequests }),
      ...(r.absoluteMinimum !== null && { absoluteMinimum: r.absoluteMinimum }),
      ...(r.repeatMinutes !== null && { repeatMinutes: r.repeatMinutes }),
      ...(Object.keys(scope).length > 0 && { scope }),
      ...((r.webhooks.length > 0 || r.emails.length > 0) && {
        channels: {
          ...(r.webhooks.length > 0 && {
            webhooks: r.webhooks.map((w) => ({ url: w.url, sealedSecret: w.sealedSecret })),
          }),
          ...(r.emails.length > 0 && { emails: r.emails }),
        },
      }),
    };
  });
}

/**
 * Names for the ids a scope holds. An object deleted since keeps its id in the rule (which then
 * watches nothing); the export writes the id, which apply refuses as a name, so the file says so.
 */
async function scopeNames(db: Db) {
  const map = <T extends { id: string }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const apiRows = map(await db.select({ id: apis.id, name: apis.name }).from(apis));
  const routeRows = map(
    await db
      .select({ id: routes.id, name: routes.name, api: apis.name })
      .from(routes)
      .innerJoin(apis, eq(apis.id, routes.apiId)),
  );
  const accountRows = map(await db.select({ id: accounts.id, name: accounts.name }).from(accounts));
  const appRows = map(
    await db
      .select({ id: applications.id, name: applications.name, account: accounts.name })
      .from(applications)
      .innerJoin(accounts, eq(accounts.id, applications.accountId)),
  );
  const planRows = map(
    await db
      .select({ id: plans.id, name: plans.name, product: products.name })
      .from(plans)
      .innerJoin(products, eq(products.id, plans.productId)),
  );
  return {
    api: (id: string) => apiRows.get(id)?.name ?? id,
    route: (id: string) => {
      const route = routeRows.get(id);
      return route ? { api: route.api, route: route.name } : { route: id };
    },
    account: (id: string) => accountRows.get(id)?.name ?? id,
    application: (id: string) => {
      const app = appRows.get(id);
      return app ? { account: app.account, application: app.name } : { application: id };
    },
    plan: (id: string) => {
      const plan = planRows.get(id);
      return plan ? { product: plan.product, plan: plan.name } : { plan: id };
    },
  };
}
