// APIs: a base path (and optional hosts) that the gateway serves from one upstream, and what the
// developer portal's catalog shows of it (version, visibility, lifecycle, overview, OpenAPI
// document, changelog; the gateway snapshot carries none of the large ones).
import { bigint, boolean, json, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';
import { identityProviders } from './identity-providers.ts';
import { upstreams } from './upstreams.ts';

export interface MetricParent {
  name: string;
  parent: string;
}

export type ApiVisibility = 'public' | 'partner' | 'internal';
export type ApiLifecycle = 'draft' | 'published' | 'deprecated' | 'retired';

export const apis = pgTable('apis', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  basePath: text('base_path').notNull(),
  hosts: jsonb('hosts').$type<string[]>().notNull().default([]),
  upstreamId: text('upstream_id')
    .notNull()
    .references(() => upstreams.id, { onDelete: 'restrict' }),
  keyless: boolean('keyless').notNull().default(false),
  stripBasePath: boolean('strip_base_path').notNull().default(true),
  /** Largest request body the gateway accepts for this API (413 above); null for no limit. */
  maxBodyBytes: bigint('max_body_bytes', { mode: 'number' }),
  /** End users of OAuth clients sign in through this provider; null: Turnpike's end-user directory. */
  identityProviderId: text('identity_provider_id').references(() => identityProviders.id, {
    onDelete: 'restrict',
  }),
  /** Metrics whose parent is not `hits`, as declared; every other metric's parent is `hits`. */
  metrics: jsonb('metrics').$type<MetricParent[]>().notNull().default([]),
  /** Version label shown in the portal, such as `v1`; empty for none. */
  version: text('version').notNull().default(''),
  /** Who sees the API in the portal: everyone, approved accounts, or nobody. */
  visibility: text('visibility').$type<ApiVisibility>().notNull().default('public'),
  /** With visibility partner: only approved accounts of these trust tiers see it; empty: every approved one. */
  partnerTiers: jsonb('partner_tiers').$type<string[]>().notNull().default([]),
  /** The portal lists published and deprecated APIs; the gateway serves all alike (for now). */
  lifecycle: text('lifecycle').$type<ApiLifecycle>().notNull().default('published'),
  /** Markdown for the API's portal page. */
  overview: text('overview').notNull().default(''),
  /**
   * The OpenAPI 3.x document, or null. `json`, not `jsonb`: the document is served back as it was
   * written, keys in their order (jsonb reorders them), and it is never queried inside.
   */
  openapi: json('openapi').$type<Record<string, unknown>>(),
  /** Markdown: the API's changelog in the portal. */
  changelog: text('changelog').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
