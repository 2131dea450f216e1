// Every write runs in one transaction that also bumps the configuration revision, so a change
// and its revision commit together; a failed result rolls the whole transaction back.
import { eq, sql } from 'drizzle-orm';
import { fail, type Result } from '../../shared/errors.ts';
import { configRevision } from '../../store/schema/index.ts';
import type { Db } from './context.ts';
import { checkRouting } from './routing.ts';
import { isUniqueViolation } from './store-errors.ts';

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
    // The services check uniqueness first; a violation here means a concurrent write won.
    if (isUniqueViolation(error))
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
