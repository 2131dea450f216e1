// Admin users (console sign-in) and admin tokens (the admin API and the CLI), each with a role.
import { z } from 'zod';
import type { AdminRole } from '../../store/schema/admin-tokens.ts';

export type { AdminRole };

import { id, timestamp } from './fields.ts';

export const adminRoles = ['owner', 'admin', 'editor', 'viewer'] as const satisfies readonly AdminRole[];

const roleText =
  'viewer: reads everything; editor: also changes the configuration; admin: also manages admin users and tokens (not owners); owner: everything.';

/** A person's role (admin users). */
export const adminRole = z.enum(adminRoles).describe(roleText);

/** A token's role: the four above, or `gateway` for a data-plane node (it gets /sync and nothing else). */
export const tokenRole = z
  .enum([...adminRoles, 'gateway'])
  .describe(
    `${roleText} gateway: a data-plane node's token; reads the configuration for gateways (/sync, secrets included) and nothing else.`,
  );

const tokenName = z.string().min(1).max(100).describe('What the token is for, such as `ci-deploy`.');
const email = z.email().max(254).describe('Sign-in name; unique.');
// NIST SP 800-63B: length over composition rules; 12 at least, and long passphrases allowed.
const password = z.string().min(12).max(256).describe('At least 12 characters; stored as an argon2id hash.');

export const adminTokenCreate = z
  .strictObject({
    name: tokenName,
    role: tokenRole,
    expiresAt: timestamp.optional().describe('When the token stops working; never when absent.'),
  })
  .meta({ id: 'AdminTokenCreate', description: 'A new admin token.' });

export const adminTokenUpdate = z
  .strictObject({ name: tokenName, role: tokenRole, expiresAt: timestamp.nullable() })
  .partial()
  .meta({ id: 'AdminTokenUpdate', description: 'Fields to change.' });

export const adminToken = z
  .strictObject({
    id: id('atk'),
    name: z.string(),
    role: tokenRole,
    prefix: z.string().nullable().describe('First characters of the token, to tell tokens apart.'),
    expiresAt: timestamp.nullable(),
    lastUsedAt: timestamp.nullable().describe('Last call made with it, to the minute.'),
    createdAt: timestamp,
  })
  .meta({ id: 'AdminToken', description: 'An admin token, without its secret.' });

export const createdAdminToken = adminToken
  .extend({ token: z.string().describe('The token. Shown only in this response; store it now.') })
  .meta({ id: 'CreatedAdminToken', description: 'A new admin token with its secret.' });

export const adminUserCreate = z
  .strictObject({
    email,
    name: z.string().max(200).optional().meta({ default: '' }),
    role: adminRole,
    password,
  })
  .meta({ id: 'AdminUserCreate', description: 'A new admin user.' });

export const adminUserUpdate = z
  .strictObject({ name: z.string().max(200), role: adminRole, password })
  .partial()
  .meta({ id: 'AdminUserUpdate', description: 'Fields to change; a new password ends the user’s sessions.' });

export const adminUser = z
  .strictObject({
    id: id('adu'),
    email: z.string(),
    name: z.string(),
    role: adminRole,
    lastLoginAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'AdminUser', description: 'A person who signs in to the console.' });

export const signIn = z
  .strictObject({ email: z.string().max(254), password: z.string().max(256) })
  .meta({ id: 'SignIn', description: 'Email and password of an admin user.' });

export const session = z
  .strictObject({
    kind: z.enum(['env-token', 'token', 'user']),
    id: z.string().nullable().describe('Id of the token or user.'),
    name: z.string(),
    role: tokenRole,
    csrfToken: z
      .string()
      .optional()
      .describe(
        'For a console session (signing in, and `GET /session` with the cookie): send it as `X-CSRF-Token` with every write made with the session cookie.',
      ),
  })
  .meta({ id: 'Session', description: 'Who the caller is, and in which role.' });

export type AdminTokenCreate = z.infer<typeof adminTokenCreate>;
export type AdminTokenUpdate = z.infer<typeof adminTokenUpdate>;
export type AdminTokenOut = z.infer<typeof adminToken>;
export type CreatedAdminToken = z.infer<typeof createdAdminToken>;
export type AdminUserCreate = z.infer<typeof adminUserCreate>;
export type AdminUserUpdate = z.infer<typeof adminUserUpdate>;
export type AdminUserOut = z.infer<typeof adminUser>;
