// Account: a developer organization that owns applications.
import { z } from 'zod';
import { accountState, id, name, timestamp } from './fields.ts';

const email = z.email().max(320).describe('Contact address of the account.');

export const accountCreate = z
  .strictObject({
    name,
    email: email.optional(),
    state: accountState.optional().meta({ default: 'approved' }),
  })
  .meta({ id: 'AccountCreate', description: 'A new account.' });
export const accountUpdate = z
  .strictObject({ name, email: email.nullable(), state: accountState })
  .partial()
  .meta({ id: 'AccountUpdate', description: 'Fields to change; `email: null` removes the address.' });

export const account = z
  .strictObject({
    id: id('acc'),
    name,
    email: z.string().nullable(),
    state: accountState,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Account', description: 'A developer account.' });

export type AccountCreate = z.infer<typeof accountCreate>;
export type AccountUpdate = z.infer<typeof accountUpdate>;
export type Account = z.infer<typeof account>;
