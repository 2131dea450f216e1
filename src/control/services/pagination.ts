// Keyset pagination by id: ids are time-ordered, so pages follow creation order and stay stable
// while rows are added. The cursor is the last id of the page, opaque to clients.
import { and, asc, gt, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db, Page, PageRequest } from './context.ts';

export function encodeCursor(id: string): string {
  return Buffer.from(id).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor ? Buffer.from(cursor, 'base64url').toString() : undefined;
}

/** True for what encodeCursor() produces: the id of a row. */
export function isCursor(cursor: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(cursor) && /^[a-z]{3}_[0-9a-z]{26}$/.test(decodeCursor(cursor) ?? '');
}

export async function listPage<Row extends { id: string }, T>(
  db: Db,
  table: PgTable & { id: PgColumn },
  where: (SQL | undefined)[],
  page: PageRequest,
  toApi: (row: Row) => T | Promise<T>,
): Promise<Page<T>> {
  const after = decodeCursor(page.cursor);
  const rows = (await db
    .select()
    .from(table)
    .where(and(...where, after ? gt(table.id, after) : undefined))
    .orderBy(asc(table.id))
    .limit(page.limit + 1)) as Row[];
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  return {
    data: await Promise.all(items.map(toApi)),
    next: more ? encodeCursor(items.at(-1)?.id ?? '') : null,
  };
}
