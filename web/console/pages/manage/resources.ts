// The admin API resources the console's management pages read and change, beyond the ones in
// ../../api.ts: their types, one-item reads, and writes that refresh what they change.
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { segment } from '../../../ui/api.ts';
import type { Limit } from '../../../ui/format.ts';
import { type Api, api } from '../../api.ts';
import type { JsonSchema } from './schema-form.ts';

export interface Target {
  url: string;
  weight: number;
}

export interface Upstream {
  id: string;
  name: string;
  description: string;
  targets: Target[];
  balancing: { algorithm: string; hashOn: string; hashHeader: string | null };
  healthChecks: {
    active: {
      path: string;
      intervalMs: number;
      timeoutMs: number;
      healthyThreshold: number;
      unhealthyThreshold: number;
    } | null;
    passive: { failures: number; ejectMs: number } | null;
  };
  timeouts: { connectMs: number; responseMs: number; idleMs: number };
  retries: { attempts: number; budgetPercent: number; minPerSecond: number };
  createdAt: string;
}

export interface ApiDetail extends Api {
  stripBasePath: boolean;
  version: string;
  visibility: string;
  partnerTiers: string[];
  lifecycle: string;
  overview: string;
  changelog: string;
  openapiSummary: { openapi: string; title: string | null; version: string | null; bytes: number } | null;
}

export interface Route {
  id: string;
  apiId: string;
  name: string;
  methods: string[];
  path: string;
  metric: string;
  delta: number;
  createdAt: string;
}

export interface Policy {
  id: string;
  name: string;
  scope: 'global' | 'api' | 'route';
  apiId: string | null;
  routeId: string | null;
  enabled: boolean;
  config: Record<string, unknown>;
  createdAt: string;
}

export interface PolicyType {
  name: string;
  description: string;
  phase: string;
  priority: number;
  configSchema: JsonSchema;
}

export interface Key {
  id: string;
  applicationId: string;
  prefix: string | null;
  label: string;
  status: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** In the answer to create and rotate only. */
  key?: string;
}

export type { Limit };

export const paths = {
  upstream: (id: string) => `/upstreams/${segment(id)}`,
  api: (id: string) => `/apis/${segment(id)}`,
  routes: (apiId: string) => `/apis/${segment(apiId)}/routes`,
  route: (apiId: string, id: string) => `/apis/${segment(apiId)}/routes/${segment(id)}`,
  policy: (id: string) => `/policies/${segment(id)}`,
  product: (id: string) => `/products/${segment(id)}`,
  plan: (id: string) => `/plans/${segment(id)}`,
  account: (id: string) => `/accounts/${segment(id)}`,
  application: (id: string) => `/applications/${segment(id)}`,
  keys: (appId: string) => `/applications/${segment(appId)}/keys`,
  key: (appId: string, id: string) => `/applications/${segment(appId)}/keys/${segment(id)}`,
  subscription: (id: string) => `/subscriptions/${segment(id)}`,
};

/** One object of the admin API, by its path (`/apis/api_…`). */
export function useAdminItem<T>(path: string, enabled = true) {
  return useQuery({ queryKey: ['admin', path], queryFn: () => api.get<T>(path), enabled });
}

export function usePolicyTypes() {
  return useQuery({
    queryKey: ['admin', '/policy-types'],
    queryFn: () => api.get<{ data: PolicyType[] }>('/policy-types'),
    staleTime: 5 * 60_000,
    select: (answer) => answer.data,
  });
}

/** After a write: every list and object may show it (counts, names, states), so all refresh. */
export const refreshAll = (client: QueryClient) => client.invalidateQueries({ queryKey: ['admin'] });

/**
 * After a delete: forget the deleted object first, so that the page still showing it does not
 * ask for it again (and show a 404) before it navigates away.
 */
export async function forget(client: QueryClient, path: string): Promise<void> {
  client.removeQueries({ queryKey: ['admin', path] });
  await refreshAll(client);
}

export function useRefresh() {
  const client = useQueryClient();
  return () => refreshAll(client);
}

/** `''` → undefined, anything else → a number: NumberInput's value as the API wants it. */
export function numberOf(value: number | string): number | undefined {
  if (value === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

export const yesNo = (value: boolean) => (value ? 'yes' : 'no');
