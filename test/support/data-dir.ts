// Looks inside the data directory of a stopped Turnpike: its rows, through the same store code,
// and its raw files, to check that a secret never reached the disk.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { openStore } from '../../src/store/db.ts';
import * as schema from '../../src/store/schema/index.ts';

export type Rows = Record<string, Record<string, unknown>[]>;

/** Every row of every table, keyed by table name (the data dir must not be in use). */
export async function readAllRows(dataDir: string): Promise<Rows> {
  const store = await openStore({ dataDir });
  try {
    const rows: Rows = {};
    for (const table of Object.values(schema)) {
      if (!is(table, PgTable)) continue;
      rows[getTableName(table)] = (await store.db.select().from(table)) as Record<string, unknown>[];
    }
    return rows;
  } finally {
    await store.close();
  }
}

/** Those of `texts` that occur in the bytes of some file under `dir` (each file is read once). */
export function foundInFiles(dir: string, texts: readonly string[]): string[] {
  const needles = texts.map((text) => Buffer.from(text));
  const found = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    for (const [i, needle] of needles.entries()) if (bytes.includes(needle)) found.add(texts[i] as string);
  }
  return texts.filter((text) => found.has(text));
}
