// APIs: a base path (and optional hosts) that the gateway serves from one upstream.
import { bigint, boolean, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';
import { identityProviders } from './identity-providers.ts';
import { upstreams } from './upstreams.ts';

export interface MetricParent {
  name: string;
  parent: string;
}

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
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
