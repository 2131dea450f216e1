// The admin API (docs/admin-api.md) as the console pages see it: the client, its types, and
// list reading with the admin API's cursor pages.
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { createApiClient, type List } from '../ui/api.ts';
import type { Limit } from '../ui/format.ts';
import type { Pricing } from '../ui/pricing.ts';

/**
 * The admin API answers the CSRF token only at sign-in (GET /session does not repeat it), so
 * the console keeps it in localStorage to survive reloads and new tabs.
 */
export const api = createApiClient({ base: '/admin/v1', csrfStorageKey: 'turnpike.console.csrfToken' });

export interface AdminSession {
  kind: 'user' | 'token' | 'env-token' | (string & {});
  id: string | null;
  name: string;
  role: string;
  csrfToken?: string;
}

export interface Status {
  version: string;
  store: string;
  revision: number;
  snapshotVersion: number | null;
}

export interface Api {
  id: string;
  name: string;
  description: string;
  basePath: string;
  hosts: string[];
  upstreamId: string;
  keyless: boolean;
  version?: string;
  visibility?: string;
  lifecycle?: string;
  createdAt: string;
}

export interface Product {
  id: string;
  name: string;
  description: string;
  apiIds: string[];
  createdAt: string;
}

export interface Plan {
  id: string;
  productId: string;
  name: string;
  description: string;
  state: string;
  visibility: string;
  default: boolean;
  approval: string;
  limits: Limit[];
  disabledMetrics: string[];
  pricing: Pricing | null;
  createdAt: string;
}

export interface Account {
  id: string;
  name: string;
  email: string | null;
  state: string;
  tier: string;
  createdAt: string;
}

export interface Application {
  id: string;
  accountId: string;
  name: string;
  description: string;
  state: string;
  redirectUris?: string[];
  createdAt: string;
}

export interface Subscription {
  id: string;
  applicationId: string;
  planId: string;
  state: string;
  createdAt: string;
}

export interface OutboxItem {
  id: string;
  to: string;
  subject: string;
  sentAt: string;
}

export interface OutboxList extends List<OutboxItem> {
  /** True when mail goes out through SMTP instead of the outbox. */
  smtp?: boolean;
}

export interface OutboxMessage extends OutboxItem {
  from: string;
  text: string;
  html: string | null;
}

type Query = Record<string, string | undefined>;

/** A list of the admin API, page by page (200 at a time), with `fetchNextPage` for "Load more". */
export function useAdminList<T>(path: string, query: Query = {}) {
  return useInfiniteQuery({
    queryKey: ['admin', path, query],
    queryFn: ({ pageParam }) => api.get<List<T>>(path, { ...query, limit: 200, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    select: (data) => data.pages.flatMap((page) => page.data),
  });
}

/** Names by id for a list's first 200 items: enough to label references in tables. */
export function useNames(
  path: '/accounts' | '/products' | '/apis' | '/plans' | '/applications' | '/upstreams',
) {
  const list = useQuery({
    queryKey: ['admin', path, 'names'],
    queryFn: () => api.get<List<{ id: string; name: string }>>(path, { limit: 200 }),
    staleTime: 30_000,
  });
  const names = new Map((list.data?.data ?? []).map((item) => [item.id, item.name]));
  return (id: string | null | undefined) => (id ? (names.get(id) ?? id) : '—');
}

export const adminKey = (path: string) => ['admin', path] as const;

// ── Analytics (docs/analytics.md) ──────────────────────────────────────────────────────────

export type {
  AnalyticsFilter,
  Busiest,
  TopDimension,
  TopItem,
  TopList,
  TrafficSeries,
  TrafficSummary,
} from '../ui/traffic.ts';

/** One request the `request-log` policy sampled, headers redacted. */
export interface RequestLogItem {
  id: string;
  time: string;
  requestId: string;
  method: string;
  host: string;
  path: string;
  query: string;
  status: number;
  durationMs: number;
  upstreamMs: number | null;
  bytesIn: number;
  bytesOut: number;
  clientIp: string;
  apiId: string;
  routeId: string;
  metric: string;
  applicationId: string | null;
  accountId: string | null;
  planId: string | null;
  subscriptionId: string | null;
  endUser: string | null;
  requestHeaders: Record<string, string>;
  responseHeaders: Record<string, string>;
  requestBody: string | null;
  responseBody: string | null;
  expiresAt: string;
}

/** Newest first; `next` is the cursor of the older page, null at the end. */
export interface RequestLogPage {
  items: RequestLogItem[];
  next: string | null;
}

/** An admin API path as a URL the browser can fetch itself (CSV downloads). */
export const adminUrl = (path: string) => `/admin/v1${path}`;

// ── Alerts (docs/alerts.md) ────────────────────────────────────────────────────────────────

export type AlertKind = 'error-rate' | 'latency' | 'traffic-drop' | 'quota';

export interface AlertScope {
  apiId?: string;
  routeId?: string;
  applicationId?: string;
  accountId?: string;
  planId?: string;
}

export interface AlertRule {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  kind: AlertKind;
  windowMinutes: number | null;
  threshold: number | null;
  statusClass: '5xx' | 'errors' | null;
  percentile: 'p50' | 'p95' | 'p99' | null;
  minRequests: number | null;
  absoluteMinimum: number | null;
  repeatMinutes: number | null;
  scope: AlertScope;
  /** Webhook secrets are write-only: never in an answer. */
  channels: { webhooks: { url: string }[]; emails: string[] };
  status: {
    state: 'unknown' | 'ok' | 'firing' | 'disabled';
    since: string | null;
    value: number | null;
    threshold: number | null;
    evaluatedAt: string | null;
    firing: { subject: string; since: string; value: number | null }[];
  };
  createdAt: string;
  updatedAt: string;
}

export interface AlertDelivery {
  channel: 'webhook' | 'email';
  target: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  statusCode: number | null;
  error: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface AlertEvent {
  id: string;
  rule: { id: string; name: string; kind: AlertKind };
  state: 'firing' | 'resolved';
  repeat: boolean;
  value: number | null;
  threshold: number | null;
  window: { minutes: number | null; from: string | null; to: string | null };
  subject: Record<string, string | number | null> | null;
  at: string;
  deliveries: AlertDelivery[];
}
