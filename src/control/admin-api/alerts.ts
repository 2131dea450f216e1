// /admin/v1/alerts — alert rules, and /alerts/{alert}/test to check their channels. Rules are not
// gateway configuration: writes make no new revision. Webhook secrets go in and never come out.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { alertDispatcherFor } from '../alerts/dispatcher.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { alertKind, alertRule, alertRuleCreate, alertRuleUpdate } from '../model/alert.ts';
import { alertDelivery } from '../model/alert-event.ts';
import { unsealedWebhooks } from '../services/alert-webhooks.ts';
import {
  createAlertRule,
  deleteAlertRule,
  findAlertRuleRow,
  getAlertRule,
  listAlertRules,
  updateAlertRule,
} from '../services/alerts.ts';
import type { AdminContext } from './context.ts';
import { authErrors, registerResource } from './resource.ts';

const testResult = z
  .object({
    id: z.string().describe('Id of the test event (`ale_…`), as sent in `Turnpike-Event-Id`; not stored.'),
    deliveries: z.array(alertDelivery),
  })
  .meta({ id: 'AlertTestResult', description: 'What became of one test notification per channel.' });

export function alertRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Alerts',
    singular: 'AlertRule',
    plural: 'AlertRules',
    noun: 'alert rule',
    nouns: 'alert rules',
    path: '/alerts',
    idParam: 'alert',
    idDescription: 'Id (`alr_…`) or name of the rule.',
    filter: z.object({
      name: z.string().max(100).optional().describe('Only the rule of this name.'),
      kind: alertKind.optional(),
    }),
    create: alertRuleCreate,
    update: alertRuleUpdate,
    output: alertRule,
    configuration: false,
    list: async (db, _parent, filter, page) => ({ ok: true, value: await listAlertRules(db, filter, page) }),
    get: (db, _parent, id) => getAlertRule(db, id),
    insert: (db, _parent, body) => createAlertRule(db, body),
    change: (db, _parent, id, body) => updateAlertRule(db, id, body),
    remove: (db, _parent, id) => deleteAlertRule(db, id),
  });

  app.post('/alerts/:alert/test', {
    config: { role: 'editor' },
    schema: {
      operationId: 'testAlertRule',
      summary: 'Send a test notification',
      description:
        'Sends an `alert.test` event to each webhook (signed, one attempt, 5 s at most) and each address of the rule, ' +
        'whether or not it is enabled, and answers what became of each. Nothing is stored.',
      tags: ['Alerts'],
      params: z.object({ alert: z.string().min(1).max(200).describe('Id (`alr_…`) or name of the rule.') }),
      response: {
        200: {
          description: 'One result per channel.',
          content: { 'application/json': { schema: testResult } },
        },
        ...authErrors,
        404: problemResponse('No such alert rule.'),
      },
    },
    handler: async (request, reply) => {
      const { alert } = request.params as { alert: string };
      const rule = await findAlertRuleRow(ctx.db, alert);
      if (!rule) return sendProblem(reply, problem('not-found', `no alert rule ${alert}`));
      const id = newId('alertEvent');
      const now = new Date().toISOString();
      const deliveries = await alertDispatcherFor(ctx.db).test(
        {
          id,
          type: 'alert.test',
          rule,
          repeat: false,
          value: null,
          threshold: rule.threshold,
          window: { minutes: rule.windowMinutes, from: null, to: null },
          subject: null,
          reason: null,
          at: now,
        },
        { webhooks: await unsealedWebhooks(ctx.db, rule.webhooks), emails: rule.emails },
      );
      return { id, deliveries };
    },
  });
}
