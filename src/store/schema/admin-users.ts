// Admin users: people who sign in to the console. Passwords are stored as argon2id hashes;
// a session is stored by the SHA-256 hash of its cookie, with the hash of its CSRF token.
import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import type { AdminRole } from './admin-tokens.ts';
import { createdAt, id, updatedAt } from './common.ts';

export const adminUsers = pgTable('admin_users', {
  id: id(),
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  role: text('role').$type<Exclude<AdminRole, 'gateway'>>().notNull(),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const adminSessions = pgTable(
  'admin_sessions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => adminUsers.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull().unique(),
    csrfHash: text('csrf_hash').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('admin_sessions_user').on(t.userId)],
);
