// Accounts: the developer organizations that own applications.
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export const accounts = pgTable('accounts', {
  id: id(),
  name: text('name').notNull().unique(),
  email: text('email'),
  state: text('state').$type<'pending' | 'approved' | 'suspended'>().notNull().default('approved'),
  /** Trust tier, for allow and deny lists at the gateway (the acl policy). */
  tier: text('tier').notNull().default('standard'),
  /** Values of the provider's extra fields (portal_fields), by field name. */
  customFields: jsonb('custom_fields').$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
