// Developers: the people who sign in to the portal, members of accounts. Passwords are argon2id
// hashes; sessions and one-time e-mail tokens are stored only as SHA-256 hashes.
import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt, id, updatedAt } from './common.ts';

export type AccountRole = 'owner' | 'admin' | 'member';
export type DeveloperTokenPurpose = 'verify-email' | 'reset-password';

export const developers = pgTable('developers', {
  id: id(),
  /** Lower-cased; unique. */
  email: text('email').notNull().unique(),
  name: text('name').notNull().default(''),
  passwordHash: text('password_hash').notNull(),
  emailVerifiedAt: timestamp('email_verified_at', { withTimezone: true, mode: 'date' }),
  lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
  /** Values of the provider's extra fields (portal_fields), by field name. */
  customFields: jsonb('custom_fields').$type<Record<string, string>>().notNull().default({}),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const accountMembers = pgTable(
  'account_members',
  {
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    developerId: text('developer_id')
      .notNull()
      .references(() => developers.id, { onDelete: 'cascade' }),
    role: text('role').$type<AccountRole>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.accountId, t.developerId] }),
    index('account_members_developer').on(t.developerId),
  ],
);

export const developerSessions = pgTable(
  'developer_sessions',
  {
    id: id(),
    developerId: text('developer_id')
      .notNull()
      .references(() => developers.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull().unique(),
    csrfHash: text('csrf_hash').notNull(),
    /** The account the session acts for; null: the developer's first. */
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('developer_sessions_developer').on(t.developerId)],
);

/** Invitations to join an account, by e-mail; the link's token is stored as a hash. */
export const accountInvitations = pgTable(
  'account_invitations',
  {
    id: id(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** Lower-cased. */
    email: text('email').notNull(),
    role: text('role').$type<AccountRole>().notNull(),
    hash: text('hash').notNull().unique(),
    invitedBy: text('invited_by').references(() => developers.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('account_invitations_account').on(t.accountId)],
);

/** Links sent by e-mail: verify an address, reset a password. Used once, then deleted. */
export const developerTokens = pgTable(
  'developer_tokens',
  {
    hash: text('hash').primaryKey(),
    developerId: text('developer_id')
      .notNull()
      .references(() => developers.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<DeveloperTokenPurpose>().notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('developer_tokens_developer').on(t.developerId)],
);
