// Alert rule: a condition on the traffic the gateways report (error rate, a latency percentile,
// a drop against last week) or on the metered usage (share of a plan limit), checked every minute,
// and where to say so when it starts and stops holding: signed webhooks and e-mails.
import { z } from 'zod';
import type { FieldError } from '../../shared/errors.ts';
import { description, id, name, timestamp } from './fields.ts';

export const alertKinds = ['error-rate', 'latency', 'traffic-drop', 'quota'] as const;
export type AlertKind = (typeof alertKinds)[number];
export const alertKind = z
  .enum(alertKinds)
  .describe(
    '`error-rate`: share of failed calls; `latency`: a latency percentile in ms; `traffic-drop`: fewer calls than a week earlier (or than a minimum); `quota`: share of a plan limit a subscription used.',
  );

export const statusClass = z
  .enum(['5xx', 'errors'])
  .describe('error-rate: what counts as failed: `5xx` (server errors) or `errors` (4xx and 5xx).');
export const percentile = z.enum(['p50', 'p95', 'p99']).describe('latency: the percentile compared.');

/** Defaults of the kind-specific fields, stored as such so a rule reads the same everywhere. */
export const alertDefaults = {
  windowMinutes: 5,
  statusClass: '5xx',
  percentile: 'p95',
  minRequests: 10,
} as const;

/** Which kinds each kind-specific field applies to. */
export const kindFields = {
  windowMinutes: ['error-rate', 'latency', 'traffic-drop'],
  statusClass: ['error-rate'],
  percentile: ['latency'],
  minRequests: ['error-rate', 'latency'],
  absoluteMinimum: ['traffic-drop'],
} as const satisfies Record<string, readonly AlertKind[]>;
export type KindField = keyof typeof kindFields;

const windowMinutes = z
  .int()
  .min(1)
  .max(1440)
  .describe('The rolling window evaluated, in minutes (1–1440); not for quota rules. Default 5.');
const threshold = z
  .number()
  .positive()
  .max(3_600_000)
  .describe(
    'error-rate and quota: a share, above 0 and at most 1 (0.05 = 5 %, 0.8 = 80 % of a limit); latency: milliseconds; traffic-drop: a share of the calls in the same window a week earlier (0.5 = half).',
  );
const minRequests = z
  .int()
  .min(1)
  .max(1_000_000_000)
  .describe('error-rate and latency: fewer calls in the window count as fine, not as evidence. Default 10.');
const absoluteMinimum = z
  .int()
  .min(1)
  .max(1_000_000_000)
  .describe('traffic-drop: also fire when the window has fewer calls than this.');
const repeatMinutes = z
  .int()
  .min(5)
  .max(10_080)
  .nullable()
  .describe('Notify again every so many minutes while still firing (5 to 10,080); null: once. Default null.');

const scopeId = (prefix: string, what: string) => id(prefix).optional().describe(`Only ${what}.`);
export const alertScope = z
  .strictObject({
    apiId: scopeId('api', 'calls to this API'),
    routeId: scopeId('rte', 'calls to this route'),
    applicationId: scopeId('app', "this application's calls or subscriptions"),
    accountId: scopeId('acc', "this account's calls or subscriptions"),
    planId: scopeId('pln', 'calls or subscriptions under this plan'),
  })
  .meta({
    id: 'AlertScope',
    description: 'What the rule watches; empty: everything. Filters combine with AND.',
  });
export type AlertScopeInput = z.infer<typeof alertScope>;

export const webhookUrl = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = webhookUrlProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Where the event is POSTed: an absolute http or https URL, without user, password or fragment.');

/** Why a webhook URL cannot be used, or undefined. A password in it would show in every listing. */
export function webhookUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute http or https URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not hold a user or password: the secret signs the calls';
  if (url.hash) return 'must not have a fragment';
  return undefined;
}
export const webhookSecret = z
  .string()
  .min(16)
  .max(200)
  .describe('Signs each call (`Turnpike-Signature`); 16–200 characters. Write-only: never shown again.');

