// Alert rules: names unique, the condition whole for its kind (also after an update), the scope
// naming objects that exist, webhook secrets sealed on the way in and never out. URLs name a
// rule by id or name. Rules are not gateway configuration.
//
// Disabling a rule, deleting it or changing its kind or scope resolves what it was firing about
// (alerts/retire.ts): the resolved events are stored with the write and sent once it commits.
import { asc, eq, inArray } from 'drizzle-orm';
import { type FieldError, fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import {
  accounts,
  alertRules,
  alertStates,
  apis,
  applications,
  plans,
  routes,
} from '../../store/schema/index.ts';
import { sendOnceCommitted } from '../alerts/dispatcher.ts';
import { retireAlertStates } from '../alerts/retire.ts';
import {
  type AlertCondition,
  type AlertRule,
  type AlertRuleUpdate,
  type AlertScopeInput,
  type AlertStatus,
  alertConditionProblems,
  kindFields,
  resolveCondition,
} from '../model/alert.ts';
import { sealWebhooks, type WebhookInput } from './alert-webhooks.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

export type AlertRuleRow = typeof alertRules.$inferSelect;
type StateRow = typeof alertStates.$inferSelect;

/** A whole rule as the service stores it. */
export interface AlertRuleInput extends AlertCondition {
  name: string;
  description?: string | undefined;
  enabled?: boolean | undefined;
  repeatMinutes?: number | null | undefined;
  scope?: AlertScopeInput | undefined;
  channels?: { webhooks?: WebhookInput[] | undefined; emails?: string[] | undefined } | undefined;
}

export type AlertRuleChange = Omit<AlertRuleUpdate, 'channels'> & {
  channels?: AlertRuleInput['channels'];
};

/** Where field errors point: `body` for the admin API. */
interface At {
  at?: string;
}

const firingListed = 100;

export function alertStatusOf(row: AlertRuleRow, states: StateRow[]): AlertStatus {
  const own = states.find((s) => s.ruleId === row.id && s.subject === '');
  const firing = states
    .filter((s) => s.ruleId === row.id && s.subject !== '' && s.state === 'firing')
    .sort((a, b) => a.since.getTime() - b.since.getTime() || (a.subject < b.subject ? -1 : 1))
    .slice(0, firingListed)
    .map((s) => ({ subject: s.subject, since: s.since.toISOString(), value: s.value }));
  return {
    state: !row.enabled ? 'disabled' : (own?.state ?? 'unknown'),
    since: own?.since.toISOString() ?? null,
    value: own?.value ?? null,
    threshold: own?.threshold ?? null,
    evaluatedAt: own?.evaluatedAt.toISOString() ?? null,
    firing: row.enabled ? firing : [],
  };
}

export function toAlertRule(row: AlertRuleRow, states: StateRow[]): AlertRule {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    enabled: row.enabled,
    kind: row.kind,
    windowMinutes: row.windowMinutes,
    threshold: row.threshold,
    statusClass: row.statusClass,
    percentile: row.percentile,
    minRequests: row.minRequests,
    absoluteMinimum: row.absoluteMinimum,
    repeatMinutes: row.repeatMinutes,
    scope: row.scope,
    // The secrets stay here.
    channels: { webhooks: row.webhooks.map((w) => ({ url: w.url })), emails: row.emails },
    status: alertStatusOf(row, states),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

async function statesOf(db: Db, ruleIds: string[]): Promise<StateRow[]> {
  if (ruleIds.length === 0) return [];
  return db.select().from(alertStates).where(inArray(alertStates.ruleId, ruleIds));
}

async function withStatus(db: Db, row: AlertRuleRow): Promise<AlertRule> {
  return toAlertRule(row, await statesOf(db, [row.id]));
}

export function findAlertRuleRow(db: Db, idOrName: string): Promise<AlertRuleRow | undefined> {
  return findByIdOrName(db, alertRules, 'alertRule', idOrName);
}

export async function listAlertRules(
  db: Db,
  filter: { name?: string | undefined; kind?: AlertRuleRow['kind'] | undefined },
  page: PageRequest,
): Promise<Page<AlertRule>> {
  const rows = await listPage<AlertRuleRow, AlertRuleRow>(
    db,
    alertRules,
    [
      filter.name ? eq(alertRules.name, filter.name) : undefined,
      filter.kind ? eq(alertRules.kind, filter.kind) : undefined,
    ],
    page,
    (row) => row,
  );
  const states = await statesOf(
    db,
    rows.data.map((r) => r.id),
  );
  return { data: rows.data.map((row) => toAlertRule(row, states)), next: rows.next };
}

/** Every enabled rule, by name: what the evaluator works through. */
export function enabledAlertRules(db: Db): Promise<AlertRuleRow[]> {
  return db.select().from(alertRules).where(eq(alertRules.enabled, true)).orderBy(asc(alertRules.name));
}

export async function getAlertRule(db: Db, idOrName: string): Promise<Result<AlertRule>> {
  const row = await findAlertRuleRow(db, idOrName);
  return row ? ok(await withStatus(db, row)) : fail('not-found', `no alert rule ${idOrName}`);
}

export async function createAlertRule(
  db: Db,
  input: AlertRuleInput,
  options: At = {},
): Promise<Result<AlertRule>> {
  const at = options.at ?? 'body';
  const problems = alertConditionProblems(input);
  if (problems.length) return invalid(at, problems);
  const taken = await nameTaken(db, input.name);
  if (taken) return taken;
  const scope = input.scope ?? {};
  const missing = await missingReference(db, scope, at);
  if (missing) return missing;
  const webhooks = await sealWebhooks(db, input.channels?.webhooks ?? [], [], at);
  if (!webhooks.ok) return webhooks;
  const row = only(
    await db
      .insert(alertRules)
      .values({
        id: newId('alertRule'),
        name: input.name,
        description: input.description ?? '',
        enabled: input.enabled ?? true,
        ...resolveCondition(input),
        repeatMinutes: input.repeatMinutes ?? null,
        scope: compactScope(scope),
        webhooks: webhooks.value,
        emails: input.channels?.emails ?? [],
      })
      .returning(),
  );
  return ok(toAlertRule(row, []));
}

export async function updateAlertRule(
  db: Db,
  idOrName: string,
  patch: AlertRuleChange,
  options: At = {},
): Promise<Result<AlertRule>> {
  const at = options.at ?? 'body';
  const current = await findAlertRuleRow(db, idOrName);
  if (!current) return fail('not-found', `no alert rule ${idOrName}`);
  const condition = mergedCondition(current, patch);
  const scope = patch.scope ?? current.scope;
  const problems = alertConditionProblems({ ...condition, scope });
  if (problems.length) return invalid(at, problems);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, patch.name);
    if (taken) return taken;
  }
  if (patch.scope) {
    const missing = await missingReference(db, patch.scope, at);
    if (missing) return missing;
  }
  const given = patch.channels?.webhooks;
  const webhooks = given ? await sealWebhooks(db, given, current.webhooks, at) : ok(current.webhooks);
  if (!webhooks.ok) return webhooks;
  // What it was firing about is over: it stops watching, or watches something else. Told to the
  // channels as they were, which are the ones that heard it fire.
  const retired =
    current.enabled && patch.enabled === false
      ? 'disabled'
      : condition.kind !== current.kind ||
          (patch.scope && !sameScope(compactScope(patch.scope), current.scope))
        ? 'changed'
        : undefined;
  const notifications = retired ? await retireAlertStates(db, current, retired) : [];
  const row = only(
    await db
      .update(alertRules)
      .set({
        name: patch.name,
        description: patch.description,
        enabled: patch.enabled,
        ...resolveCondition(condition),
        repeatMinutes: patch.repeatMinutes,
        scope: patch.scope ? compactScope(patch.scope) : undefined,
        webhooks: webhooks.value,
        emails: patch.channels?.emails,
        updatedAt: new Date(),
      })
      .where(eq(alertRules.id, current.id))
      .returning(),
  );
  sendOnceCommitted(notifications);
  return ok(await withStatus(db, row));
}

