// Admin API tokens, stored as SHA-256 hashes, each with the role it acts in.
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.ts';

/** `gateway`: a data-plane node's token; it reads /sync (secrets included) and nothing else. */
export type AdminRole = 'owner' | 'admin' | 'editor' | 'viewer' | 'gateway';

export const adminTokens = pgTable('admin_tokens', {
  id: id(),
  name: text('name').notNull(),
  hash: text('hash').notNull().unique(),
  // Tokens from before roles existed were all-powerful: they stay owners.
  role: text('role').$type<AdminRole>().notNull().default('owner'),
  prefix: text('prefix'),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
});
