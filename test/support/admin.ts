// An admin API over a throwaway store, driven with Fastify's inject (no sockets), for tests of
// the control plane's HTTP behaviour.
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import type { AdminContext } from '../../src/control/admin-api/context.ts';
import { createAdminApi } from '../../src/control/admin-api/server.ts';
import { SnapshotDistributor } from '../../src/control/sync/distributor.ts';
import { hashSecret } from '../../src/shared/secrets.ts';
import type { Store } from '../../src/store/db.ts';
import { openTestStore, type StoreKind } from './databases.ts';

export const testAdminToken = 'test-admin-token-0123456789';

export interface AdminHarness {
  app: FastifyInstance;
  store: Store;
  distributor: SnapshotDistributor;
  call(
    method: string,
    url: string,
    body?: unknown,
    // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  ): Promise<{ status: number; body: any; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** `mail`: the outbox the admin API reads (none unless given). */
export async function startAdmin(
  kind: StoreKind,
  options: { mail?: AdminContext['mail'] } = {},
): Promise<AdminHarness> {
  const store = await openTestStore(kind);
  const distributor = new SnapshotDistributor(store.db, { pollMs: 0 });
  const app = await createAdminApi({
    db: store.db,
    logger: pino({ level: 'silent' }),
    store: store.kind,
    envTokenHash: hashSecret(testAdminToken),
    changed: () => distributor.changed(),
    snapshotVersion: () => distributor.latest?.version,
    mail: options.mail,
  });
  return {
    app,
    store,
    distributor,
    async call(method, url, body) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${testAdminToken}` },
        ...(body !== undefined && { payload: body as object }),
      });
      return {
        status: response.statusCode,
        body: response.body ? response.json() : undefined,
        headers: response.headers,
      };
    },
    async close() {
      distributor.close();
      await app.close();
      await store.close();
    },
  };
}
