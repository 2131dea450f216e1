// Upstreams: the services behind the gateway, each a set of weighted targets.
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export interface UpstreamTarget {
  url: string;
  weight: number;
}

export const upstreams = pgTable('upstreams', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  targets: jsonb('targets').$type<UpstreamTarget[]>().notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
