// The support inbox: questions and bug reports sent from the portal, by signed-in developers or
// by anyone with an e-mail address. Not configuration: never exported, never sent to gateways.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { accounts } from './accounts.ts';
import { createdAt, id, updatedAt } from './common.ts';
import { developers } from './developers.ts';

export type SupportMessageKind = 'question' | 'bug';
export type SupportMessageState = 'new' | 'read' | 'archived';

export const supportMessages = pgTable(
  'support_messages',
  {
    id: id(),
    kind: text('kind').$type<SupportMessageKind>().notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** Where to answer: the developer's address, or the one given without a session. */
    email: text('email').notNull(),
    developerId: text('developer_id').references(() => developers.id, { onDelete: 'set null' }),
    accountId: text('account_id').references(() => accounts.id, { onDelete: 'set null' }),
    state: text('state').$type<SupportMessageState>().notNull().default('new'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('support_messages_state').on(t.state)],
);