export async function deleteAlertRule(db: Db, idOrName: string): Promise<Result<void>> {
  const current = await findAlertRuleRow(db, idOrName);
  if (!current) return fail('not-found', `no alert rule ${idOrName}`);
  // What it fires about resolves, told to its channels (read before they go); its states go with
  // it, its events stay, as history.
  const notifications = await retireAlertStates(db, current, 'deleted');
  await db.delete(alertRules).where(eq(alertRules.id, current.id));
  sendOnceCommitted(notifications);
  return ok(undefined);
}

function sameScope(a: AlertScopeInput, b: AlertScopeInput): boolean {
  return (Object.keys(scopeTables) as (keyof AlertScopeInput)[]).every((field) => a[field] === b[field]);
}

/**
 * The condition an update leaves: the stored one with the patch over it. A new kind starts from
 * nothing, since the old kind's fields mean something else (a threshold in ms is not a share).
 */
function mergedCondition(current: AlertRuleRow, patch: AlertRuleChange): AlertCondition {
  const kind = patch.kind ?? current.kind;
  const merged: Record<string, unknown> = { kind };
  for (const field of [...Object.keys(kindFields), 'threshold'] as (
    | keyof typeof kindFields
    | 'threshold'
  )[]) {
    const given = patch[field];
    merged[field] = given === undefined ? (kind === current.kind ? current[field] : null) : given;
  }
  return merged as unknown as AlertCondition;
}

const scopeTables = {
  apiId: { table: apis, what: 'API' },
  routeId: { table: routes, what: 'route' },
  applicationId: { table: applications, what: 'application' },
  accountId: { table: accounts, what: 'account' },
  planId: { table: plans, what: 'plan' },
} as const;

async function missingReference(
  db: Db,
  scope: AlertScopeInput,
  at: string,
): Promise<Result<never> | undefined> {
  for (const [field, { table, what }] of Object.entries(scopeTables) as [
    keyof AlertScopeInput,
    (typeof scopeTables)[keyof AlertScopeInput],
  ][]) {
    const id = scope[field];
    if (id === undefined) continue;
    const [row] = await db.select({ id: table.id }).from(table).where(eq(table.id, id));
    if (!row)
      return fail('reference-not-found', `no ${what} ${id}`, [
        { path: `${at}.scope.${field}`, message: `no ${what} ${id}` },
      ]);
  }
  return undefined;
}

function compactScope(scope: AlertScopeInput): AlertScopeInput {
  return Object.fromEntries(Object.entries(scope).filter(([, v]) => v !== undefined)) as AlertScopeInput;
}

function invalid(at: string, problems: FieldError[]): Result<never> {
  const errors = problems.map((p) => ({ path: `${at}.${p.path}`, message: p.message }));
  return fail('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.name, name));
  return row ? fail('conflict', `an alert rule named ${name} already exists`) : undefined;
}
