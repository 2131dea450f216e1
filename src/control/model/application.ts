// Application: what an account registers to call APIs.
import { z } from 'zod';
import { applicationState, description, id, name, timestamp } from './fields.ts';

const changeable = {
  name,
  description: description.optional().meta({ default: '' }),
  state: applicationState.optional().meta({ default: 'active' }),
};

export const applicationCreate = z
  .strictObject({ accountId: id('acc').describe('Account that owns the application.'), ...changeable })
  .meta({ id: 'ApplicationCreate', description: 'A new application.' });
export const applicationUpdate = z
  .strictObject(changeable)
  .partial()
  .meta({ id: 'ApplicationUpdate', description: 'Fields to change.' });

export const application = z
  .strictObject({
    id: id('app'),
    accountId: id('acc'),
    name,
    description,
    state: applicationState,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Application', description: 'An application of an account.' });

export type ApplicationCreate = z.infer<typeof applicationCreate>;
export type ApplicationUpdate = z.infer<typeof applicationUpdate>;
export type Application = z.infer<typeof application>;
