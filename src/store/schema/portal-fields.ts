// Extra fields the provider asks for (3scale's extra fields): on the account and the developer at
// sign-up, on applications when they are created or edited. Values live in the `custom_fields`
// column of those tables, keyed by the field's name.
import { boolean, integer, jsonb, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export type FieldTarget = 'account' | 'developer' | 'application';
export type FieldType = 'text' | 'choice';

export const portalFields = pgTable(
  'portal_fields',
  {
    id: id(),
    target: text('target').$type<FieldTarget>().notNull(),
    name: text('name').notNull(),
    label: text('label').notNull(),
    type: text('type').$type<FieldType>().notNull(),
    /** The allowed values of a `choice` field; empty for `text`. */
    choices: jsonb('choices').$type<string[]>().notNull().default([]),
    required: boolean('required').notNull().default(false),
    order: integer('sort_order').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('portal_fields_target_name').on(t.target, t.name)],
);
