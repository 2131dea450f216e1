// An alert rule in a declarative file: the admin API's fields, with names instead of ids in the
// scope, and webhook secrets as plaintext or as exported (sealed with this installation's key).
import { z } from 'zod';
import {
  type AlertScopeInput,
  alertConditionProblems,
  alertEmails,
  alertRuleFields,
  webhookSecret,
  webhookUrl,
} from '../model/alert.ts';
import { name } from '../model/fields.ts';

export const alertWebhookEntry = z
  .strictObject({
    url: webhookUrl,
    secret: webhookSecret.optional(),
    sealedSecret: z
      .string()
      .max(1000)
      .optional()
      .describe("The secret sealed with this installation's key (`v1.…`), as `turnpike export` writes it."),
  })
  .superRefine((w, ctx) => {
    if (!w.secret === !w.sealedSecret)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of secret (plaintext) or sealedSecret' });
  })
  .meta({
    id: 'ConfigAlertWebhook',
    description:
      'A webhook of an alert rule and its secret, as plaintext or `sealedSecret` (stored sealed either way).',
  });

/** A scope field that needs another beside it: a route is named within its API, and so on. */
const pairs = [
  ['route', 'api'],
  ['application', 'account'],
  ['plan', 'product'],
  ['product', 'plan'],
] as const;

export const alertScopeEntry = z
  .strictObject({
    api: name.optional().describe('Only calls to the API of this name.'),
    route: name.optional().describe('Only calls to this route of `api`.'),
    account: name.optional().describe("Only this account's calls or subscriptions."),
    application: name.optional().describe("Only this application of `account`'s calls or subscriptions."),
    product: name.optional().describe('With `plan`: the product the plan belongs to.'),
    plan: name.optional().describe('Only calls or subscriptions under this plan of `product`.'),
  })
  .superRefine((scope, ctx) => {
    for (const [field, needs] of pairs)
      if (scope[field] !== undefined && scope[needs] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `needs ${needs} beside it` });
  })
  .meta({ id: 'ConfigAlertScope', description: 'What the rule watches, by name; empty: everything.' });

export const alertEntry = z
  .strictObject({
    ...alertRuleFields,
    scope: alertScopeEntry.optional().meta({ default: {} }),
    channels: z
      .strictObject({
        webhooks: z.array(alertWebhookEntry).max(10).optional().meta({ default: [] }),
        emails: alertEmails.optional().meta({ default: [] }),
      })
      .optional()
      .meta({ default: {} }),
  })
  .superRefine((entry, ctx) => {
    // The admin API's rule, with the scope's names where it has ids.
    const scope: AlertScopeInput = {
      ...(entry.scope?.api !== undefined && { apiId: entry.scope.api }),
      ...(entry.scope?.route !== undefined && { routeId: entry.scope.route }),
    };
    for (const error of alertConditionProblems({ ...entry, scope })) {
      const path = error.path.replace('scope.apiId', 'scope.api').replace('scope.routeId', 'scope.route');
      ctx.addIssue({ code: 'custom', path: path.split('.'), message: error.message });
    }
    const urls = new Set<string>();
    for (const [i, webhook] of (entry.channels?.webhooks ?? []).entries()) {
      if (urls.has(webhook.url))
        ctx.addIssue({ code: 'custom', path: ['channels', 'webhooks', i, 'url'], message: 'listed twice' });
      urls.add(webhook.url);
    }
  })
  .meta({
    id: 'ConfigAlert',
    description:
      'An alert rule; its name is its identity. The fields after `kind` depend on it (docs/alerts.md).',
  });

export type AlertEntry = z.infer<typeof alertEntry>;
