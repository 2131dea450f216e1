// Upstreams: the services behind the gateway, each a set of weighted targets with its balancing,
// health checks, timeouts and retries (stored whole, defaults filled in).
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import {
  type Balancing,
  defaultUpstreamSettings,
  type HealthChecks,
  type Retries,
  type UpstreamTimeouts,
} from '../../shared/upstream-settings.ts';
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
  balancing: jsonb('balancing').$type<Balancing>().notNull().default(defaultUpstreamSettings.balancing),
  healthChecks: jsonb('health_checks')
    .$type<HealthChecks>()
    .notNull()
    .default(defaultUpstreamSettings.healthChecks),
  timeouts: jsonb('timeouts').$type<UpstreamTimeouts>().notNull().default(defaultUpstreamSettings.timeouts),
  retries: jsonb('retries').$type<Retries>().notNull().default(defaultUpstreamSettings.retries),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
