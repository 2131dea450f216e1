// End users: the people who sign in at the authorization server to let an application act for
// them (OAuth 2.0 authorization code). Directory users sign in with a password, stored as an
// argon2id hash only; federated users sign in at an identity provider and are known here by the
// provider's subject.
import { sql } from 'drizzle-orm';
import { pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';
import { identityProviders } from './identity-providers.ts';

export const endUsers = pgTable(
  'end_users',
  {
    id: id(),
    /** Lower-cased; the sign-in name of directory users (unique among them). */
    email: text('email').notNull(),
    name: text('name').notNull().default(''),
    /** Null for federated users. */
    passwordHash: text('password_hash'),
    identityProviderId: text('identity_provider_id').references(() => identityProviders.id, {
      onDelete: 'cascade',
    }),
    /** The provider's `sub` for this person. */
    externalSubject: text('external_subject'),
    state: text('state').$type<'active' | 'disabled'>().notNull().default('active'),
    lastLoginAt: timestamp('last_login_at', { withTimezone: true, mode: 'date' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('end_users_email_unique').on(t.email).where(sql`identity_provider_id is null`),
    uniqueIndex('end_users_external_subject').on(t.identityProviderId, t.externalSubject),
  ],
);
