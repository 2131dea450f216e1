// How the portal takes new developers: one row (id 1), absent until a provider changes it, so
// new accounts are approved at once by default (3scale's default too).
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { updatedAt } from './common.ts';

export const portalSignup = pgTable(
  'portal_signup',
  {
    id: integer('id').primaryKey().default(1),
    /** auto: a new account is approved at once; manual: it waits in the console's approvals. */
    accountApproval: text('account_approval').$type<'auto' | 'manual'>().notNull().default('auto'),
    updatedAt: updatedAt(),
  },
  (t) => [check('portal_signup_one_row', sql`${t.id} = 1`)],
);
