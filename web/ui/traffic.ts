// Analytics as both apps read them (docs/analytics.md): the admin API's and the portal API's
// answers have the same shapes. How their numbers read, and how a series becomes chart points.
import type { ChartPoint } from './Chart.tsx';
import { formatNumber } from './format.ts';
import { bucketLabel, bucketTitle, type Interval, intervalMs } from './time-range.ts';

export interface TrafficTotals {
  requests: number;
  clientErrors: number;
  serverErrors: number;
  /** (clientErrors + serverErrors) / requests; 0 without requests. */
  errorRate: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
  upstreamAvgMs: number | null;
  gatewayAvgMs: number | null;
  bytesIn: number;
  bytesOut: number;
}

export interface TrafficPoint extends TrafficTotals {
  start: string;
}

export interface TrafficSeries {
  from: string;
  to: string;
  interval: Interval;
  points: TrafficPoint[];
}

export interface TrafficSummary extends TrafficTotals {
  from: string;
  to: string;
}

export type TopDimension = 'api' | 'route' | 'application' | 'account' | 'plan' | 'status';

export interface TopItem {
  /** The API's, route's, application's, account's or plan's id; the code for `status`. */
  id: string;
  /** Its name now (`api/route`, `product/plan`, `404 Not Found`); null once deleted. */
  name: string | null;
  requests: number;
  clientErrors: number;
  serverErrors: number;
  errorRate: number;
  latencyAvgMs: number | null;
  latencyP95Ms: number | null;
}

export interface TopList {
  from: string;
  to: string;
  by: TopDimension;
  items: TopItem[];
}

export interface Busiest {
  from: string;
  to: string;
  utcOffsetMinutes: number;
  hours: { hour: number; requests: number }[];
  /** 1 Monday … 7 Sunday. */
  weekdays: { weekday: number; requests: number }[];
}

/** The filters every analytics read takes, as query parameters (a type: it indexes as a record). */
export type AnalyticsFilter = {
  from?: string;
  to?: string;
  apiId?: string;
  routeId?: string;
  applicationId?: string;
  accountId?: string;
  planId?: string;
  status?: string;
  statusClass?: string;
};

const percentFormat = new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 1 });
const msFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

/** `20%`, `0.5%`. */
export const formatPercent = (rate: number) => percentFormat.format(rate);

/** `12.5 ms`, `1.2 s`; `—` without a value. */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 10_000 ? `${msFormat.format(value / 1000)} s` : `${msFormat.format(value)} ms`;
}

/** `1.2K` on an axis, where room is short. */
export const formatCompact = (value: number) =>
  value < 1000 ? formatNumber(value) : compactFormat.format(value);

/** `1 request`, `1,204 requests`. */
export const requestCount = (n: number) => `${formatNumber(n)} ${n === 1 ? 'request' : 'requests'}`;

/** The series' points as chart points; `href` gives each bucket's drill-down, when there is one. */
export function chartPoints(
  series: TrafficSeries,
  href?: (bucket: { from: Date; to: Date }) => string,
): ChartPoint[] {
  const first = series.points[0];
  const last = series.points.at(-1);
  const spansDays =
    first !== undefined &&
    last !== undefined &&
    new Date(first.start).toDateString() !== new Date(last.start).toDateString();
  return series.points.map((point) => {
    const start = new Date(point.start);
    const end = new Date(start.getTime() + intervalMs[series.interval]);
    return {
      label: bucketLabel(start, series.interval, spansDays),
      title: bucketTitle(start, series.interval),
      ...(href && { href: href({ from: start, to: end }) }),
    };
  });
}

/** Requests below 400 (1xx–3xx), the ones that succeeded. */
export const successes = (t: TrafficTotals) => Math.max(0, t.requests - t.clientErrors - t.serverErrors);

/** Series colours: dark enough for 3:1 on white, and told apart by more than hue where lines. */
export const colors = {
  success: 'var(--mantine-color-teal-8)',
  clientError: 'var(--mantine-color-orange-8)',
  serverError: 'var(--mantine-color-red-8)',
  requests: 'var(--mantine-color-indigo-7)',
  errors: 'var(--mantine-color-red-8)',
  p50: 'var(--mantine-color-indigo-7)',
  p95: 'var(--mantine-color-grape-8)',
  p99: 'var(--mantine-color-red-8)',
  upstream: 'var(--mantine-color-cyan-9)',
  gateway: 'var(--mantine-color-orange-8)',
};

/** The query parameters of a filter, without the empty ones. */
export function filterQuery(filter: AnalyticsFilter): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filter).filter((entry): entry is [string, string] => Boolean(entry[1])),
  );
}
