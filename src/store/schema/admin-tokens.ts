// Admin API tokens, stored as SHA-256 hashes.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id } from './common.ts';

export const adminTokens = pgTable('admin_tokens', {
  id: id(),
  name: text('name').notNull(),
  hash: text('hash').notNull().unique(),
  createdAt: createdAt(),
});
