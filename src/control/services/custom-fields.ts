// Checks values of the provider's extra fields (`customFields`) against their definitions: the
// one check behind the admin API, the declarative file and the portal (sign-up and applications),
// so all refuse the same values with the same words.
import { asc, eq } from 'drizzle-orm';
import { type FieldError, fail, ok, type Result } from '../../shared/errors.ts';
import { portalFields } from '../../store/schema/index.ts';
import type { CustomFieldValues, FieldTarget } from '../model/portal-field.ts';
import type { Db } from './context.ts';

export interface FieldCheck {
  /** Where the values sit, for error paths: `body.customFields`, `accounts[0].customFields`. */
  at: string;
  /**
   * Whether required fields must be filled: in the portal, where developers fill the forms. The
   * provider's own tools (admin API, declarative file) may leave them empty.
   */
  required: boolean;
}

export const adminFieldCheck: FieldCheck = { at: 'body.customFields', required: false };
export const portalFieldCheck: FieldCheck = { at: 'body.customFields', required: true };

/**
 * The values as stored (blank ones dropped: a field left blank has no value), or
 * validation-failed naming each bad value. Values given as undefined count as `{}`.
 */
export async function checkCustomFields(
  db: Db,
  target: FieldTarget,
  values: CustomFieldValues | undefined,
  check: FieldCheck,
): Promise<Result<CustomFieldValues>> {
  const given = values ?? {};
  const definitions = await db
    .select()
    .from(portalFields)
    .where(eq(portalFields.target, target))
    .orderBy(asc(portalFields.order), asc(portalFields.name));
  const errors: FieldError[] = [];
  const stored: CustomFieldValues = {};
  const known = new Map(definitions.map((d) => [d.name, d]));
  for (const [name, value] of Object.entries(given)) {
    // A blank value is no value, even for a name that is no field (a form sent before it went).
    if (value.trim() === '') continue;
    const definition = known.get(name);
    const path = `${check.at}.${name}`;
    if (!definition) {
      const names = definitions.map((d) => d.name).join(', ');
      errors.push({
        path,
        message: names ? `is not a field of ${target}s (${names})` : `is not a field: ${target}s have none`,
      });
    } else if (definition.type === 'choice' && !definition.choices.includes(value))
      errors.push({
        path,
        message: `must be one of ${definition.choices.map((c) => JSON.stringify(c)).join(', ')}`,
      });
    else stored[name] = value;
  }
  if (check.required)
    for (const definition of definitions)
      if (definition.required && (given[definition.name] ?? '').trim() === '')
        errors.push({ path: `${check.at}.${definition.name}`, message: `is required (${definition.label})` });
  if (errors.length === 0) return ok(stored);
  return fail('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** Sign-up's two sets of values, both checked (every bad value named at once), required included. */
export async function checkSignUpFields(
  db: Db,
  given: { accountFields?: CustomFieldValues | undefined; developerFields?: CustomFieldValues | undefined },
): Promise<Result<{ account: CustomFieldValues; developer: CustomFieldValues }>> {
  const account = await checkCustomFields(db, 'account', given.accountFields, {
    at: 'body.accountFields',
    required: true,
  });
  const developer = await checkCustomFields(db, 'developer', given.developerFields, {
    at: 'body.developerFields',
    required: true,
  });
  if (account.ok && developer.ok) return ok({ account: account.value, developer: developer.value });
  const errors = [account, developer].flatMap((r) => (r.ok ? [] : (r.problem.errors ?? [])));
  return fail('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}

/** The values without blank ones, as they would be stored: for comparing a file with the store. */
export function withoutBlanks(values: CustomFieldValues): CustomFieldValues {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ''));
}
