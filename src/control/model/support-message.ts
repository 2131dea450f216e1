// Support message: a question or bug report sent from the portal, read in the console's inbox.
import { z } from 'zod';
import { id, timestamp } from './fields.ts';

export const supportMessageKind = z.enum(['question', 'bug']).describe('A question or a bug report.');
export const supportMessageState = z
  .enum(['new', 'read', 'archived'])
  .describe('new until someone reads it; archived when dealt with.');

export const supportMessageInput = z.strictObject({
  kind: supportMessageKind,
  subject: z.string().trim().min(1).max(200),
  body: z.string().trim().min(1).max(10_000),
  email: z.email().max(254).optional(),
});

export const supportMessageUpdate = z
  .strictObject({ state: supportMessageState })
  .meta({ id: 'SupportMessageUpdate', description: 'The new state.' });

export const supportMessage = z
  .strictObject({
    id: id('sup'),
    kind: supportMessageKind,
    subject: z.string(),
    body: z.string(),
    email: z.string().describe('Where to answer: the developer’s address, or the one given.'),
    developerId: z.string().nullable().describe('The developer who sent it signed in; null otherwise.'),
    accountId: z.string().nullable().describe('The account the developer acted for; null otherwise.'),
    state: supportMessageState,
    createdAt: timestamp,
  })
  .meta({ id: 'SupportMessage', description: 'A message to the provider from the developer portal.' });

export type SupportMessageInput = z.infer<typeof supportMessageInput>;
export type SupportMessage = z.infer<typeof supportMessage>;
