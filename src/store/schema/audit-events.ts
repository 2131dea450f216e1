// The audit trail: one row per write through the admin API (and later the portal), written in
// the same transaction as the write, so a write and its record commit or roll back together.
import { index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id } from './common.ts';

export const auditEvents = pgTable(
  'audit_events',
  {
    id: id(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    /** token, user or env-token (TURNPIKE_ADMIN_TOKEN). */
    actorKind: text('actor_kind').notNull(),
    actorId: text('actor_id'),
    actorName: text('actor_name').notNull(),
    actorRole: text('actor_role').notNull(),
    /** admin-api, cli or console. */
    via: text('via').notNull(),
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    before: jsonb('before'),
    after: jsonb('after'),
    requestId: text('request_id'),
    clientIp: text('client_ip'),
  },
  (t) => [
    index('audit_events_object').on(t.objectType, t.objectId),
    index('audit_events_actor').on(t.actorId),
  ],
);
