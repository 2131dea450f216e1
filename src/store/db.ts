// Opens the store: embedded PGlite in the data dir by default, PostgreSQL when a URL is given.
// Both speak the same SQL, use the same schema and run the same migrations (ADR 0001).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { acquireDataDirLock } from './lock.ts';
import { migratePglite, migratePostgres } from './migrate.ts';
import { installDrizzleParsers } from './pglite-parsers.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export interface Store {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for people: a directory or a URL without its password. */
  location: string;
  /** Brings the schema up to date; safe to run from several processes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… ; when absent the embedded database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  /** Directory for the embedded database; `undefined` with no URL means in memory (tests). */
  dataDir?: string | undefined;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Store> {
  let release = async () => {};
  let client: PGlite;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = await acquireDataDirLock(dataDir);
    try {
      client = await PGlite.create(join(dataDir, 'pgdata'));
    } catch (error) {
      await release();
      throw error;
    }
  } else {
    client = await PGlite.create();
  }
  installDrizzleParsers(client);
  const pgliteDb = drizzlePglite(client, { schema });
  return {
    db: pgliteDb as unknown as Db,
    migrate: () => migratePglite(pgliteDb),
    kind: 'pglite',
    location: dataDir ? join(dataDir, 'pgdata') : 'memory',
    async close() {
      await client.close();
      await release();
    },
  };
}

async function openPostgres(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // Fail at start, with the server's message, rather than on the first request.
  const probe = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  probe.release();
  // A broken idle connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    location: redactUrl(url),
    migrate: () => migratePostgres(url),
    close: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparseable url)';
  }
}
