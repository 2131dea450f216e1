// Portal field: an extra field the provider asks for on accounts and developers (at sign-up) or on
// applications, and the shape of the values stored for them (`customFields`).
import { z } from 'zod';
import { id, timestamp, uniqueItems } from './fields.ts';

export const fieldTarget = z
  .enum(['account', 'developer', 'application'])
  .describe('What the field is asked for and stored on.');
export const fieldType = z.enum(['text', 'choice']).describe('Free text, or one of `choices`.');

export const fieldName = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_]+$/, 'must be lower-case letters, digits and "_"')
  .describe('The key of the value in `customFields`; unique per target.');

export const maxFieldValue = 1000;

const choices = uniqueItems(z.string().min(1).max(100), 'choice')
  .max(50)
  .describe('The values a `choice` field accepts (1 to 50); empty for `text`.');

const changeable = {
  name: fieldName,
  label: z.string().min(1).max(100).describe('What the form calls the field.'),
  type: fieldType,
  choices: choices.optional().meta({ default: [] }),
  required: z
    .boolean()
    .optional()
    .meta({ default: false })
    .describe('Developers must fill it in the portal.'),
  order: z
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .optional()
    .meta({ default: 0 })
    .describe('Position in the form, lower first; ties by name.'),
};

/** Why a type and its choices cannot stand together, or undefined: choices for `choice` only. */
export function choicesProblem(type: 'text' | 'choice', given: readonly string[]): string | undefined {
  if (type === 'choice' && given.length === 0) return 'a choice field needs at least one choice';
  if (type === 'text' && given.length > 0) return 'a text field takes no choices';
  return undefined;
}

export const portalFieldCreate = z
  .strictObject({ target: fieldTarget, ...changeable })
  .superRefine((input, ctx) => {
    const problem = choicesProblem(input.type, input.choices ?? []);
    if (problem) ctx.addIssue({ code: 'custom', path: ['choices'], message: problem });
  })
  .meta({ id: 'PortalFieldCreate', description: 'A new field.' });

export const portalFieldUpdate = z.strictObject(changeable).partial().meta({
  id: 'PortalFieldUpdate',
  description:
    'Fields to change; the target cannot change. A new name carries the stored values along; setting `type` to `text` clears the choices.',
});

export const portalField = z
  .strictObject({
    id: id('fld'),
    target: fieldTarget,
    name: z.string(),
    label: z.string(),
    type: fieldType,
    choices: z.array(z.string()),
    required: z.boolean(),
    order: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PortalField', description: 'An extra field of accounts, developers or applications.' });

export const customFieldValues = z
  .record(z.string().max(100), z.string().max(maxFieldValue, `must be at most ${maxFieldValue} characters`))
  .describe(
    'Values of the provider’s extra fields, by field name (`GET /portal/fields`): text at most 1000 characters, a choice one of its choices.',
  );

export type FieldTarget = z.infer<typeof fieldTarget>;
export type PortalFieldCreate = z.infer<typeof portalFieldCreate>;
export type PortalFieldUpdate = z.infer<typeof portalFieldUpdate>;
export type PortalField = z.infer<typeof portalField>;
export type CustomFieldValues = z.infer<typeof customFieldValues>;
