// Account: a developer organization that owns applications.
import { z } from 'zod';
import { accountState, id, name, timestamp } from './fields.ts';

const email = z.email().max(320).describe('Contact address of the account.');
const tier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"')
  .describe('Trust tier, for allow and deny lists at the gateway (the acl policy).');

export const accountCreate = z
  .strictObject({
    name,
    email: email.optional(),
    state: accountState.optional().meta({ default: 'approved' }),
    tier: tier.optional().meta({ default: 'standard' }),
  })
  .meta({ id: 'AccountCreate', description: 'A new account.' });
export const accountUpdate = z
  .strictObject({ name, email: email.nullable(), state: accountState, tier })
  .partial()
  .meta({ id: 'AccountUpdate', description: 'Fields to change; `email: null` removes the address.' });

export const account = z
  .strictObject({
    id: id('acc'),
    name,
    email: z.string().nullable(),
    state: accountState,
    tier: z.string(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Account', description: 'A developer account.' });

export type AccountCreate = z.infer<typeof accountCreate>;
export type AccountUpdate = z.infer<typeof accountUpdate>;
export type Account = z.infer<typeof account>;
