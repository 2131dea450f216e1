// The authorization server's tables: applications' client secrets (hashed, several at once for
// rotation), the scopes it grants, its signing keys, and what oidc-provider stores (codes,
// refresh tokens, grants, sessions, interactions) as JSON records.
import { index, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications.ts';
import { createdAt, id, updatedAt } from './common.ts';

const time = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** An application's OAuth client secrets; the client id is the application id. */
export const oauthClientSecrets = pgTable(
  'oauth_client_secrets',
  {
    id: id(),
    applicationId: text('application_id')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    label: text('label').notNull().default(''),
    expiresAt: time('expires_at'),
    revokedAt: time('revoked_at'),
    lastUsedAt: time('last_used_at'),
    rotatedFrom: text('rotated_from'),
    createdAt: createdAt(),
  },
  (t) => [index('oauth_client_secrets_application').on(t.applicationId)],
);

/** Scopes the authorization server grants, with what the consent page says about each. */
export const oauthScopes = pgTable('oauth_scopes', {
  id: id(),
  name: text('name').notNull().unique(),
  description: text('description').notNull().default(''),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/**
 * Signing keys of access tokens. `next` is published but not used yet, `active` signs, `retired`
 * is still published until the tokens it signed expire: a rotation never refuses a token.
 */
export const oauthSigningKeys = pgTable('oauth_signing_keys', {
  id: id(),
  kid: text('kid').notNull().unique(),
  alg: text('alg').notNull(),
  state: text('state').$type<'next' | 'active' | 'retired'>().notNull(),
  /** The private key (JWK). A secret: never leaves the control plane. */
  privateJwk: jsonb('private_jwk').$type<Record<string, unknown>>().notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
  retiredAt: time('retired_at'),
});

/** oidc-provider's own records, by model (AuthorizationCode, RefreshToken, Grant, Session, …). */
export const oauthRecords = pgTable(
  'oauth_records',
  {
    model: text('model').notNull(),
    id: text('id').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    grantId: text('grant_id'),
    uid: text('uid'),
    userCode: text('user_code'),
    expiresAt: time('expires_at'),
    consumedAt: time('consumed_at'),
  },
  (t) => [
    primaryKey({ columns: [t.model, t.id] }),
    index('oauth_records_grant').on(t.grantId),
    index('oauth_records_uid').on(t.uid),
    index('oauth_records_expiry').on(t.expiresAt),
  ],
);

/** Secrets the platform generates for itself once (cookie keys, client-binding key). */
export const platformSecrets = pgTable('platform_secrets', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt(),
});

/**
 * Grants revoked before their access tokens expired (a refresh token reused or revoked, a code
 * reused). Gateways refuse those tokens until `expiresAt`, when the last of them has expired.
 */
export const oauthRevokedGrants = pgTable('oauth_revoked_grants', {
  grantId: text('grant_id').primaryKey(),
  expiresAt: time('expires_at').notNull(),
});
