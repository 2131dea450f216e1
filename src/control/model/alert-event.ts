// Alert event: a rule started firing or resolved (for quota rules, for one subscription), with
// what was measured and what became of each notification. Also the webhook body that carries it.
import { z } from 'zod';
import { alertKind } from './alert.ts';
import { id, timestamp } from './fields.ts';

export const alertDelivery = z
  .strictObject({
    channel: z.enum(['webhook', 'email']),
    target: z.string().describe('The webhook URL or the e-mail address.'),
    state: z
      .enum(['pending', 'delivered', 'failed'])
      .describe('`pending` while attempts remain; `failed` after the last one failed.'),
    attempts: z.int().describe('Attempts so far (at most 3: at once, after 10 s, after 60 s).'),
    statusCode: z.int().nullable().describe("The webhook's last HTTP status; null for mail or no answer."),
    error: z.string().nullable().describe('Why the last attempt failed.'),
    lastAttemptAt: timestamp.nullable(),
    deliveredAt: timestamp.nullable(),
  })
  .meta({ id: 'AlertDelivery', description: 'One notification of an event: a webhook call or a mail.' });

export const alertWindow = z
  .strictObject({
    minutes: z.int().nullable().describe('The rule’s window; null for quota rules.'),
    from: timestamp.nullable().describe('Start of the window measured (quota: of the limit’s period).'),
    to: timestamp.nullable().describe('End of it, exclusive; null for a limit with no end (eternity).'),
  })
  .meta({ id: 'AlertWindow', description: 'The stretch of time the value was measured over.' });

export const alertSubject = z
  .record(z.string(), z.union([z.string(), z.number(), z.null()]))
  .nullable()
  .describe(
    'quota rules: the subscription (`subscriptionId`, `applicationId`, `accountId`, `planId`) and the limit nearest its end (`metric`, `period`, `used`, `max`); null for other kinds.',
  );

export const alertResolvedReason = z
  .enum(['disabled', 'deleted', 'changed'])
  .nullable()
  .describe(
    'Why a resolved event was not measured: the rule was `disabled`, `deleted`, or `changed` in kind or scope; null for every other event.',
  );

export const alertEvent = z
  .strictObject({
    id: id('ale'),
    rule: z.strictObject({ id: z.string(), name: z.string(), kind: alertKind }),
    state: z.enum(['firing', 'resolved']),
    repeat: z.boolean().describe('A reminder: the rule was still firing after `repeatMinutes`.'),
    value: z.number().nullable().describe('What was measured; null when nothing could be (no calls).'),
    threshold: z.number().nullable(),
    window: alertWindow,
    subject: alertSubject,
    reason: alertResolvedReason,
    at: timestamp,
    deliveries: z.array(alertDelivery),
  })
  .meta({ id: 'AlertEvent', description: 'A rule started firing, or resolved.' });

export const alertEventFilter = z.object({
  rule: z.string().min(1).max(200).optional().describe('Only events of this rule: its id (`alr_…`) or name.'),
  state: z.enum(['firing', 'resolved']).optional(),
  subject: z.string().min(1).max(200).optional().describe('Only events about this subscription (`sub_…`).'),
});

export type AlertDelivery = z.infer<typeof alertDelivery>;
export type AlertEvent = z.infer<typeof alertEvent>;
export type AlertEventFilter = z.infer<typeof alertEventFilter>;
export type AlertWindow = z.infer<typeof alertWindow>;
export type AlertResolvedReason = NonNullable<z.infer<typeof alertResolvedReason>>;

/** `type` of a webhook call. */
export type AlertEventType = 'alert.firing' | 'alert.resolved' | 'alert.test';

/** The JSON body of a webhook call, as documented in docs/alerts.md. */
export interface AlertWebhookBody {
  id: string;
  type: AlertEventType;
  rule: { id: string; name: string; kind: string };
  value: number | null;
  threshold: number | null;
  window: AlertWindow;
  subject: Record<string, string | number | null> | null;
  /** Set on a resolved event the rule's end caused (disabled, deleted, changed), not a measurement. */
  reason: AlertResolvedReason | null;
  at: string;
  /** Where to look in the console, when the control plane knows its address. */
  url?: string;
}
