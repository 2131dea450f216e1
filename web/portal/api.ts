// The portal API (docs/portal-api.md) as the portal pages see it: the client and its types.
import { createApiClient, type List, segment } from '../ui/api.ts';
import type { Limit } from '../ui/format.ts';
import type { Pricing } from '../ui/pricing.ts';

/**
 * The CSRF token is also kept in localStorage: its presence tells the pages anyone may see
 * (catalog, sign-in) whether asking GET /session is worth it, so that a visitor who never
 * signed in causes no 401s.
 */
export const api = createApiClient({ base: '/portal/v1', csrfStorageKey: 'turnpike.portal.csrfToken' });

export interface Developer {
  id: string;
  email: string;
  name: string;
  emailVerified: boolean;
}

export interface Account {
  id: string;
  name: string;
  state: 'pending' | 'approved' | 'suspended' | (string & {});
}

export type Role = 'owner' | 'admin' | 'member' | (string & {});

/** An account the developer belongs to, with their role in it. */
export interface Membership extends Account {
  role: Role;
}

export interface Session {
  developer: Developer;
  /** The account the session acts for; null once the developer has left every account. */
  account: Account | null;
  role: Role | null;
  /** Every account the developer belongs to. */
  accounts?: Membership[];
  csrfToken: string;
}

export interface Member {
  developerId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
  createdAt: string;
}

/** What an invitation link is for (GET /invitations/{token}, public). */
export interface InvitationPreview {
  account: { name: string };
  email: string;
  role: Role;
  /** A developer with this e-mail exists: they sign in to accept. */
  registered: boolean;
}

export interface ApiSummary {
  id: string;
  name: string;
  version?: string | null;
  description?: string | null;
  basePath: string;
  visibility?: string;
  lifecycle?: string;
}

export interface ApiDetail extends ApiSummary {
  /** Where clients call it: the gateway's address with the base path. */
  url?: string;
  openapi: Record<string, unknown> | null;
  /** The products that sell it, as GET /products gives them. */
  products?: Product[];
  /** Longer Markdown texts the provider may write, beyond the contract's fields. */
  overview?: string | null;
  changelog?: string | null;
}

export interface Plan {
  id: string;
  name: string;
  description?: string | null;
  approval: 'auto' | 'manual' | (string & {});
  default?: boolean;
  limits: Limit[];
  disabledMetrics?: string[];
  /** Null for a free plan. */
  pricing?: Pricing | null;
}

export interface Product {
  id: string;
  name: string;
  description?: string | null;
  apis: { id: string; name: string }[];
  plans: Plan[];
}

export interface Application {
  id: string;
  name: string;
  description?: string | null;
  state: string;
  createdAt: string;
}

export interface Key {
  id: string;
  prefix: string | null;
  label: string;
  status: 'active' | 'expired' | 'revoked' | (string & {});
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  /** Only in the answer that created it. */
  key?: string;
}

export interface Subscription {
  id: string;
  planId: string;
  plan: { id: string; name: string };
  product: { id: string; name: string };
  state: 'pending' | 'active' | 'suspended' | 'cancelled' | 'rejected' | (string & {});
  createdAt: string;
}

export interface UsageRow {
  subscriptionId: string;
  metric: string;
  start: string;
  units: number;
}

export interface LimitUsage extends Limit {
  used: number | null;
  remaining: number | null;
  windowStart: string | null;
  windowEnd: string | null;
}

/** The subscription states that hold a product for the application. */
export const openStates = new Set(['pending', 'active', 'suspended']);

export const paths = {
  api: (id: string) => `/apis/${segment(id)}`,
  application: (id: string) => `/applications/${segment(id)}`,
  keys: (app: string) => `/applications/${segment(app)}/keys`,
  key: (app: string, key: string) => `/applications/${segment(app)}/keys/${segment(key)}`,
  subscriptions: (app: string) => `/applications/${segment(app)}/subscriptions`,
  subscription: (id: string) => `/subscriptions/${segment(id)}`,
  usage: (app: string) => `/applications/${segment(app)}/usage`,
  limits: (subscription: string) => `/subscriptions/${segment(subscription)}/limits`,
  analytics: (app: string, what: 'traffic' | 'summary' | 'top') =>
    `/applications/${segment(app)}/analytics/${what}`,
  member: (developer: string) => `/account/members/${segment(developer)}`,
  invitation: (id: string) => `/account/invitations/${segment(id)}`,
  invitationLink: (token: string) => `/invitations/${segment(token)}`,
};

/** A portal API path as a URL the browser can fetch itself (CSV downloads). */
export const portalUrl = (path: string) => `/portal/v1${path}`;

export type { TopList, TrafficSeries, TrafficSummary } from '../ui/traffic.ts';
export type { List };
