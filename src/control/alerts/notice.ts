// An alert notice: what one event says, in the two forms it travels in: the webhook's JSON body
// and a plain-text mail naming the rule, the value, the threshold and where to look in the console.
import type { Mail } from '../mail/mailer.ts';
import type {
  AlertEventType,
  AlertResolvedReason,
  AlertWebhookBody,
  AlertWindow,
} from '../model/alert-event.ts';
import type { AlertRuleRow } from '../services/alerts.ts';

export interface AlertNotice {
  /** The event's id (`ale_…`); for a test, a fresh one that is not stored. */
  id: string;
  type: AlertEventType;
  rule: Pick<
    AlertRuleRow,
    'id' | 'name' | 'kind' | 'statusClass' | 'percentile' | 'windowMinutes' | 'minRequests'
  >;
  repeat: boolean;
  value: number | null;
  threshold: number | null;
  window: AlertWindow;
  subject: Record<string, string | number | null> | null;
  /** Why it resolved without a measurement: the rule was disabled, deleted or changed. */
  reason: AlertResolvedReason | null;
  at: string;
}

/** The console page of the rule, when the control plane knows its own address. */
export function consoleLink(consoleUrl: string | undefined, ruleId: string): string | undefined {
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/alerts/${encodeURIComponent(ruleId)}` : undefined;
}

export function webhookBody(notice: AlertNotice, consoleUrl: string | undefined): AlertWebhookBody {
  const url = consoleLink(consoleUrl, notice.rule.id);
  return {
    id: notice.id,
    type: notice.type,
    rule: { id: notice.rule.id, name: notice.rule.name, kind: notice.rule.kind },
    value: notice.value,
    threshold: notice.threshold,
    window: notice.window,
    subject: notice.subject,
    reason: notice.reason,
    at: notice.at,
    ...(url && { url }),
  };
}

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/** A value as people read it for the rule's kind: a share in %, a latency in ms, calls. */
export function formatAlertValue(kind: AlertNotice['rule']['kind'], value: number | null): string {
  if (value === null) return 'no data';
  if (kind === 'error-rate' || kind === 'quota') return percent(value);
  if (kind === 'latency') return `${Math.round(value * 10) / 10} ms`;
  return `${Math.round(value * 100) / 100} calls`;
}

/** What the rule watches, in one line. */
export function describeCondition(rule: AlertNotice['rule']): string {
  const window = `over the last ${rule.windowMinutes} minute${rule.windowMinutes === 1 ? '' : 's'}`;
  switch (rule.kind) {
    case 'error-rate':
      return `${rule.statusClass === 'errors' ? '4xx and 5xx' : '5xx'} error rate ${window} (from ${rule.minRequests} calls)`;
    case 'latency':
      return `${rule.percentile} latency ${window} (from ${rule.minRequests} calls)`;
    case 'traffic-drop':
      return `calls ${window}, against the same time a week earlier`;
    case 'quota':
      return 'share of a plan limit used, per subscription';
  }
}

const endings: Record<AlertResolvedReason, string> = {
  disabled: 'the rule was disabled, so it no longer watches this.',
  deleted: 'the rule was deleted, so it no longer watches this.',
  changed: 'the rule now watches something else (its kind or scope changed) and starts afresh.',
};

export function alertMail(notice: AlertNotice, to: string, consoleUrl: string | undefined): Mail {
  const { rule } = notice;
  const value = formatAlertValue(rule.kind, notice.value);
  const threshold = formatAlertValue(rule.kind, notice.threshold);
  const comparison = rule.kind === 'traffic-drop' ? 'below' : 'at or above';
  const state =
    notice.type === 'alert.test'
      ? 'TEST'
      : notice.type === 'alert.resolved'
        ? `RESOLVED${notice.reason ? ` (${notice.reason})` : ''}`
        : notice.repeat
          ? 'STILL FIRING'
          : 'FIRING';
  const headline =
    notice.type === 'alert.test'
      ? `This is a test of alert rule ${rule.name}: its notifications reach you.`
      : notice.type === 'alert.resolved'
        ? notice.reason
          ? `Alert rule ${rule.name} resolved: ${endings[notice.reason]}`
          : `Alert rule ${rule.name} resolved: the value is no longer ${comparison} the threshold.`
        : `Alert rule ${rule.name} is firing: the value is ${comparison} the threshold.`;
  const lines = [
    headline,
    '',
    `Rule:       ${rule.name} (${rule.kind})`,
    `Watches:    ${describeCondition(rule)}`,
    `Value:      ${value}`,
    `Threshold:  ${threshold}`,
  ];
  if (notice.window.from)
    lines.push(`Window:     ${notice.window.from} to ${notice.window.to ?? 'the end of time'}`);
  const s = notice.subject;
  if (s?.subscriptionId)
    lines.push(
      `Subject:    subscription ${s.subscriptionId} (application ${s.applicationId ?? '?'})`,
      ...(s.metric ? [`Limit:      ${s.used} of ${s.max} ${s.metric} per ${s.period}`] : []),
    );
  lines.push(`At:         ${notice.at}`, `Event:      ${notice.id}`);
  const link = consoleLink(consoleUrl, rule.id);
  if (link) lines.push('', `In the console: ${link}`);
  return {
    to,
    subject: `[Turnpike] ${state}: ${rule.name} (${value}, threshold ${threshold})`,
    text: `${lines.join('\n')}\n`,
  };
}
