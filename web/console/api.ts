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
