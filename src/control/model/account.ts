// Account: a developer organization that owns applications.
import { z } from 'zod';
import { accountState, id, name, timestamp } from './fields.ts';
import { customFieldValues } from './portal-field.ts';

const email = z.email().max(320).describe('Contact address of the account.');
export const tier = z
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
    customFields: customFieldValues.optional().meta({ default: {} }),
  })
  .meta({ id: 'AccountCreate', description: 'A new account.' });
export const accountUpdate = z
  .strictObject({ name, email: email.nullable(), state: accountState, tier, customFields: customFieldValues })
  .partial()
  .meta({
    id: 'AccountUpdate',
    description: 'Fields to change; `email: null` removes the address; `customFields` replaces all values.',
  });

export const account = z
  .strictObject({
    id: id('acc'),
    name,
    email: z.string().nullable(),
    state: accountState,
    tier: z.string(),
    customFields: z.record(z.string(), z.string()).describe('Values of the provider’s extra account fields.'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Account', description: 'A developer account.' });

export type AccountCreate = z.infer<typeof accountCreate>;
export type AccountUpdate = z.infer<typeof accountUpdate>;
export type Account = z.infer<typeof account>;
