// The provider's extra fields: names unique per target. A field's values live on the accounts,
// developers or applications themselves, so renaming a field renames its stored values and
// deleting one deletes them (nothing is left that a later write would refuse as unknown).
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { accounts, applications, developers, portalFields } from '../../store/schema/index.ts';
import {
  choicesProblem,
  type FieldTarget,
  type PortalField,
  type PortalFieldCreate,
  type PortalFieldUpdate,
} from '../model/portal-field.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findById } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof portalFields.$inferSelect;

export function toPortalField(row: Row): PortalField {
  return {
    id: row.id,
    target: row.target,
    name: row.name,
    label: row.label,
    type: row.type,
    choices: row.choices,
    required: row.required,
    order: row.order,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listPortalFields(
  db: Db,
  filter: { target?: FieldTarget | undefined },
  page: PageRequest,
): Promise<Page<PortalField>> {
  return listPage(
    db,
    portalFields,
    [filter.target ? eq(portalFields.target, filter.target) : undefined],
    page,
    toPortalField,
  );
}

/** Every definition (of one target), in form order: by target, order, then name. */
export async function fieldDefinitions(db: Db, target?: FieldTarget): Promise<PortalField[]> {
  const rows = await db
    .select()
    .from(portalFields)
    .where(target ? eq(portalFields.target, target) : undefined)
    .orderBy(asc(portalFields.target), asc(portalFields.order), asc(portalFields.name));
  return rows.map(toPortalField);
}

async function findField(db: Db, id: string): Promise<Row | undefined> {
  return isId('field', id) ? findById(db, portalFields, id) : undefined;
}

export async function getPortalField(db: Db, id: string): Promise<Result<PortalField>> {
  const row = await findField(db, id);
  return row ? ok(toPortalField(row)) : fail('not-found', `no field ${id}`);
}

export async function createPortalField(db: Db, input: PortalFieldCreate): Promise<Result<PortalField>> {
  const taken = await nameTaken(db, input.target, input.name, undefined);
  if (taken) return taken;
  const row = only(
    await db
      .insert(portalFields)
      .values({
        id: newId('field'),
        target: input.target,
        name: input.name,
        label: input.label,
        type: input.type,
        choices: input.choices ?? [],
        required: input.required ?? false,
        order: input.order ?? 0,
      })
      .returning(),
  );
  return ok(toPortalField(row));
}

export async function updatePortalField(
  db: Db,
  id: string,
  patch: PortalFieldUpdate,
): Promise<Result<PortalField>> {
  const current = await findField(db, id);
  if (!current) return fail('not-found', `no field ${id}`);
  const type = patch.type ?? current.type;
  // Becoming a text field drops the choices unless the patch gives some (then it is refused).
  const choices = patch.choices ?? (patch.type === 'text' ? [] : current.choices);
  const problem = choicesProblem(type, choices);
  if (problem)
    return fail('validation-failed', `body.choices: ${problem}`, [
      { path: 'body.choices', message: problem },
    ]);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, current.target, patch.name, current.id);
    if (taken) return taken;
    await renameValues(db, current.target, current.name, patch.name);
  }
  const row = only(
    await db
      .update(portalFields)
      .set({ ...patch, choices, updatedAt: new Date() })
      .where(eq(portalFields.id, current.id))
      .returning(),
  );
  return ok(toPortalField(row));
}

export async function deletePortalField(db: Db, id: string): Promise<Result<void>> {
  const current = await findField(db, id);
  if (!current) return fail('not-found', `no field ${id}`);
  await db.delete(portalFields).where(eq(portalFields.id, current.id));
  const table = holders[current.target];
  await db
    .update(table)
    .set({ customFields: sql`${table.customFields} - ${current.name}::text` })
    .where(sql`${table.customFields} ? ${current.name}::text`);
  return ok(undefined);
}

const holders = { account: accounts, developer: developers, application: applications } as const;

async function renameValues(db: Db, target: FieldTarget, from: string, to: string): Promise<void> {
  const table = holders[target];
  await db
    .update(table)
    .set({
      customFields: sql`(${table.customFields} - ${from}::text) || jsonb_build_object(${to}::text, ${table.customFields} -> ${from}::text)`,
    })
    .where(sql`${table.customFields} ? ${from}::text`);
}

async function nameTaken(
  db: Db,
  target: FieldTarget,
  name: string,
  exceptId: string | undefined,
): Promise<Result<never> | undefined> {
  const [row] = await db
    .select({ id: portalFields.id })
    .from(portalFields)
    .where(
      and(
        eq(portalFields.target, target),
        eq(portalFields.name, name),
        exceptId ? ne(portalFields.id, exceptId) : undefined,
      ),
    );
  return row ? fail('conflict', `${target}s already have a field named ${name}`) : undefined;
}