const uniqueBy =
  <T>(key: (item: T) => string, what: string) =>
  (items: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const [i, item] of items.entries()) {
      if (seen.has(key(item)))
        ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${key(item)} is listed twice` });
      seen.add(key(item));
    }
  };

export const alertEmails = z
  .array(z.email().max(320))
  .max(20)
  .superRefine(uniqueBy((e) => e, 'the address'))
  .describe('Addresses mailed when the rule fires and resolves; up to 20.');

export const webhookInput = z
  .strictObject({
    url: webhookUrl,
    secret: webhookSecret
      .optional()
      .describe(
        'Signs each call; 16–200 characters, write-only. Required for a new URL; left out on an update, the stored secret of the same URL is kept.',
      ),
  })
  .meta({
    id: 'AlertWebhookEndpoint',
    description: 'A webhook endpoint and the secret its calls are signed with.',
  });

export const channelsInput = z
  .strictObject({
    webhooks: z
      .array(webhookInput)
      .max(10)
      .superRefine(uniqueBy((w) => w.url, 'the URL'))
      .optional()
      .describe('Up to 10; when given on an update, exactly these.'),
    emails: alertEmails.optional().describe('Up to 20 addresses; when given on an update, exactly these.'),
  })
  .meta({ id: 'AlertRecipients', description: 'Where notifications go.' });

/** The fields of a rule as written: the admin API's create body, and (with names for the scope) a file's entry. */
export const alertRuleFields = {
  name,
  description: description.optional().meta({ default: '' }),
  enabled: z.boolean().optional().meta({ default: true }).describe('Disabled rules are not evaluated.'),
  kind: alertKind,
  windowMinutes: windowMinutes.optional(),
  threshold: threshold.optional(),
  statusClass: statusClass.optional(),
  percentile: percentile.optional(),
  minRequests: minRequests.optional(),
  absoluteMinimum: absoluteMinimum.optional(),
  repeatMinutes: repeatMinutes.optional(),
  scope: alertScope.optional().meta({ default: {} }),
  channels: channelsInput.optional().meta({ default: { webhooks: [], emails: [] } }),
};

/** The condition of a rule as a whole, whatever it came from (a create, a merged update, a file). */
export interface AlertCondition {
  kind: AlertKind;
  windowMinutes?: number | null | undefined;
  threshold?: number | null | undefined;
  statusClass?: z.infer<typeof statusClass> | null | undefined;
  percentile?: z.infer<typeof percentile> | null | undefined;
  minRequests?: number | null | undefined;
  absoluteMinimum?: number | null | undefined;
  scope?: AlertScopeInput | Record<string, unknown> | undefined;
}

/**
 * What is wrong with a condition, field by field: fields of another kind, a missing or
 * out-of-range threshold, a scope a quota rule cannot have. Shared by the schemas, the service
 * (on the result of an update) and the declarative file.
 */
export function alertConditionProblems(c: AlertCondition): FieldError[] {
  const errors: FieldError[] = [];
  for (const [field, kinds] of Object.entries(kindFields) as [KindField, readonly AlertKind[]][]) {
    const value = c[field];
    if (value !== undefined && value !== null && !kinds.includes(c.kind))
      errors.push({ path: field, message: `applies only to ${kinds.join(', ')} rules, not ${c.kind}` });
  }
  const t = c.threshold ?? null;
  if (c.kind === 'latency') {
    if (t === null)
      errors.push({ path: 'threshold', message: 'required: the latency in ms that fires the rule' });
  } else if (c.kind === 'traffic-drop') {
    if (t !== null && t > 1) errors.push({ path: 'threshold', message: 'must be a share at most 1' });
    if (t === null && (c.absoluteMinimum ?? null) === null)
      errors.push({
        path: 'threshold',
        message: 'give threshold (a share of last week’s calls), absoluteMinimum, or both',
      });
  } else if (t === null) {
    errors.push({ path: 'threshold', message: 'required: a share above 0 and at most 1' });
  } else if (t > 1) {
    errors.push({ path: 'threshold', message: 'must be a share at most 1 (0.8 = 80 %)' });
  }
  if (c.kind === 'quota') {
    for (const field of ['apiId', 'routeId'] as const) {
      if ((c.scope as AlertScopeInput | undefined)?.[field] !== undefined)
        errors.push({
          path: `scope.${field}`,
          message: 'quota rules watch subscriptions: scope them by plan, application or account',
        });
    }
  }
  return errors;
}

/** A condition as stored: the kind's fields with their defaults, the other kinds' fields null. */
export function resolveCondition(c: AlertCondition) {
  const applies = (field: KindField) => (kindFields[field] as readonly AlertKind[]).includes(c.kind);
  return {
    kind: c.kind,
    windowMinutes: applies('windowMinutes') ? (c.windowMinutes ?? alertDefaults.windowMinutes) : null,
    threshold: c.threshold ?? null,
    statusClass: applies('statusClass') ? (c.statusClass ?? alertDefaults.statusClass) : null,
    percentile: applies('percentile') ? (c.percentile ?? alertDefaults.percentile) : null,
    minRequests: applies('minRequests') ? (c.minRequests ?? alertDefaults.minRequests) : null,
    absoluteMinimum: applies('absoluteMinimum') ? (c.absoluteMinimum ?? null) : null,
  };
}
export type ResolvedCondition = ReturnType<typeof resolveCondition>;

function checkCondition(input: AlertCondition, ctx: z.RefinementCtx) {
  for (const error of alertConditionProblems(input))
    ctx.addIssue({ code: 'custom', path: error.path.split('.'), message: error.message });
}

export const alertRuleCreate = z.strictObject(alertRuleFields).superRefine(checkCondition).meta({
  id: 'AlertRuleCreate',
  description: 'A new alert rule; the fields after `kind` depend on it (docs/alerts.md).',
});

const nullable = <T extends z.ZodType>(schema: T) =>
  schema
    .nullable()
    .optional()
    .describe(`${schema.description ?? ''} null: back to the default (or unset).`);

export const alertRuleUpdate = z
  .strictObject({
    ...alertRuleFields,
    windowMinutes: nullable(windowMinutes),
    threshold: nullable(threshold),
    statusClass: nullable(statusClass),
    percentile: nullable(percentile),
    minRequests: nullable(minRequests),
    absoluteMinimum: nullable(absoluteMinimum),
  })
  .partial()
  .meta({
    id: 'AlertRuleUpdate',
    description:
      'Fields to change; the result must be a whole rule. A new `kind` drops the fields of the old one. ' +
      '`channels.webhooks` without a `secret` keep the stored secret of the same URL.',
  });

const alertStatus = z
  .strictObject({
    state: z
      .enum(['unknown', 'ok', 'firing', 'disabled'])
      .describe('`unknown` until first evaluated; `disabled` while the rule is off.'),
    since: timestamp.nullable().describe('When it entered this state.'),
    value: z.number().nullable().describe('What the last evaluation measured (quota: the highest share).'),
    threshold: z.number().nullable().describe('What the value was compared with (traffic-drop: in calls).'),
    evaluatedAt: timestamp.nullable(),
    firing: z
      .array(
        z.strictObject({
          subject: z.string().describe('The subscription (`sub_…`).'),
          since: timestamp,
          value: z.number().nullable(),
        }),
      )
      .describe('quota rules: the subscriptions over the threshold now (up to 100).'),
  })
  .meta({ id: 'AlertStatus', description: 'Where the rule stands after its last evaluation.' });

export const alertRule = z
  .strictObject({
    id: id('alr'),
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    kind: alertKind,
    windowMinutes: z.int().nullable().describe('null for quota rules.'),
    threshold: z.number().nullable(),
    statusClass: statusClass.nullable(),
    percentile: percentile.nullable(),
    minRequests: z.int().nullable(),
    absoluteMinimum: z.int().nullable(),
    repeatMinutes: z.int().nullable(),
    scope: alertScope,
    channels: z
      .strictObject({
        webhooks: z.array(z.strictObject({ url: z.string() })).describe('Their secrets are never shown.'),
        emails: z.array(z.string()),
      })
      .meta({ id: 'AlertChannels', description: 'Where notifications go; webhook secrets are write-only.' }),
    status: alertStatus,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'AlertRule', description: 'An alert rule and where it stands.' });

export type AlertRuleCreate = z.infer<typeof alertRuleCreate>;
export type AlertRuleUpdate = z.infer<typeof alertRuleUpdate>;
export type AlertRule = z.infer<typeof alertRule>;
export type AlertStatus = z.infer<typeof alertStatus>;
