// Accounts: names unique; deleting one deletes its applications, keys and subscriptions. Custom
// field values are checked against the provider's account fields.
import { eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { accounts } from '../../store/schema/index.ts';
import type { Account, AccountCreate, AccountUpdate } from '../model/account.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { adminFieldCheck, checkCustomFields, type FieldCheck } from './custom-fields.ts';
import { findByIdOrName } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof accounts.$inferSelect;

export function toAccount(row: Row): Account {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    state: row.state,
    tier: row.tier,
    customFields: row.customFields,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listAccounts(
  db: Db,
  filter: { name?: string | undefined; state?: Row['state'] | undefined },
  page: PageRequest,
): Promise<Page<Account>> {
  return listPage(
    db,
    accounts,
    [
      filter.name ? eq(accounts.name, filter.name) : undefined,
      filter.state ? eq(accounts.state, filter.state) : undefined,
    ],
    page,
    toAccount,
  );
}

export async function getAccount(db: Db, idOrName: string): Promise<Result<Account>> {
  const row = await findByIdOrName(db, accounts, 'account', idOrName);
  return row ? ok(toAccount(row)) : fail('not-found', `no account ${idOrName}`);
}

export async function createAccount(
  db: Db,
  input: AccountCreate,
  check: FieldCheck = adminFieldCheck,
): Promise<Result<Account>> {
  const taken = await nameTaken(db, input.name);
  if (taken) return taken;
  const customFields =
    input.customFields !== undefined || check.required
      ? await checkCustomFields(db, 'account', input.customFields, check)
      : ok({});
  if (!customFields.ok) return customFields;
  const row = only(
    await db
      .insert(accounts)
      .values({
        id: newId('account'),
        name: input.name,
        email: input.email ?? null,
        state: input.state ?? 'approved',
        tier: input.tier ?? 'standard',
        customFields: customFields.value,
      })
      .returning(),
  );
  return ok(toAccount(row));
}

export async function updateAccount(
  db: Db,
  id: string,
  patch: AccountUpdate,
  check: FieldCheck = adminFieldCheck,
): Promise<Result<Account>> {
  const current = await findByIdOrName(db, accounts, 'account', id);
  if (!current) return fail('not-found', `no account ${id}`);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, patch.name);
    if (taken) return taken;
  }
  const customFields =
    patch.customFields === undefined
      ? undefined
      : await checkCustomFields(db, 'account', patch.customFields, check);
  if (customFields && !customFields.ok) return customFields;
  const row = only(
    await db
      .update(accounts)
      .set({ ...patch, ...(customFields && { customFields: customFields.value }), updatedAt: new Date() })
      .where(eq(accounts.id, current.id))
      .returning(),
  );
  return ok(toAccount(row));
}

export async function deleteAccount(db: Db, id: string): Promise<Result<void>> {
  const current = await findByIdOrName(db, accounts, 'account', id);
  if (!current) return fail('not-found', `no account ${id}`);
  await db.delete(accounts).where(eq(accounts.id, current.id));
  return ok(undefined);
}

async function nameTaken(db: Db, name: string): Promise<Result<never> | undefined> {
  const [row] = await db.select({ id: accounts.id }).from(accounts).where(eq(accounts.name, name));
  return row ? fail('conflict', `an account named ${name} already exists`) : undefined;
}
