// Finding a row by id, or by name where names are unique, so URLs accept either
// (`/apis/api_01j…` and `/apis/weather`), as Kong's admin API does.
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { type IdKind, isId } from '../../shared/ids.ts';
import type { Db } from './context.ts';

type Named = PgTable & { id: PgColumn; name: PgColumn };

export async function findByIdOrName<T extends Named>(
  db: Db,
  table: T,
  kind: IdKind,
  idOrName: string,
): Promise<T['$inferSelect'] | undefined> {
  const column = isId(kind, idOrName) ? table.id : table.name;
  const [row] = await db
    .select()
    .from(table as PgTable)
    .where(eq(column, idOrName));
  return row as T['$inferSelect'] | undefined;
}

export async function findById<T extends PgTable & { id: PgColumn }>(
  db: Db,
  table: T,
  id: string,
): Promise<T['$inferSelect'] | undefined> {
  const [row] = await db
    .select()
    .from(table as PgTable)
    .where(eq(table.id, id));
  return row as T['$inferSelect'] | undefined;
}
