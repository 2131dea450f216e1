// The distributor: rebuilds coalesce, and a write committed by another control-plane process
// sharing the database reaches this one's gateway by polling the revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.ts';
import { openStore, type Store } from '../../store/db.ts';
import { createUpstream } from '../services/upstreams.ts';
import { write } from '../services/write.ts';
import { SnapshotDistributor } from './distributor.ts';

describe('snapshot distributor', () => {
  let database: TestDatabase;
  let here: Store;
  let elsewhere: Store;
  beforeAll(async () => {
    database = await createTestDatabase();
    here = await openStore({ databaseUrl: database.url });
    await here.migrate();
    // A second pool on the same database, as a second control-plane process would have.
    elsewhere = await openStore({ databaseUrl: database.url });
  });
  afterAll(async () => {
    await here.close();
    await elsewhere.close();
    await database.drop();
  });

  it('coalesces changes that arrive during a build into one more build', async () => {
    const distributor = new SnapshotDistributor(here.db, { pollMs: 0 });
    let builds = 0;
    distributor.on('snapshot', () => builds++);
    await Promise.all(Array.from({ length: 20 }, () => distributor.changed()));
    expect(builds).toBeGreaterThanOrEqual(1);
    expect(builds).toBeLessThanOrEqual(2);
    distributor.close();
  });

  it("publishes another process's write within a poll interval", async () => {
    const distributor = new SnapshotDistributor(here.db, { pollMs: 100 });
    await distributor.changed();
    const before = distributor.latest?.version ?? -1;
    const published = new Promise<number>((resolve) =>
      distributor.once('snapshot', (s) => resolve(s.version)),
    );
    const created = await write(elsewhere.db, (tx) =>
      createUpstream(tx, { name: 'from-elsewhere', targets: [{ url: 'http://127.0.0.1:9' }] }),
    );
    expect(created.ok).toBe(true);
    expect(await published).toBe(before + 1);
    expect(distributor.latest?.upstreams.map((u) => u.name)).toContain('from-elsewhere');
    distributor.close();
  });
});
