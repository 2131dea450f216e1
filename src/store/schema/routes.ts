// Routes: method + path pattern under an API, and the metric a call counts against, by `delta`.
import { integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { apis } from './apis.ts';
import { createdAt, id, updatedAt } from './common.ts';

export const routes = pgTable(
  'routes',
  {
    id: id(),
    apiId: text('api_id')
      .notNull()
      .references(() => apis.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    methods: jsonb('methods').$type<string[]>().notNull().default([]),
    path: text('path').notNull(),
    metric: text('metric').notNull().default('hits'),
    /** Units a call adds to the metric (and its parents). */
    delta: integer('delta').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('routes_api_name').on(t.apiId, t.name)],
);
