// A rule as the console's form holds it, and the body the admin API takes from it: thresholds
// in % for the share kinds, only the fields of the chosen kind, blanks back to their defaults.
import type { AlertKind, AlertRule } from '../../api.ts';

export interface WebhookRow {
  url: string;
  secret: string;
  /** The URL as stored: its secret is kept when none is typed. */
  stored: string | null;
}

export interface Draft {
  name: string;
  description: string;
  enabled: boolean;
  kind: AlertKind;
  /** In % for error rate, traffic drop and quota; in ms for latency. */
  threshold: number | string;
  windowMinutes: number | string;
  statusClass: '5xx' | 'errors';
  percentile: 'p50' | 'p95' | 'p99';
  minRequests: number | string;
  absoluteMinimum: number | string;
  repeatMinutes: number | string;
  apiId: string;
  routeId: string;
  accountId: string;
  applicationId: string;
  planId: string;
  webhooks: WebhookRow[];
  emails: string[];
}

export const isShare = (kind: AlertKind) => kind !== 'latency';
const number = (value: number | string) => (value === '' ? null : Number(value));

export function draftOf(rule: AlertRule | undefined): Draft {
  const share = rule && isShare(rule.kind) && rule.threshold !== null;
  return {
    name: rule?.name ?? '',
    description: rule?.description ?? '',
    enabled: rule?.enabled ?? true,
    kind: rule?.kind ?? 'error-rate',
    threshold:
      rule?.threshold == null ? '' : share ? Math.round(rule.threshold * 100_000) / 1000 : rule.threshold,
    windowMinutes: rule?.windowMinutes ?? 5,
    statusClass: rule?.statusClass ?? '5xx',
    percentile: rule?.percentile ?? 'p95',
    minRequests: rule?.minRequests ?? 10,
    absoluteMinimum: rule?.absoluteMinimum ?? '',
    repeatMinutes: rule?.repeatMinutes ?? '',
    apiId: rule?.scope.apiId ?? '',
    routeId: rule?.scope.routeId ?? '',
    accountId: rule?.scope.accountId ?? '',
    applicationId: rule?.scope.applicationId ?? '',
    planId: rule?.scope.planId ?? '',
    webhooks: (rule?.channels.webhooks ?? []).map((w) => ({ url: w.url, secret: '', stored: w.url })),
    emails: rule?.channels.emails ?? [],
  };
}

/** The body for the admin API: only the fields of the kind; blanks reset to defaults on an update. */
export function bodyOf(d: Draft, update: boolean): Record<string, unknown> {
  const blank = update ? null : undefined;
  const threshold = number(d.threshold);
  const orBlank = (value: number | null) => value ?? blank;
  const kindFields: Record<AlertKind, Record<string, unknown>> = {
    'error-rate': {
      windowMinutes: orBlank(number(d.windowMinutes)),
      statusClass: d.statusClass,
      minRequests: orBlank(number(d.minRequests)),
    },
    latency: {
      windowMinutes: orBlank(number(d.windowMinutes)),
      percentile: d.percentile,
      minRequests: orBlank(number(d.minRequests)),
    },
    'traffic-drop': {
      windowMinutes: orBlank(number(d.windowMinutes)),
      absoluteMinimum: orBlank(number(d.absoluteMinimum)),
    },
    quota: {},
  };
  const scope = Object.fromEntries(
    (
      [
        ['apiId', d.kind === 'quota' ? '' : d.apiId],
        ['routeId', d.kind === 'quota' || !d.apiId ? '' : d.routeId],
        ['accountId', d.accountId],
        ['applicationId', d.accountId ? d.applicationId : ''],
        ['planId', d.planId],
      ] as const
    ).filter(([, id]) => id !== ''),
  );
  return {
    name: d.name.trim(),
    description: d.description,
    enabled: d.enabled,
    kind: d.kind,
    threshold: threshold === null ? blank : isShare(d.kind) ? threshold / 100 : threshold,
    ...kindFields[d.kind],
    repeatMinutes: number(d.repeatMinutes),
    scope,
    channels: {
      webhooks: d.webhooks
        .filter((w) => w.url.trim() !== '')
        .map((w) => ({ url: w.url.trim(), ...(w.secret !== '' && { secret: w.secret }) })),
      emails: d.emails,
    },
  };
}
