// Policies configured on the gateway: global (no API, no route), on an API, or on one route.
// One policy of a name per scope; the gateway resolves each route's chain (most specific wins).
import { boolean, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { apis } from './apis.ts';
import { createdAt, id, updatedAt } from './common.ts';
import { routes } from './routes.ts';

export const policies = pgTable(
  'policies',
  {
    id: id(),
    name: text('name').notNull(),
    apiId: text('api_id').references(() => apis.id, { onDelete: 'cascade' }),
    routeId: text('route_id').references(() => routes.id, { onDelete: 'cascade' }),
    enabled: boolean('enabled').notNull().default(true),
    /** As the operator wrote it, checked against the policy's schema before it is saved. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('policies_scope_name').on(t.name, t.apiId, t.routeId).nullsNotDistinct()],
);
