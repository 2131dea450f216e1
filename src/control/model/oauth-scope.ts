// OAuth scope: a permission the authorization server grants, with what the consent page says.
import { z } from 'zod';
import { id, timestamp } from './fields.ts';

const idLike = /^[a-z]{3}_[0-9a-z]{26}$/;

/** RFC 6749 §3.3 scope-token: printable ASCII without space, `"` or `\`. */
export const scopeName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'must be printable ASCII without spaces, \'"\' or "\\" (RFC 6749)')
  .refine((v) => !idLike.test(v), 'must not look like an id')
  .describe('The scope token clients ask for, such as `weather:read`; unique.');

export const scopeDescription = z
  .string()
  .max(500)
  .describe('What the scope lets an application do, in words for end users; shown on the consent page.');

export const oauthScopeCreate = z
  .strictObject({ name: scopeName, description: scopeDescription.optional().meta({ default: '' }) })
  .meta({ id: 'OAuthScopeCreate', description: 'A new OAuth scope.' });

export const oauthScopeUpdate = z
  .strictObject({ name: scopeName, description: scopeDescription })
  .partial()
  .meta({ id: 'OAuthScopeUpdate', description: 'Fields to change.' });

export const oauthScope = z
  .strictObject({
    id: id('scp'),
    name: z.string(),
    description: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'OAuthScope', description: 'A scope the authorization server grants.' });

export type OAuthScopeCreate = z.infer<typeof oauthScopeCreate>;
export type OAuthScopeUpdate = z.infer<typeof oauthScopeUpdate>;
export type OAuthScope = z.infer<typeof oauthScope>;
