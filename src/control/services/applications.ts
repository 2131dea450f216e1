// Applications: names unique within their account; deleting one deletes its keys and
// subscriptions. Custom field values are checked against the provider's application fields.
import { and, eq, ne } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { accounts, applications } from '../../store/schema/index.ts';
import type { Application, ApplicationCreate, ApplicationUpdate } from '../model/application.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { adminFieldCheck, checkCustomFields, type FieldCheck } from './custom-fields.ts';
import { findById } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof applications.$inferSelect;

export function toApplication(row: Row): Application {
  return {
    id: row.id,
    accountId: row.accountId,
    name: row.name,
    description: row.description,
    state: row.state,
    redirectUris: row.redirectUris,
    customFields: row.customFields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface ApplicationFilter {
  name?: string | undefined;
  accountId?: string | undefined;
  state?: Row['state'] | undefined;
}

export function listApplications(
  db: Db,
  filter: ApplicationFilter,
  page: PageRequest,
): Promise<Page<Application>> {
  return listPage(
    db,
    applications,
    [
      filter.name ? eq(applications.name, filter.name) : undefined,
      filter.accountId ? eq(applications.accountId, filter.accountId) : undefined,
      filter.state ? eq(applications.state, filter.state) : undefined,
    ],
    page,
    toApplication,
  );
}

export async function findApplication(db: Db, id: string): Promise<Row | undefined> {
  return isId('application', id) ? findById(db, applications, id) : undefined;
}

export async function getApplication(db: Db, id: string): Promise<Result<Application>> {
  const row = await findApplication(db, id);
  return row ? ok(toApplication(row)) : fail('not-found', `no application ${id}`);
}

export async function createApplication(
  db: Db,
  input: ApplicationCreate,
  check: FieldCheck = adminFieldCheck,
): Promise<Result<Application>> {
  if (!(await findById(db, accounts, input.accountId)))
    return fail('reference-not-found', `no account ${input.accountId}`);
  const taken = await nameTaken(db, input.accountId, input.name, undefined);
  if (taken) return taken;
  const customFields =
    input.customFields !== undefined || check.required
      ? await checkCustomFields(db, 'application', input.customFields, check)
      : ok({});
  if (!customFields.ok) return customFields;
  const row = only(
    await db
      .insert(applications)
      .values({
        id: newId('application'),
        accountId: input.accountId,
        name: input.name,
        description: input.description ?? '',
        state: input.state ?? 'active',
        redirectUris: input.redirectUris ?? [],
        customFields: customFields.value,
      })
      .returning(),
  );
  return ok(toApplication(row));
}

export async function updateApplication(
  db: Db,
  id: string,
  patch: ApplicationUpdate,
  check: FieldCheck = adminFieldCheck,
): Promise<Result<Application>> {
  const current = await findApplication(db, id);
  if (!current) return fail('not-found', `no application ${id}`);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, current.accountId, patch.name, current.id);
    if (taken) return taken;
  }
  const customFields =
    patch.customFields === undefined
      ? undefined
      : await checkCustomFields(db, 'application', patch.customFields, check);
  if (customFields && !customFields.ok) return customFields;
  const row = only(
    await db
      .update(applications)
      .set({ ...patch, ...(customFields && { customFields: customFields.value }), updatedAt: new Date() })
      .where(eq(applications.id, current.id))
      .returning(),
  );
  return ok(toApplication(row));
}

export async function deleteApplication(db: Db, id: string): Promise<Result<void>> {
  const current = await findApplication(db, id);
  if (!current) return fail('not-found', `no application ${id}`);
  await db.delete(applications).where(eq(applications.id, current.id));
  return ok(undefined);
}

async function nameTaken(
  db: Db,
  accountId: string,
  name: string,
  exceptId: string | undefined,
): Promise<Result<never> | undefined> {
  const [row] = await db
    .select({ id: applications.id })
    .from(applications)
    .where(
      and(
        eq(applications.accountId, accountId),
        eq(applications.name, name),
        exceptId ? ne(applications.id, exceptId) : undefined,
      ),
    );
  return row ? fail('conflict', `the account already has an application named ${name}`) : undefined;
}
