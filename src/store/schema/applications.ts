// Applications: what an account registers to call APIs; keys and subscriptions hang off them.
import { boolean, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt, id, updatedAt } from './common.ts';

export const applications = pgTable(
  'applications',
  {
    id: id(),
    accountId: text('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    state: text('state').$type<'active' | 'suspended'>().notNull().default('active'),
    /** Where the authorization server may send an end user back (OAuth 2.0); exact matches only. */
    redirectUris: jsonb('redirect_uris').$type<string[]>().notNull().default([]),
    /**
     * Set for good once the application has had a client secret: it stays a confidential OAuth
     * client, so losing its secrets locks it out instead of making it a public client.
     */
    oauthConfidential: boolean('oauth_confidential').notNull().default(false),
    /** Values of the provider's extra fields (portal_fields), by field name. */
    customFields: jsonb('custom_fields').$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('applications_account_name').on(t.accountId, t.name)],
);
