import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../test/support/databases.ts';
import { openStore, type Store } from './db.ts';
import { configRevision, upstreams } from './schema/index.ts';

describe.each(storeKinds)('store on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(() => store.close());

  it('migrates to the current schema and starts at revision 0', async () => {
    const [row] = await store.db.select().from(configRevision);
    expect(row).toEqual({ id: 1, revision: 0 });
    await store.db
      .insert(upstreams)
      .values({ id: 'ups_1', name: 'echo', targets: [{ url: 'http://x', weight: 1 }] });
    const [up] = await store.db.select().from(upstreams).where(eq(upstreams.name, 'echo'));
    expect(up?.targets).toEqual([{ url: 'http://x', weight: 1 }]);
    // Running the migrations again is a no-op.
    await store.migrate();
  });

  it('rolls back a failed transaction whole', async () => {
    await resetStore(store);
    await expect(
      store.db.transaction(async (tx) => {
        await tx.insert(upstreams).values({ id: 'ups_a', name: 'a', targets: [] });
        await tx.insert(upstreams).values({ id: 'ups_b', name: 'a', targets: [] }); // duplicate name
      }),
    ).rejects.toThrow();
    expect(await store.db.select().from(upstreams)).toEqual([]);
  });
});

describe('embedded store on disk', () => {
  const dir = mkdtempSync(join(tmpdir(), 'turnpike-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps data across reopen and refuses a second opener', async () => {
    const first = await openStore({ dataDir: dir });
    await first.migrate();
    await first.db.insert(upstreams).values({ id: 'ups_1', name: 'kept', targets: [] });
    await expect(openStore({ dataDir: dir })).rejects.toThrow(/in use by another Turnpike process/);
    await first.close();
    const second = await openStore({ dataDir: dir });
    await second.migrate();
    expect((await second.db.select().from(upstreams)).map((u) => u.name)).toEqual(['kept']);
    await second.close();
  });
});
