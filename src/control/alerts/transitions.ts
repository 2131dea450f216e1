// From what a rule measured and where it stood to where it stands now, and the events that
// makes: firing when a breach starts, resolved when it ends, a reminder every `repeatMinutes`
// while it lasts (when set), and nothing in between, so an alert is not sent every minute.
// Quota rules do this per subscription; their own row says whether any subscription is firing.
import type { alertStates } from '../../store/schema/index.ts';
import type { AlertResolvedReason, AlertWindow } from '../model/alert-event.ts';
import type { AlertRuleRow } from '../services/alerts.ts';
import type { Measurement } from './measure.ts';

type StateRow = typeof alertStates.$inferSelect;

export interface EventDraft {
  state: 'firing' | 'resolved';
  repeat: boolean;
  subject: string;
  value: number | null;
  threshold: number | null;
  window: AlertWindow;
  detail: Record<string, string | number | null> | null;
  /** Why a resolved event needed no measurement (retire.ts); null when one made it. */
  reason: AlertResolvedReason | null;
}

export interface Outcome {
  /** Rows to write, whole. */
  upserts: StateRow[];
  /** Subjects whose rows go (quota subscriptions no longer firing). */
  deletes: string[];
  events: EventDraft[];
}

export function transitions(
  rule: AlertRuleRow,
  measurements: readonly Measurement[],
  states: readonly StateRow[],
  now: Date,
): Outcome {
  const outcome: Outcome = { upserts: [], deletes: [], events: [] };
  const previous = new Map(states.map((s) => [s.subject, s]));
  const repeatDue = (row: StateRow) =>
    rule.repeatMinutes !== null &&
    now.getTime() - (row.notifiedAt ?? row.since).getTime() >= rule.repeatMinutes * 60_000;
  const draft = (m: Measurement, state: EventDraft['state'], repeat = false): EventDraft => ({
    state,
    repeat,
    subject: m.subject,
    value: m.value,
    threshold: m.threshold,
    window: m.window,
    detail: m.detail,
    reason: null,
  });
  const row = (m: Measurement, state: StateRow['state'], since: Date, notifiedAt: Date | null): StateRow => ({
    ruleId: rule.id,
    subject: m.subject,
    state,
    value: m.value,
    threshold: m.threshold,
    since,
    notifiedAt,
    evaluatedAt: now,
  });

  const perSubject = rule.kind === 'quota';
  for (const m of measurements) {
    const before = previous.get(m.subject);
    const firing = before?.state === 'firing';
    if (m.breached && !firing) {
      outcome.events.push(draft(m, 'firing'));
      outcome.upserts.push(row(m, 'firing', now, now));
    } else if (m.breached && before) {
      const again = repeatDue(before);
      if (again) outcome.events.push(draft(m, 'firing', true));
      outcome.upserts.push(row(m, 'firing', before.since, again ? now : before.notifiedAt));
    } else if (firing) {
      outcome.events.push(draft(m, 'resolved'));
      if (perSubject) outcome.deletes.push(m.subject);
      else outcome.upserts.push(row(m, 'ok', now, null));
    } else if (!perSubject) {
      outcome.upserts.push(row(m, 'ok', before?.since ?? now, null));
    }
  }
  if (!perSubject) return outcome;

  // Subscriptions that were firing and are no longer measured (cancelled, moved to a plan
  // without limits, deleted) resolve too: nothing is over the threshold any more.
  const measured = new Set(measurements.map((m) => m.subject));
  for (const before of states) {
    if (before.subject === '' || before.state !== 'firing' || measured.has(before.subject)) continue;
    outcome.events.push({
      state: 'resolved',
      repeat: false,
      subject: before.subject,
      value: null,
      threshold: rule.threshold,
      window: { minutes: null, from: null, to: null },
      detail: { subscriptionId: before.subject },
      reason: null,
    });
    outcome.deletes.push(before.subject);
  }
  const firingNow = outcome.upserts.filter((s) => s.state === 'firing');
  const own = previous.get('');
  const state = firingNow.length > 0 ? 'firing' : 'ok';
  const values = measurements.map((m) => m.value).filter((v): v is number => v !== null);
  outcome.upserts.push({
    ruleId: rule.id,
    subject: '',
    state,
    value: values.length ? Math.max(...values) : null,
    threshold: rule.threshold,
    since: own?.state === state ? own.since : now,
    notifiedAt: null,
    evaluatedAt: now,
  });
  return outcome;
}
