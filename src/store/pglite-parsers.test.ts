// Dates, intervals and their arrays through drizzle come back alike on the embedded database and
// on PostgreSQL, outside and inside transactions and savepoints, with drizzle's parsers installed
// once in the PGlite client; a query asking for just those does not hand them to PGlite again,
// and other parsers a query asks for still apply.
import { PGlite, types } from '@electric-sql/pglite';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../test/support/databases.ts';
import type { Db, Store } from './db.ts';
import { drizzleParsers, installDrizzleParsers } from './pglite-parsers.ts';
import { usageBatches } from './schema/index.ts';

const dates = sql`select '2026-11-22 10:00:00'::timestamp as ts, '2026-11-22'::date as d,
  '1 hour 30 minutes'::interval as i, '2026-11-22T10:00:00Z'::timestamptz at time zone 'UTC' as utc,
  '{2026-11-22,2026-11-23}'::date[] as ds, '{1.50,2}'::numeric[] as ns, 7::int4 as n`;
const asText = {
  ts: '2026-11-22 10:00:00',
  d: '2026-11-22',
  i: '01:30:00',
  utc: '2026-11-22 10:00:00',
  ds: '{2026-11-22,2026-11-23}',
  ns: '{1.50,2}',
  n: 7,
};

async function rowsOf(db: Db): Promise<unknown[]> {
  const result = (await db.execute(dates)) as unknown as { rows: unknown[] };
  return result.rows;
}

describe.each(storeKinds)('dates on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
    await resetStore(store);
  });
  afterAll(() => store.close());

  it('come back as the database wrote them, in and out of transactions and savepoints', async () => {
    expect(await rowsOf(store.db)).toEqual([asText]);
    const inside = await store.db.transaction(async (tx) => {
      const outer = await rowsOf(tx as unknown as Db);
      const nested = await tx.transaction(async (savepoint) => rowsOf(savepoint as unknown as Db));
      return [...outer, ...nested];
    });
    expect(inside).toEqual([asText, asText]);
  });

  it('map a timestamp column to the same Date', async () => {
    const receivedAt = new Date('2026-11-22T10:00:00.123Z');
    await store.db.insert(usageBatches).values({ id: 'batch-dates', receivedAt });
    const [row] = await store.db.select().from(usageBatches).where(eq(usageBatches.id, 'batch-dates'));
    expect(row?.receivedAt).toEqual(receivedAt);
    const [inTx] = await store.db.transaction((tx) =>
      tx.select().from(usageBatches).where(eq(usageBatches.id, 'batch-dates')),
    );
    expect(inTx?.receivedAt).toEqual(receivedAt);
  });
});

describe("a PGlite client with drizzle's parsers installed", () => {
  let client: PGlite;
  const asked: unknown[] = [];
  beforeAll(async () => {
    client = await PGlite.create();
    // Records what reaches PGlite's own query, below the patch.
    const query = client.query.bind(client);
    client.query = ((text: string, params?: unknown[], options?: unknown) => {
      asked.push(options);
      return query(text, params, options as never);
    }) as typeof client.query;
    installDrizzleParsers(client);
  });
  afterAll(() => client.close());

  it('is not handed them again, and keeps the rest of the options', async () => {
    asked.length = 0;
    const result = await client.query<unknown[]>("select '2026-11-22'::date, '{2026-11-22}'::date[]", [], {
      rowMode: 'array',
      parsers: { ...drizzleParsers },
    });
    expect(result.rows).toEqual([['2026-11-22', '{2026-11-22}']]);
    expect(asked).toEqual([{ rowMode: 'array' }]);
  });

  it('still applies a parser it does not have, in a transaction too', async () => {
    const tagged = { parsers: { [types.INT4]: (value: string) => `int:${value}` } };
    expect((await client.query('select 1::int4 as n', [], tagged)).rows).toEqual([{ n: 'int:1' }]);
    const inTx = await client.transaction((tx) => tx.query('select 2::int4 as n', [], tagged));
    expect(inTx.rows).toEqual([{ n: 'int:2' }]);
  });
});
