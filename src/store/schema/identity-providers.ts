// Identity providers: an API provider's own sign-in, used instead of Turnpike's end-user
// directory for the APIs that name it. The authorization server sends the end user to the
// provider's login page, which sends them back with an assertion (a JWT it signs).
import { jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export const identityProviders = pgTable('identity_providers', {
  id: id(),
  name: text('name').notNull().unique(),
  /** Shown on Turnpike's pages ("Continue to …"). */
  displayName: text('display_name').notNull().default(''),
  /** Where end users are sent to sign in; Turnpike adds `redirect_uri` and `state`. */
  loginUrl: text('login_url').notNull(),
  /** The `iss` its assertions carry. */
  issuer: text('issuer').notNull(),
  /** Where its public keys are published; or `publicKeys` below. */
  jwksUrl: text('jwks_url'),
  publicKeys: jsonb('public_keys').$type<Record<string, unknown>[]>().notNull().default([]),
  algorithms: jsonb('algorithms').$type<string[]>().notNull().default(['RS256', 'ES256']),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
