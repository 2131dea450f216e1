// Applies the document's alert rules, as OAuth scopes are applied: the ones named are created or
// set to what the file says (omitted fields take their defaults, omitted channels mean none);
// without `alerts` the stored rules are left alone, even with --prune; with the list and --prune,
// the rules it does not name are deleted. They come last, so a scope may name anything the file
// creates. Secrets arrive in plaintext or sealed (as exported) and compare unsealed, since every
// seal of the same secret differs.
import { and, asc, eq } from 'drizzle-orm';
import { unseal } from '../../shared/sealed.ts';
import {
  accounts,
  alertRules,
  apis,
  applications,
  plans,
  products,
  routes,
} from '../../store/schema/index.ts';
import { type AlertScopeInput, resolveCondition } from '../model/alert.ts';
import { alertSealingKey } from '../services/alert-webhooks.ts';
import {
  type AlertRuleInput,
  type AlertRuleRow,
  createAlertRule,
  deleteAlertRule,
  toAlertRule,
  updateAlertRule,
} from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import { platformSecret } from '../services/platform-secrets.ts';
import type { AlertEntry } from './alert-entry.ts';
import { type ApplyRun, StepFailed, same } from './run.ts';

export async function applyAlerts(run: ApplyRun, entries: AlertEntry[], prune: boolean): Promise<void> {
  const current = await run.db.select().from(alertRules).orderBy(asc(alertRules.name));
  const key = await platformSecret(run.db, alertSealingKey);
  if (prune) {
    const wanted = new Set(entries.map((e) => e.name));
    for (const rule of current.filter((r) => !wanted.has(r.name))) {
      run.step('alerts', await deleteAlertRule(run.db, rule.id));
      run.record('delete', 'alert-rule', rule.name, { id: rule.id, before: toAlertRule(rule, []) });
    }
  }
  for (const [i, entry] of entries.entries()) {
    const path = `alerts[${i}]`;
    const scope = await scopeIds(run.db, path, entry.scope ?? {});
    const input: AlertRuleInput = { ...entry, scope };
    const existing = current.find((r) => r.name === entry.name);
    if (!existing) {
      const created = run.step(path, await createAlertRule(run.db, input, { at: path }));
      run.record('create', 'alert-rule', entry.name, { id: created.id, after: created });
      continue;
    }
    if (same(comparable(desired(input), key), comparable(existing, key))) continue;
    const before = toAlertRule(existing, []);
    const { name: _name, ...fields } = input;
    const updated = run.step(
      path,
      await updateAlertRule(
        run.db,
        existing.id,
        {
          ...fields,
          description: input.description ?? '',
          enabled: input.enabled ?? true,
          repeatMinutes: input.repeatMinutes ?? null,
          scope,
          channels: { webhooks: input.channels?.webhooks ?? [], emails: input.channels?.emails ?? [] },
          // Null resets what the file leaves out to its default.
          windowMinutes: input.windowMinutes ?? null,
          threshold: input.threshold ?? null,
          statusClass: input.statusClass ?? null,
          percentile: input.percentile ?? null,
          minRequests: input.minRequests ?? null,
          absoluteMinimum: input.absoluteMinimum ?? null,
        },
        { at: path },
      ),
    );
    run.record('update', 'alert-rule', entry.name, { id: existing.id, before, after: updated });
  }
}

type Comparable = Pick<AlertRuleRow, 'description' | 'enabled' | 'repeatMinutes' | 'scope' | 'emails'> &
  ReturnType<typeof resolveCondition> & {
    webhooks: { url: string; secret?: string; sealedSecret?: string }[];
  };

/** The rule the file describes, in the stored shape (secrets as given). */
function desired(input: AlertRuleInput): Comparable {
  return {
    description: input.description ?? '',
    enabled: input.enabled ?? true,
    ...resolveCondition(input),
    repeatMinutes: input.repeatMinutes ?? null,
    scope: input.scope ?? {},
    webhooks: (input.channels?.webhooks ?? []).map((w) => ({
      url: w.url,
      ...(w.secret !== undefined && { secret: w.secret }),
      ...(w.sealedSecret !== undefined && { sealedSecret: w.sealedSecret }),
    })),
    emails: input.channels?.emails ?? [],
  };
}

function comparable(rule: Comparable, key: string) {
  return {
    description: rule.description,
    enabled: rule.enabled,
    kind: rule.kind,
    windowMinutes: rule.windowMinutes,
    threshold: rule.threshold,
    statusClass: rule.statusClass,
    percentile: rule.percentile,
    minRequests: rule.minRequests,
    absoluteMinimum: rule.absoluteMinimum,
    repeatMinutes: rule.repeatMinutes,
    scope: rule.scope,
    webhooks: rule.webhooks.map((w) => ({
      url: w.url,
      secret: w.secret ?? (w.sealedSecret === undefined ? null : (unseal(w.sealedSecret, key) ?? null)),
    })),
    emails: rule.emails,
  };
}

/** The scope's names as ids; a name that resolves to nothing stops the apply at its path. */
async function scopeIds(
  db: Db,
  path: string,
  scope: NonNullable<AlertEntry['scope']>,
): Promise<AlertScopeInput> {
  const ids: AlertScopeInput = {};
  const missing = (field: string, message: string) => new StepFailed(`${path}.scope.${field}`, message);
  if (scope.api !== undefined) {
    const [api] = await db.select({ id: apis.id }).from(apis).where(eq(apis.name, scope.api));
    if (!api) throw missing('api', `no API named ${scope.api}`);
    ids.apiId = api.id;
    if (scope.route !== undefined) {
      const [route] = await db
        .select({ id: routes.id })
        .from(routes)
        .where(and(eq(routes.apiId, api.id), eq(routes.name, scope.route)));
      if (!route) throw missing('route', `API ${scope.api} has no route named ${scope.route}`);
      ids.routeId = route.id;
    }
  }
  if (scope.account !== undefined) {
    const [account] = await db
      .select({ id: accounts.id })
      .from(accounts)
      .where(eq(accounts.name, scope.account));
    if (!account) throw missing('account', `no account named ${scope.account}`);
    ids.accountId = account.id;
    if (scope.application !== undefined) {
      const [app] = await db
        .select({ id: applications.id })
        .from(applications)
        .where(and(eq(applications.accountId, account.id), eq(applications.name, scope.application)));
      if (!app)
        throw missing(
          'application',
          `account ${scope.account} has no application named ${scope.application}`,
        );
      ids.applicationId = app.id;
    }
  }
  if (scope.product !== undefined && scope.plan !== undefined) {
    const [plan] = await db
      .select({ id: plans.id })
      .from(plans)
      .innerJoin(products, eq(products.id, plans.productId))
      .where(and(eq(products.name, scope.product), eq(plans.name, scope.plan)));
    if (!plan) throw missing('plan', `product ${scope.product} has no plan named ${scope.plan}`);
    ids.planId = plan.id;
  }
  return ids;
}
