// Accounts: the developer organizations that own applications.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export const accounts = pgTable('accounts', {
  id: id(),
  name: text('name').notNull().unique(),
  email: text('email'),
  state: text('state').$type<'pending' | 'approved' | 'suspended'>().notNull().default('approved'),
  /** Trust tier, for allow and deny lists at the gateway (the acl policy). */
  tier: text('tier').notNull().default('standard'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
