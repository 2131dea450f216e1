// What the console's Alerts pages say about rules and events (docs/alerts.md): their admin API
// paths, the kinds in words, values in the unit of their kind, and webhook secrets made here.
import { segment } from '../../../ui/api.ts';
import { formatNumber } from '../../../ui/format.ts';
import type { AlertKind, AlertRule } from '../../api.ts';

export const paths = {
  rules: '/alerts',
  rule: (id: string) => `/alerts/${segment(id)}`,
  test: (id: string) => `/alerts/${segment(id)}/test`,
  events: '/alert-events',
};

export const kinds: { value: AlertKind; label: string; description: string }[] = [
  { value: 'error-rate', label: 'Error rate', description: 'The share of calls that failed in the window.' },
  { value: 'latency', label: 'Latency', description: 'A latency percentile over the window, in ms.' },
  {
    value: 'traffic-drop',
    label: 'Traffic drop',
    description: 'Fewer calls than the same window a week earlier, or than a minimum.',
  },
  {
    value: 'quota',
    label: 'Quota',
    description: 'The share of a plan limit (an hour or longer) a subscription used.',
  },
];

export const kindLabel = (kind: string) => kinds.find((k) => k.value === kind)?.label ?? kind;

const percent = (share: number) => `${formatNumber(Math.round(share * 1000) / 10)} %`;

/** A measured value or a threshold in the unit of its kind. */
export function formatAlertValue(kind: AlertKind, value: number | null): string {
  if (value === null) return '—';
  if (kind === 'error-rate' || kind === 'quota') return percent(value);
  if (kind === 'latency') return `${formatNumber(Math.round(value * 10) / 10)} ms`;
  return `${formatNumber(Math.round(value))} calls`;
}

const minutes = (n: number | null) => (n === 1 ? '1 minute' : `${n} minutes`);

/** The condition in one line: `5xx ≥ 5 % over 5 minutes`. */
export function describeRule(rule: AlertRule): string {
  switch (rule.kind) {
    case 'error-rate':
      return `${rule.statusClass === 'errors' ? '4xx and 5xx' : '5xx'} ≥ ${formatAlertValue('error-rate', rule.threshold)} over ${minutes(rule.windowMinutes)}`;
    case 'latency':
      return `${rule.percentile} ≥ ${formatAlertValue('latency', rule.threshold)} over ${minutes(rule.windowMinutes)}`;
    case 'traffic-drop': {
      const parts = [
        ...(rule.threshold !== null ? [`< ${percent(rule.threshold)} of last week`] : []),
        ...(rule.absoluteMinimum !== null ? [`< ${formatNumber(rule.absoluteMinimum)} calls`] : []),
      ];
      return `${parts.join(' or ')} over ${minutes(rule.windowMinutes)}`;
    }
    case 'quota':
      return `≥ ${formatAlertValue('quota', rule.threshold)} of a plan limit`;
  }
}

/** 32 random bytes as hex: a webhook secret to copy to the receiver. */
export function newWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return `whsec_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
