// API keys: only the SHA-256 hash and a short display prefix are stored, never the key.
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { createdAt, id } from './common.ts';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull().unique(),
    prefix: text('prefix'),
    label: text('label').notNull().default(''),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    /** Set when revoked: the key is refused from then on but stays listed, for the record. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    /** As reported by the gateways, to the minute. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    /** The key this one replaced when it was issued by a rotation. */
    rotatedFrom: text('rotated_from'),
    createdAt: createdAt(),
  },
  (t) => [index('api_keys_application').on(t.applicationId)],
);
