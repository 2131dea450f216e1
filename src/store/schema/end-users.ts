// End users: the people who sign in at the authorization server to let an application act for
// them (OAuth 2.0 authorization code). Passwords are stored as argon2id hashes only.
import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export const endUsers = pgTable('end_users', {
  id: id(),
  /** Lower-cased; the sign-in name. */
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  state: text('state').$type<'active' | 'disabled'>().notNull().default('active'),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
