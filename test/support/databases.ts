// Throwaway databases for tests: PGlite in memory, or a fresh database on the PostgreSQL server
// of the development machine (dropped afterwards), so suites never see each other's rows.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/db.ts';

export const testPostgresUrl =
  process.env.TURNPIKE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const storeKinds = ['pglite', 'postgres'] as const;
export type StoreKind = (typeof storeKinds)[number];

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `turnpike_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: testPostgresUrl });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** A migrated, empty store of the given kind; `close()` also drops the PostgreSQL database. */
export async function openTestStore(kind: StoreKind): Promise<Store> {
  if (kind === 'pglite') {
    const store = await openStore({});
    await store.migrate();
    return store;
  }
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url });
  await store.migrate();
  return {
    ...store,
    async close() {
      await store.close();
      await database.drop();
    },
  };
}

/** Empties every table and resets the revision, so one store serves many tests quickly. */
export async function resetStore(store: Store): Promise<void> {
  await store.db.execute(
    sql.raw(
      'truncate accounts, admin_tokens, api_keys, apis, applications, end_users, identity_providers, oauth_scopes, plans, portal_branding, portal_fields, portal_pages, product_apis, products, routes, subscriptions, upstreams, usage_batches, usage_counts, analytics_minutes, analytics_hours, analytics_days, request_log, alert_rules, alert_states, alert_events cascade',
    ),
  );
  await store.db.execute(sql.raw('update config_revision set revision = 0'));
}
