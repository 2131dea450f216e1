// What the snapshot tells gateways about metering, on both stores: plans that limit or disable
// metrics, the subscription behind each grant, route deltas and metric parents; in a stable
// order, and in a shape the gateway's own schema accepts; nothing of what only the portal shows.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../../test/support/databases.ts';
import { snapshotSchema } from '../../gateway/snapshot/schema.ts';
import type { Snapshot } from '../../gateway/snapshot/types.ts';
import type { Store } from '../../store/db.ts';
import { apis, plans, routes, subscriptions } from '../../store/schema/index.ts';
import { applyDocument } from '../declarative/apply.ts';
import type { ConfigDocument } from '../declarative/document.ts';
import { buildSnapshot } from './build-snapshot.ts';

const document: ConfigDocument = {
  upstreams: [{ name: 'echo', targets: [{ url: 'http://127.0.0.1:9000' }] }],
  apis: [
    {
      name: 'weather',
      basePath: '/weather/v1',
      upstream: 'echo',
      metrics: [
        { name: 'forecast', parent: 'reads' },
        { name: 'alerts', parent: 'reads' },
        { name: 'reads', parent: 'hits' },
      ],
      routes: [
        { name: 'forecast', methods: ['GET'], path: '/forecast', metric: 'forecast' },
        { name: 'bulk', methods: ['POST'], path: '/bulk', metric: 'writes', delta: 25 },
      ],
    },
  ],
  products: [
    {
      name: 'weather',
      apis: ['weather'],
      plans: [
        { name: 'open' },
        {
          name: 'trial',
          default: true,
          limits: [{ metric: 'hits', period: 'month', max: 100 }],
          disabledMetrics: ['writes', 'admin'],
        },
        {
          name: 'public',
          limits: [
            { metric: 'forecast', period: 'minute', max: 60 },
            { metric: 'forecast', period: 'minute', max: 10, per: 'end-user' },
          ],
        },
      ],
    },
  ],
  accounts: [
    {
      name: 'acme',
      applications: [{ name: 'acme-app', subscriptions: [{ product: 'weather', plan: 'trial' }] }],
    },
  ],
};

describe.each(storeKinds)('snapshot of plans and metrics on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  beforeEach(() => resetStore(store));
  afterAll(() => store.close());

  const applied = async () => {
    const result = await applyDocument(store.db, document);
    if (!result.ok) throw new Error(result.problem.detail);
  };
  const planId = async (name: string) =>
    (await store.db.select({ id: plans.id }).from(plans).where(eq(plans.name, name)))[0]?.id ?? '';

  it('carries limiting plans, the granting subscription, deltas other than 1 and declared parents', async () => {
    await applied();
    const snapshot = await buildSnapshot(store.db);
    const [trial, open, pub] = [await planId('trial'), await planId('open'), await planId('public')];
    expect(snapshot.plans).toEqual(
      [
        {
          id: trial,
          limits: [{ metric: 'hits', period: 'month', max: 100, per: 'subscription' }],
          disabledMetrics: ['admin', 'writes'],
        },
        {
          id: pub,
          limits: [
            { metric: 'forecast', period: 'minute', max: 60, per: 'subscription' },
            { metric: 'forecast', period: 'minute', max: 10, per: 'end-user' },
          ],
          disabledMetrics: [],
        },
      ].sort((a, b) => (a.id < b.id ? -1 : 1)),
    );
    expect(snapshot.plans?.map((p) => p.id)).not.toContain(open);

    const [sub] = await store.db.select({ id: subscriptions.id }).from(subscriptions);
    const api = snapshot.apis[0];
    expect(snapshot.applications[0]?.grants).toEqual([
      { apiId: api?.id, planId: trial, subscriptionId: sub?.id },
    ]);
    expect(api?.routes.map(({ name, metric, delta }) => ({ name, metric, delta }))).toEqual(
      expect.arrayContaining([
        { name: 'forecast', metric: 'forecast', delta: undefined },
        { name: 'bulk', metric: 'writes', delta: 25 },
      ]),
    );
    expect(api?.routes.find((r) => r.name === 'forecast')).not.toHaveProperty('delta');
    // `reads → hits` is what any metric has without saying so.
    expect(api?.metrics).toEqual([
      { name: 'alerts', parent: 'reads' },
      { name: 'forecast', parent: 'reads' },
    ]);
    expect(snapshotSchema.parse(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
  });

  it('leaves out what has no metering: no plans entry, no metrics, no deltas', async () => {
    const bare: ConfigDocument = {
      upstreams: document.upstreams ?? [],
      apis: [{ name: 'bare', basePath: '/bare', upstream: 'echo', routes: [{ name: 'all', path: '/*' }] }],
      products: [{ name: 'bare', apis: ['bare'], plans: [{ name: 'free' }] }],
    };
    const result = await applyDocument(store.db, bare);
    expect(result.ok).toBe(true);
    const snapshot = await buildSnapshot(store.db);
    expect(snapshot.plans).toEqual([]);
    expect(snapshot.apis[0]).not.toHaveProperty('metrics');
    expect(snapshot.apis[0]?.routes[0]).not.toHaveProperty('delta');
  });

  it('gives the same snapshot for the same configuration, whatever order the store returns rows in', async () => {
    await applied();
    const before = await buildSnapshot(store.db);
    // Rewriting rows moves them in PostgreSQL's heap, so an unordered read would return them
    // in another order.
    await store.db.update(routes).set({ updatedAt: new Date() }).where(eq(routes.name, 'forecast'));
    await store.db.update(plans).set({ updatedAt: new Date() }).where(eq(plans.name, 'trial'));
    const after = await buildSnapshot(store.db);
    const stable = ({ createdAt: _c, ...rest }: Snapshot) => rest;
    expect(stable(after)).toEqual(stable(before));
    expect(JSON.stringify(stable(after))).toBe(JSON.stringify(stable(before)));
  });

  it("carries none of the portal's fields: not the overview, OpenAPI document or changelog", async () => {
    await applied();
    const plain = await buildSnapshot(store.db);
    await store.db
      .update(apis)
      .set({
        version: 'v1',
        visibility: 'partner',
        lifecycle: 'deprecated',
        overview: '# Weather\n\nForecasts.',
        openapi: { openapi: '3.1.0', info: { title: 'Weather', version: '1.0.0' }, paths: {} },
        changelog: '## 1.0.0\n\nFirst.',
      })
      .where(eq(apis.name, 'weather'));
    const described = await buildSnapshot(store.db);
    const stable = ({ createdAt: _c, ...rest }: Snapshot) => rest;
    expect(stable(described)).toEqual(stable(plain));
    const text = JSON.stringify(described);
    for (const word of ['overview', 'openapi', 'changelog', 'Forecasts', 'partner', 'deprecated'])
      expect(text).not.toContain(word);
  });
});
