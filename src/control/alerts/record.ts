// Storing a rule's events: each with the deliveries its channels will get, all `pending`, and the
// notifications to send once the transaction they are stored in has committed.
import { newId } from '../../shared/ids.ts';
import { insertAlertEvent, storedDetail } from '../services/alert-events.ts';
import { unsealedWebhooks } from '../services/alert-webhooks.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import { type Notification, plannedDeliveries, type Recipients } from './dispatcher.ts';
import type { AlertNotice } from './notice.ts';
import type { EventDraft } from './transitions.ts';

/** `rule` as the events should name it and reach its channels: as it is, or was before a change. */
export async function recordAlertEvents(
  db: Db,
  rule: AlertRuleRow,
  events: readonly EventDraft[],
  now: Date,
): Promise<Notification[]> {
  if (events.length === 0) return [];
  const recipients: Recipients = { webhooks: await unsealedWebhooks(db, rule.webhooks), emails: rule.emails };
  const notifications: Notification[] = [];
  for (const event of events) {
    const notice = noticeOf(rule, event, now);
    await insertAlertEvent(db, {
      id: notice.id,
      ruleId: rule.id,
      ruleName: rule.name,
      ruleKind: rule.kind,
      state: event.state,
      repeat: event.repeat,
      value: event.value,
      threshold: event.threshold,
      subject: event.subject,
      detail: storedDetail(event.detail, event.reason),
      windowMinutes: event.window.minutes,
      windowFrom: event.window.from === null ? null : new Date(event.window.from),
      windowTo: event.window.to === null ? null : new Date(event.window.to),
      at: now,
      deliveries: plannedDeliveries(recipients),
    });
    notifications.push({ notice, recipients });
  }
  return notifications;
}

function noticeOf(rule: AlertRuleRow, event: EventDraft, now: Date): AlertNotice {
  return {
    id: newId('alertEvent'),
    type: event.state === 'firing' ? 'alert.firing' : 'alert.resolved',
    rule,
    repeat: event.repeat,
    value: event.value,
    threshold: event.threshold,
    window: event.window,
    subject: event.detail,
    reason: event.reason,
    at: now.toISOString(),
  };
}
