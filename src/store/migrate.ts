// Runs the SQL migrations in src/store/migrations (written by drizzle-kit). On PostgreSQL an
// advisory lock makes concurrent control-plane processes take turns.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateWithPg } from 'drizzle-orm/node-postgres/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { migrate as migrateWithPglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed number; it only has to be the same in every Turnpike process.
const migrationLockId = 7_310_226_001;

export async function migratePglite<T extends Record<string, unknown>>(db: PgliteDatabase<T>): Promise<void> {
  await migrateWithPglite(db, { migrationsFolder });
}

export async function migratePostgres(databaseUrl: string): Promise<void> {
  // The lock is per session, so it and the migration must share one connection.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const db = drizzlePg(client);
    await db.execute(sql`select pg_advisory_lock(${migrationLockId})`);
    try {
      await migrateWithPg(db, { migrationsFolder });
    } finally {
      await db.execute(sql`select pg_advisory_unlock(${migrationLockId})`);
    }
  } finally {
    await client.end();
  }
}
