// End users: people who sign in at the authorization server to let an application act for them.
import { z } from 'zod';
import { id, timestamp } from './fields.ts';

const email = z.email().max(254).describe('Sign-in name; stored lower-cased, unique whatever its case.');
// NIST SP 800-63B: length over composition rules; 12 at least, and long passphrases allowed.
const password = z.string().min(12).max(200).describe('At least 12 characters; stored as an argon2id hash.');
const endUserName = z.string().max(200).describe('Display name, shown on the consent page.');
export const endUserState = z
  .enum(['active', 'disabled'])
  .describe('Disabled users cannot sign in at the authorization server.');

export const endUserCreate = z
  .strictObject({
    email,
    name: endUserName.optional().meta({ default: '' }),
    password,
    state: endUserState.optional().meta({ default: 'active' }),
  })
  .meta({ id: 'EndUserCreate', description: 'A new end user.' });

export const endUserUpdate = z
  .strictObject({ email, name: endUserName, password, state: endUserState })
  .partial()
  .meta({ id: 'EndUserUpdate', description: 'Fields to change.' });

export const endUser = z
  .strictObject({
    id: id('usr'),
    email: z.string(),
    name: z.string(),
    state: endUserState,
    identityProviderId: id('idp')
      .nullable()
      .describe('The identity provider this user signs in at; null for a user of the end-user directory.'),
    externalSubject: z.string().nullable().describe("The identity provider's subject (`sub`) for this user."),
    lastLoginAt: timestamp.nullable().describe('Last sign-in at the authorization server.'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'EndUser', description: 'A person who authorizes applications; never with the password.' });

export type EndUserCreate = z.infer<typeof endUserCreate>;
export type EndUserUpdate = z.infer<typeof endUserUpdate>;
export type EndUser = z.infer<typeof endUser>;
