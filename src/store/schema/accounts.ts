// Accounts: the developer organizations that own applications.
import { pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export const accounts = pgTable('accounts', {
  id: id(),
  name: text('name').notNull().unique(),
  email: text('email'),
  state: text('state').$type<'pending' | 'approved' | 'suspended'>().notNull().default('approved'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
