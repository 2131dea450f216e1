// Every write runs in one transaction that also bumps the configuration revision, so a change
// and its revision commit together; a failed result rolls the whole transaction back.
//
// Writes take turns: each first locks the revision row, so the rules a service checks (a name
// is free, one open subscription per product, the gateway can place every route) cannot be
// broken by another write committing in between, in this process or another one sharing the
// database. Configuration writes are rare; the cost is that they never run in parallel.
import { eq, sql } from 'drizzle-orm';
import { fail, type Result } from '../../shared/errors.ts';
import { configRevision } from '../../store/schema/index.ts';
import type { Db } from './context.ts';
import { checkRouting } from './routing.ts';
import { isForeignKeyViolation, isUniqueViolation } from './store-errors.ts';

class Rollback {
  readonly result: Result<never>;
  constructor(result: Result<never>) {
    this.result = result;
  }
}

export interface WriteOptions {
  /** Roll back even on success, as for a dry run. */
  dryRun?: boolean;
  /** Leave the revision alone when the write turned out to change nothing. */
  changed?: (value: unknown) => boolean;
  /** The write may have moved routes: check that the gateway can still place all of them. */
  checkRoutes?: boolean;
}

export async function write<T>(
  db: Db,
  work: (tx: Db) => Promise<Result<T>>,
  options: WriteOptions = {},
): Promise<Result<T>> {
  try {
    return await db.transaction(async (tx) => {
      await tx
        .select({ id: configRevision.id })
        .from(configRevision)
        .where(eq(configRevision.id, 1))
        .for('update');
      const result = await work(tx as unknown as Db);
      if (!result.ok) throw new Rollback(result);
      const conflict = options.checkRoutes ? await checkRouting(tx as unknown as Db) : undefined;
      if (conflict) throw new Rollback(conflict);
      if (options.dryRun) throw new Rollback(result as unknown as Result<never>);
      if (!options.changed || options.changed(result.value)) await bumpRevision(tx as unknown as Db);
      return result;
    });
  } catch (error) {
    if (error instanceof Rollback) return error.result;
    // The services check first and writes take turns; a violation here means a write that did
    // not go through write() (another version of Turnpike, a person with psql) got in between.
    if (isUniqueViolation(error) || isForeignKeyViolation(error))
      return fail('conflict', 'a concurrent change conflicts with this one; try again');
    throw error;
  }
}

async function bumpRevision(db: Db): Promise<void> {
  await db
    .update(configRevision)
    .set({ revision: sql`${configRevision.revision} + 1` })
    .where(eq(configRevision.id, 1));
}

export async function currentRevision(db: Db): Promise<number> {
  const [row] = await db.select({ revision: configRevision.revision }).from(configRevision);
  return row?.revision ?? 0;
}
