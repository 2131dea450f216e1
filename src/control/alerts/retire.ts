// Ending a rule's alerts without a measurement. A rule disabled, deleted, or changed in kind or
// scope no longer watches what it was firing about, and no later evaluation would say it is over:
// so each subject firing resolves now, the event saying why (`reason`), and every state row of the
// rule goes (quota rules keep one per subscription), so the rule starts afresh when next measured.
import { eq } from 'drizzle-orm';
import { alertRules, alertStates } from '../../store/schema/index.ts';
import type { AlertResolvedReason } from '../model/alert-event.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import type { Db } from '../services/context.ts';
import type { Notification } from './dispatcher.ts';
import { recordAlertEvents } from './record.ts';
import type { EventDraft } from './transitions.ts';

/**
 * Resolves and forgets where `rule` stands. `rule` as it was before the change: its name, kind and
 * channels are the ones the firing events went out with. Returns what to notify once the caller's
 * transaction commits (dispatcher.ts sendOnceCommitted).
 */
export async function retireAlertStates(
  db: Db,
  rule: AlertRuleRow,
  reason: AlertResolvedReason,
  now = new Date(),
): Promise<Notification[]> {
  // An evaluation writing this rule's states holds its row FOR SHARE: wait for it to commit so
  // none of them is missed. One starting after this sees the rule changed, and leaves it alone.
  await db.select({ id: alertRules.id }).from(alertRules).where(eq(alertRules.id, rule.id)).for('update');
  const states = await db.delete(alertStates).where(eq(alertStates.ruleId, rule.id)).returning();
  const perSubject = rule.kind === 'quota';
  const events: EventDraft[] = states
    // A quota rule's own row only sums up its subscriptions; the others have only their own.
    .filter((s) => s.state === 'firing' && (s.subject !== '') === perSubject)
    .sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0))
    .map((s) => ({
      state: 'resolved',
      repeat: false,
      subject: s.subject,
      value: null, // nothing was measured
      threshold: s.threshold,
      window: { minutes: perSubject ? null : rule.windowMinutes, from: null, to: null },
      detail: perSubject ? { subscriptionId: s.subject } : null,
      reason,
    }));
  return recordAlertEvents(db, rule, events, now);
}
