// Reads that must see every table as of one moment (a snapshot, an export): one read-only
// repeatable-read transaction, so a concurrent write is either wholly in or wholly out.
import { sql } from 'drizzle-orm';
import type { Db } from './context.ts';

export function consistentRead<T>(db: Db, read: (tx: Db) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`set transaction isolation level repeatable read read only`);
    return read(tx as unknown as Db);
  });
}
