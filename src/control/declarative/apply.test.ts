// Declarative apply and export on both stores: round trips, transactional failure, the rules
// for omitted fields and lists (ADR 0004), pruning, keys and credentials.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../../test/support/databases.ts';
import { formatPath, type Result } from '../../shared/errors.ts';
import { isSealed, seal, unseal } from '../../shared/sealed.ts';
import {
  generateApiKey,
  generateBasicPassword,
  generateHmacSecret,
  hashSecret,
} from '../../shared/secrets.ts';
import type { Store } from '../../store/db.ts';
import { auditEvents } from '../../store/schema/index.ts';
import { getAccount } from '../services/accounts.ts';
import { getApi, updateApi } from '../services/apis.ts';
import type { AuditActor } from '../services/audit.ts';
import { getKey } from '../services/keys.ts';
import { credentialSealingKey, platformSecret } from '../services/platform-secrets.ts';
import { getRoute } from '../services/routes.ts';
import { currentRevision } from '../services/write.ts';
import { buildSnapshot } from '../sync/build-snapshot.ts';
import { applyDocument } from './apply.ts';
import { type ConfigDocument, configDocument, type IdentityProviderEntry } from './document.ts';
import { exportDocument } from './export.ts';

const key = generateApiKey('test');
const password = generateBasicPassword();
const fingerprint = `${'AB:'.repeat(31)}CD`;
const normalized = `${'ab'.repeat(31)}cd`;
const ecPublic = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
const ecJwk = { kty: 'EC' as const, crv: 'P-256' as const, x: ecPublic.x ?? '', y: ecPublic.y ?? '' };

async function found<T>(result: Promise<Result<T>>): Promise<T> {
  const got = await result;
  if (!got.ok) throw new Error(got.problem.detail);
  return got.value;
}

function example(): ConfigDocument {
  return {
    upstreams: [{ name: 'echo', targets: [{ url: 'http://127.0.0.1:9000', weight: 100 }] }],
    apis: [
      {
        name: 'weather',
        basePath: '/weather/v1',
        upstream: 'echo',
        keyless: false,
        routes: [{ name: 'forecast', methods: ['GET'], path: '/forecast', metric: 'forecast' }],
      },
    ],
    products: [
      {
        name: 'weather',
        apis: ['weather'],
        plans: [
          {
            name: 'trial',
            default: true,
            approval: 'auto',
            limits: [
              { metric: 'hits', period: 'minute', max: 10 },
              { metric: 'hits', period: 'month', max: 100 },
            ],
          },
        ],
      },
    ],
    accounts: [
      {
        name: 'acme',
        applications: [
          { name: 'acme-app', subscriptions: [{ product: 'weather', plan: 'trial' }], keys: [{ key }] },
        ],
      },
    ],
  };
}

describe.each(storeKinds)('declarative apply on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  beforeEach(() => resetStore(store));
  afterAll(() => store.close());

  const apply = async (doc: ConfigDocument, options = {}) => {
    const result = await applyDocument(store.db, doc, options);
    if (!result.ok) throw new Error(result.problem.detail);
    return result.value.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);
  };

  it('applies the DESIGN.md example, exports it with hashes, and re-applies it as a no-op', async () => {
    const changes = await apply(example());
    expect(changes).toEqual([
      'create upstream echo',
      'create api weather',
      'create route weather/forecast',
      'create product weather',
      'create plan weather/trial',
      'create account acme',
      'create application acme/acme-app',
      'create subscription acme/acme-app@weather/trial',
      `create key acme/acme-app/${key.slice(0, 12)}`,
    ]);
    const exported = await exportDocument(store.db);
    const keys = exported.accounts?.[0]?.applications?.[0]?.keys;
    expect(keys).toEqual([{ hash: hashSecret(key), prefix: key.slice(0, 12) }]);
    expect(JSON.stringify(exported)).not.toContain(key);
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(example())).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);
  });

  it('changes nothing when a late step fails, and names the path', async () => {
    await apply(example());
    const before = await exportDocument(store.db);
    const doc = example();
    doc.upstreams?.push({ name: 'second', targets: [{ url: 'http://127.0.0.1:9001' }] });
    // Valid on its own, refused by the subscription rules at the very end: a closed plan.
    doc.products?.[0]?.plans?.push({ name: 'old', state: 'closed' });
    doc.accounts?.push({
      name: 'late',
      applications: [{ name: 'a', subscriptions: [{ product: 'weather', plan: 'old' }] }],
    });
    const result = await applyDocument(store.db, doc);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.code).toBe('config-invalid');
      expect(result.problem.errors?.[0]?.path).toBe('accounts[1].applications[0].subscriptions[0]');
    }
    expect(await exportDocument(store.db)).toEqual(before);
  });

  it('reports every reference and duplicate problem with its path before writing', async () => {
    const result = await applyDocument(store.db, {
      upstreams: [
        { name: 'u', targets: [{ url: 'http://x.test' }] },
        { name: 'u', targets: [{ url: 'http://y.test' }] },
      ],
      apis: [
        {
          name: 'a',
          basePath: '/a',
          upstream: 'missing',
          routes: [
            { name: 'r', path: '/x' },
            { name: 's', path: '/x' },
          ],
        },
      ],
      products: [{ name: 'p', apis: ['nope'] }],
      accounts: [
        { name: 'c', applications: [{ name: 'app', subscriptions: [{ product: 'p', plan: 'gold' }] }] },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.errors?.map((e) => e.path)).toEqual([
        'upstreams[1].name',
        'apis[0].upstream',
        'apis[0].routes[1].path',
        'products[0].apis[0]',
        'accounts[0].applications[0].subscriptions[0].plan',
      ]);
    }
    expect(await exportDocument(store.db)).toEqual({
      upstreams: [],
      policies: [],
      apis: [],
      products: [],
      accounts: [],
    });
  });

  it('checks routes on the final state: swaps work, clashes with APIs outside the file name both', async () => {
    await apply(example());
    const swap = example();
    const api = swap.apis?.[0];
    if (api) {
      api.routes = [
        { name: 'forecast', methods: ['GET'], path: '/alerts' },
        { name: 'alerts', methods: ['GET'], path: '/forecast' },
      ];
    }
    expect(await apply(swap)).toEqual(['update route weather/forecast', 'create route weather/alerts']);
    const result = await applyDocument(store.db, {
      apis: [
        {
          name: 'shadow',
          basePath: '/weather',
          upstream: 'echo',
          routes: [{ name: 'f', methods: ['GET'], path: '/v1/alerts' }],
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem.errors).toEqual([
        {
          path: 'apis[0].routes[0].path',
          message:
            'route f of API shadow and route forecast of API weather match the same requests (for GET)',
        },
      ]);
    }
    expect((await exportDocument(store.db)).apis?.map((a) => a.name)).toEqual(['weather']);
  });

  it('treats a present nested list as exact and an absent one as untouched', async () => {
    await apply(example());
    const doc = example();
    const api = doc.apis?.[0];
    if (api) api.routes = [{ name: 'alerts', path: '/alerts' }];
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app) delete app.keys;
    expect(await apply(doc)).toEqual(['delete route weather/forecast', 'create route weather/alerts']);
    const exported = await exportDocument(store.db);
    expect(exported.accounts?.[0]?.applications?.[0]?.keys).toHaveLength(1);
  });

  it('keeps the current state of existing objects when the file omits it', async () => {
    await apply(example());
    const suspended = example();
    const account = suspended.accounts?.[0];
    if (account) account.state = 'suspended';
    expect(await apply(suspended)).toEqual(['update account acme']);
    expect(await apply(example())).toEqual([]);
    expect((await exportDocument(store.db)).accounts?.[0]?.state).toBe('suspended');
  });

  it('prunes top-level objects the file does not name only when asked', async () => {
    await apply(example());
    const onlyUpstream: ConfigDocument = { upstreams: example().upstreams ?? [] };
    expect(await apply(onlyUpstream)).toEqual([]);
    expect(await apply(onlyUpstream, { prune: true })).toEqual([
      'delete account acme',
      'delete product weather',
      'delete api weather',
    ]);
    expect(await exportDocument(store.db)).toEqual({
      upstreams: [{ name: 'echo', targets: [{ url: 'http://127.0.0.1:9000', weight: 100 }] }],
      policies: [],
      apis: [],
      products: [],
      accounts: [],
    });
  });

  it('records one audit event per object changed, before and after as GET shows them, after the summary', async () => {
    const actor: AuditActor = {
      kind: 'env-token',
      id: null,
      name: 'ci',
      role: 'editor',
      via: 'cli',
      requestId: null,
      clientIp: null,
    };
    const doc = (description: string, revoked = false): ConfigDocument => ({
      upstreams: [{ name: 'echo', targets: [{ url: 'http://127.0.0.1:9000' }] }],
      apis: [
        {
          name: 'weather',
          description,
          basePath: '/weather/v1',
          upstream: 'echo',
          routes: [{ name: 'forecast', path: '/forecast' }],
        },
      ],
      accounts: [
        { name: 'acme', applications: [{ name: 'app', keys: [revoked ? { key, revoked } : { key }] }] },
      ],
    });
    const events = () => store.db.select().from(auditEvents);

    expect(await apply(doc('Forecasts'), { actor, dryRun: true })).toHaveLength(6);
    expect(await events()).toEqual([]);

    await apply(doc('Forecasts'), { actor });
    const api = await found(getApi(store.db, 'weather'));
    const route = await found(getRoute(store.db, 'weather', 'forecast'));
    const account = await found(getAccount(store.db, 'acme'));
    const created = await events();
    expect(created.map((e) => [e.action, e.objectType]).sort()).toEqual([
      ['apply', 'config'],
      ['create', 'account'],
      ['create', 'api'],
      ['create', 'application'],
      ['create', 'key'],
      ['create', 'route'],
      ['create', 'upstream'],
    ]);
    expect(created.every((e) => e.actorName === 'ci' && e.via === 'cli')).toBe(true);
    expect(created.find((e) => e.objectType === 'api')).toMatchObject({
      objectId: api.id,
      before: null,
      after: api,
    });
    expect(created.find((e) => e.objectType === 'route')).toMatchObject({
      objectId: route.id,
      before: null,
      after: route,
    });
    const appId = created.find((e) => e.objectType === 'application')?.objectId ?? '';
    const keyEvent = created.find((e) => e.objectType === 'key');
    const keyId = keyEvent?.objectId ?? '';
    const activeKey = await found(getKey(store.db, appId, keyId));
    expect(keyEvent).toMatchObject({ before: null, after: activeKey });
    expect(keyEvent?.after).not.toHaveProperty('key');

    await apply(doc('Forecasts by city', true), { actor });
    const updatedApi = await found(getApi(store.db, 'weather'));
    const revokedKey = await found(getKey(store.db, appId, keyId));
    expect(revokedKey.status).toBe('revoked');
    const updates = (await events()).filter((e) => !created.some((c) => c.id === e.id));
    expect(updates.map((e) => [e.action, e.objectType, e.objectId]).sort()).toEqual([
      ['apply', 'config', null],
      ['revoke', 'key', keyId],
      ['update', 'api', api.id],
    ]);
    expect(updates.find((e) => e.action === 'update')).toMatchObject({ before: api, after: updatedApi });
    expect(updates.find((e) => e.action === 'revoke')).toMatchObject({
      before: activeKey,
      after: revokedKey,
    });

    await apply({ upstreams: doc('').upstreams ?? [] }, { actor, prune: true });
    const pruned = (await events()).filter(
      (e) => !created.some((c) => c.id === e.id) && !updates.some((u) => u.id === e.id),
    );
    expect(pruned.map((e) => [e.action, e.objectType, e.objectId]).sort()).toEqual([
      ['apply', 'config', null],
      ['delete', 'account', account.id],
      ['delete', 'api', api.id],
    ]);
    expect(pruned.find((e) => e.objectType === 'api')).toMatchObject({ before: updatedApi, after: null });
    expect(pruned.find((e) => e.objectType === 'account')).toMatchObject({ before: account, after: null });

    expect(JSON.stringify(await events())).not.toContain(key);
  });

  it('reports changes without making them on a dry run', async () => {
    expect(await apply(example(), { dryRun: true })).toHaveLength(9);
    expect(await exportDocument(store.db)).toEqual({
      upstreams: [],
      policies: [],
      apis: [],
      products: [],
      accounts: [],
    });
    expect(await currentRevision(store.db)).toBe(0);
  });

  it('moves an application to another plan of the same product in one apply', async () => {
    const doc = example();
    doc.products?.[0]?.plans?.push({ name: 'gold' });
    await apply(doc);
    const sub = doc.accounts?.[0]?.applications?.[0]?.subscriptions?.[0];
    if (sub) sub.plan = 'gold';
    expect(await apply(doc)).toEqual([
      'update subscription acme/acme-app@weather/trial',
      'create subscription acme/acme-app@weather/gold',
    ]);
    // The trial subscription is kept as history (cancelled), and the export lists both plans.
    const subs = (await exportDocument(store.db)).accounts?.[0]?.applications?.[0]?.subscriptions;
    expect(subs).toEqual([
      { product: 'weather', plan: 'trial', state: 'cancelled' },
      { product: 'weather', plan: 'gold', state: 'active' },
    ]);
    expect(await apply(await exportDocument(store.db))).toEqual([]);
  });

  it('round-trips metric parents, route deltas, limits per end user and disabled metrics, writing only what is not default', async () => {
    const doc = example();
    const api = doc.apis?.[0];
    if (api) {
      api.metrics = [{ name: 'forecast', parent: 'reads' }];
      api.routes?.push({ name: 'bulk', methods: ['POST'], path: '/bulk', metric: 'writes', delta: 25 });
    }
    const plan = doc.products?.[0]?.plans?.[0];
    if (plan) {
      plan.limits = [
        { metric: 'hits', period: 'month', max: 100, per: 'subscription' },
        { metric: 'forecast', period: 'minute', max: 5, per: 'end-user' },
      ];
      plan.disabledMetrics = ['writes'];
    }
    await apply(doc);
    const exported = await exportDocument(store.db);
    expect(exported.apis?.[0]).toMatchObject({
      metrics: [{ name: 'forecast', parent: 'reads' }],
      routes: [
        { name: 'bulk', methods: ['POST'], path: '/bulk', metric: 'writes', delta: 25 },
        { name: 'forecast', methods: ['GET'], path: '/forecast', metric: 'forecast' },
      ],
    });
    expect(exported.apis?.[0]?.routes?.[1]).not.toHaveProperty('delta');
    expect(exported.products?.[0]?.plans?.[0]).toMatchObject({
      limits: [
        { metric: 'hits', period: 'month', max: 100 },
        { metric: 'forecast', period: 'minute', max: 5, per: 'end-user' },
      ],
      disabledMetrics: ['writes'],
    });
    expect(exported.products?.[0]?.plans?.[0]?.limits?.[0]).not.toHaveProperty('per');
    // `per: subscription` written out or left out is the same limit.
    expect(await apply(exported)).toEqual([]);
    expect(await apply(doc)).toEqual([]);
    expect(await exportDocument(store.db)).toEqual(exported);
    // Leaving the new fields out sets them back to their defaults, and the export drops them.
    expect(await apply(example())).toEqual([
      'update api weather',
      'delete route weather/bulk',
      'update plan weather/trial',
    ]);
    const plain = await exportDocument(store.db);
    expect(plain.apis?.[0]).not.toHaveProperty('metrics');
    expect(plain.products?.[0]?.plans?.[0]).not.toHaveProperty('disabledMetrics');
    expect(await apply(plain)).toEqual([]);
  });

  it('round-trips plan pricing, writing only what is not default, and no pricing key for a free plan', async () => {
    const doc = example();
    const plan = doc.products?.[0]?.plans?.[0];
    if (plan)
      plan.pricing = {
        currency: 'EUR',
        setupFee: 10,
        monthlyFee: 49.99,
        trialDays: 14,
        perUnit: [
          { metric: 'forecast', upTo: 10_000, price: 0.002 },
          { metric: 'forecast', upTo: null, price: 0.000125 },
        ],
      };
    doc.products?.[0]?.plans?.push({
      name: 'pay-as-you-go',
      pricing: {
        currency: 'USD',
        setupFee: 0,
        monthlyFee: 0,
        trialDays: 0,
        perUnit: [{ metric: 'hits', price: 0.01 }],
      },
    });
    expect(await apply(doc)).toContain('create plan weather/pay-as-you-go');
    const exported = await exportDocument(store.db);
    expect(exported.products?.[0]?.plans?.map((p) => [p.name, p.pricing])).toEqual([
      ['pay-as-you-go', { currency: 'USD', monthlyFee: 0, perUnit: [{ metric: 'hits', price: 0.01 }] }],
      [
        'trial',
        {
          currency: 'EUR',
          setupFee: 10,
          monthlyFee: 49.99,
          trialDays: 14,
          perUnit: [
            { metric: 'forecast', upTo: 10_000, price: 0.002 },
            { metric: 'forecast', price: 0.000125 },
          ],
        },
      ],
    ]);
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(doc)).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);
    // Leaving pricing out makes the plan free again, and the export writes no pricing key.
    expect(await apply(example())).toEqual([
      'update plan weather/trial',
      'delete plan weather/pay-as-you-go',
    ]);
    const plain = await exportDocument(store.db);
    expect(plain.products?.[0]?.plans?.[0]).not.toHaveProperty('pricing');
    expect(await apply(plain)).toEqual([]);
  });

  it('refuses bad pricing at its path in the file', () => {
    const doc = example();
    const plan = doc.products?.[0]?.plans?.[0];
    if (plan)
      plan.pricing = {
        currency: 'Eur',
        monthlyFee: 9.999,
        perUnit: [{ metric: 'hits', upTo: 10, price: 1 }],
      };
    const refused = configDocument.safeParse(doc);
    expect(refused.error?.issues.map((i) => `${formatPath(i.path)}: ${i.message}`)).toEqual([
      'products[0].plans[0].pricing.currency: must be an ISO 4217 currency code: three upper-case letters, such as EUR',
      'products[0].plans[0].pricing.monthlyFee: must have at most 2 decimals',
      'products[0].plans[0].pricing.perUnit[0].upTo: must be null on the last tier of hits, so every unit has a price',
    ]);
  });

  it('round-trips what the portal shows of an API, the OpenAPI document inline and as written', async () => {
    const openapi = {
      openapi: '3.1.0',
      info: { title: 'Weather', version: '1.2.0' },
      paths: { '/forecast': { get: { summary: 'Forecast', responses: { 200: { description: 'OK' } } } } },
    };
    const doc = example();
    const api = doc.apis?.[0];
    if (api)
      Object.assign(api, {
        version: 'v1',
        visibility: 'partner',
        partnerTiers: ['gold'],
        lifecycle: 'deprecated',
        overview: '# Weather\n\nForecasts by city.',
        changelog: '## 1.2.0\n\n- Hourly forecasts.',
        openapi,
      });
    await apply(doc);
    const exported = await exportDocument(store.db);
    expect(exported.apis?.[0]).toMatchObject({
      version: 'v1',
      visibility: 'partner',
      partnerTiers: ['gold'],
      lifecycle: 'deprecated',
      overview: '# Weather\n\nForecasts by city.',
      changelog: '## 1.2.0\n\n- Hourly forecasts.',
    });
    expect(JSON.stringify(exported.apis?.[0]?.openapi)).toBe(JSON.stringify(openapi));
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(doc)).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);
    // The same document with its keys in another order is the same document.
    if (api) api.openapi = { paths: openapi.paths, info: openapi.info, openapi: '3.1.0' };
    expect(await apply(doc)).toEqual([]);

    // Leaving the fields out sets them to their defaults, except the lifecycle, which stays.
    expect(await apply(example())).toEqual(['update api weather']);
    const plain = await exportDocument(store.db);
    expect(plain.apis?.[0]?.lifecycle).toBe('deprecated');
    for (const field of ['version', 'visibility', 'partnerTiers', 'overview', 'changelog', 'openapi'])
      expect(plain.apis?.[0]).not.toHaveProperty(field);
    expect(await apply(plain)).toEqual([]);
  });

  it("keeps an API's lifecycle changed in the admin API when the file omits it, and publishes new ones", async () => {
    await apply(example());
    expect((await exportDocument(store.db)).apis?.[0]?.lifecycle).toBe('published');
    await found(updateApi(store.db, 'weather', { lifecycle: 'retired' }));
    expect(await apply(example())).toEqual([]);
    expect((await found(getApi(store.db, 'weather'))).lifecycle).toBe('retired');
    const doc = example();
    const api = doc.apis?.[0];
    if (api) api.lifecycle = 'published';
    expect(await apply(doc)).toEqual(['update api weather']);
    expect((await found(getApi(store.db, 'weather'))).lifecycle).toBe('published');
  });

  it('refuses a bad visibility, lifecycle or OpenAPI document at its path in the file', () => {
    const doc = example();
    const api = doc.apis?.[0];
    if (api)
      Object.assign(api, {
        visibility: 'secret',
        lifecycle: 'sunset',
        openapi: { swagger: '2.0', info: { title: 'Old', version: '1' } },
      });
    const refused = configDocument.safeParse(doc);
    expect(refused.error?.issues.map((i) => `${formatPath(i.path)}: ${i.message}`)).toEqual([
      'apis[0].visibility: Invalid option: expected one of "public"|"partner"|"internal"',
      'apis[0].lifecycle: Invalid option: expected one of "draft"|"published"|"deprecated"|"retired"',
      'apis[0].openapi.openapi: must be the OpenAPI version, a string such as "3.1.0"',
    ]);
  });

  it('refuses repeated limits, metric cycles and a zero delta at their paths in the file', () => {
    const doc = example();
    const api = doc.apis?.[0];
    if (api) {
      api.metrics = [
        { name: 'forecast', parent: 'reads' },
        { name: 'reads', parent: 'forecast' },
      ];
      const route = api.routes?.[0];
      if (route) route.delta = 0;
    }
    const plan = doc.products?.[0]?.plans?.[0];
    plan?.limits?.push({ metric: 'hits', period: 'minute', max: 1 });
    const refused = configDocument.safeParse(doc);
    expect(refused.error?.issues.map((i) => `${formatPath(i.path)}: ${i.message}`)).toEqual([
      'apis[0].metrics[0].parent: the parents form a cycle: forecast → reads → forecast',
      'apis[0].metrics[1].parent: the parents form a cycle: reads → forecast → reads',
      'apis[0].routes[0].delta: Too small: expected number to be >=1',
      'products[0].plans[0].limits[2]: a second limit on hits per minute per subscription (the first is at index 0)',
    ]);
  });

  it('subscribes again to a plan whose subscription was cancelled', async () => {
    await apply(example());
    const doc = example();
    const sub = doc.accounts?.[0]?.applications?.[0]?.subscriptions?.[0];
    if (sub) sub.state = 'cancelled';
    expect(await apply(doc)).toEqual(['update subscription acme/acme-app@weather/trial']);
    if (sub) sub.state = 'active';
    expect(await apply(doc)).toEqual(['create subscription acme/acme-app@weather/trial']);
    expect(await apply(await exportDocument(store.db))).toEqual([]);
  });

  it('sets redirect URIs like a description: exactly the list, none when omitted, exported when set', async () => {
    const doc = example();
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app) app.redirectUris = ['https://acme.example/cb', 'http://127.0.0.1:3000/cb'];
    await apply(doc);
    const exported = await exportDocument(store.db);
    expect(exported.accounts?.[0]?.applications?.[0]?.redirectUris).toEqual(app?.redirectUris);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(example())).toEqual(['update application acme/acme-app']);
    expect((await exportDocument(store.db)).accounts?.[0]?.applications?.[0]).not.toHaveProperty(
      'redirectUris',
    );
    if (app) app.redirectUris = ['http://evil.com/cb'];
    // The file is checked against the same schema as the admin API before apply sees it.
    const refused = configDocument.safeParse(doc);
    expect(refused.error?.issues.map((i) => formatPath(i.path))).toEqual([
      'accounts[0].applications[0].redirectUris[0]',
    ]);
  });

  it('applies OAuth scopes without a revision, leaves them alone when omitted, prunes only a present list', async () => {
    const scopes = [{ name: 'weather:read', description: 'Read forecasts' }, { name: 'weather:write' }];
    const revision = await currentRevision(store.db);
    expect(await apply({ oauthScopes: scopes })).toEqual([
      'create oauth-scope weather:read',
      'create oauth-scope weather:write',
    ]);
    expect(await currentRevision(store.db)).toBe(revision);
    const exported = await exportDocument(store.db);
    expect(exported.oauthScopes).toEqual(scopes);
    expect(await apply(exported)).toEqual([]);
    expect(await apply({}, { prune: true })).toEqual([]);
    expect(await apply({ oauthScopes: [{ name: 'weather:read', description: 'See forecasts' }] })).toEqual([
      'update oauth-scope weather:read',
    ]);
    expect(
      await apply({ oauthScopes: [{ name: 'weather:read', description: 'See forecasts' }] }, { prune: true }),
    ).toEqual(['delete oauth-scope weather:write']);
    expect(await apply({ oauthScopes: [] }, { prune: true })).toEqual(['delete oauth-scope weather:read']);
    expect(await exportDocument(store.db)).not.toHaveProperty('oauthScopes');
    const twice = await applyDocument(store.db, { oauthScopes: [{ name: 'a' }, { name: 'a' }] });
    expect(twice.ok ? [] : twice.problem.errors?.map((e) => e.path)).toEqual(['oauthScopes[1].name']);
  });

  it('applies identity providers like OAuth scopes: no revision, left alone when omitted, pruned only from a present list', async () => {
    const acme: IdentityProviderEntry = {
      name: 'acme-login',
      displayName: 'Acme',
      loginUrl: 'https://login.acme.example/turnpike',
      issuer: 'https://login.acme.example',
      jwksUrl: 'https://login.acme.example/jwks.json',
    };
    const partner: IdentityProviderEntry = {
      name: 'partner-login',
      loginUrl: 'http://127.0.0.1:4000/login',
      issuer: 'partner',
      publicKeys: [ecJwk],
      algorithms: ['ES256'],
    };
    const providers = [acme, partner];
    const revision = await currentRevision(store.db);
    expect(await apply({ identityProviders: providers })).toEqual([
      'create identity-provider acme-login',
      'create identity-provider partner-login',
    ]);
    expect(await currentRevision(store.db)).toBe(revision);
    const exported = await exportDocument(store.db);
    expect(exported.identityProviders).toEqual(providers);
    expect(await apply(exported)).toEqual([]);
    expect(await apply({}, { prune: true })).toEqual([]);
    const { publicKeys: _keys, ...rest } = partner;
    const rotated: IdentityProviderEntry = { ...rest, jwksUrl: 'http://127.0.0.1:4000/jwks' };
    expect(await apply({ identityProviders: [rotated] })).toEqual(['update identity-provider partner-login']);
    expect((await exportDocument(store.db)).identityProviders?.[1]).toEqual({
      name: 'partner-login',
      loginUrl: 'http://127.0.0.1:4000/login',
      issuer: 'partner',
      jwksUrl: 'http://127.0.0.1:4000/jwks',
      algorithms: ['ES256'],
    });
    expect(await apply({ identityProviders: [rotated] }, { prune: true })).toEqual([
      'delete identity-provider acme-login',
    ]);
    expect(await apply({ identityProviders: [] }, { prune: true })).toEqual([
      'delete identity-provider partner-login',
    ]);
    expect(await exportDocument(store.db)).not.toHaveProperty('identityProviders');
    expect(await currentRevision(store.db)).toBe(revision);

    const refused = configDocument.safeParse({
      identityProviders: [
        { ...acme, publicKeys: [ecJwk] },
        { ...acme, name: 'b', jwksUrl: undefined },
        { ...acme, name: 'c', loginUrl: 'http://login.acme.example/' },
      ],
    });
    expect(refused.error?.issues.map((i) => formatPath(i.path))).toEqual([
      'identityProviders[0].publicKeys',
      'identityProviders[1].jwksUrl',
      'identityProviders[2].loginUrl',
    ]);
    const twice = await applyDocument(store.db, { identityProviders: [acme, acme] });
    expect(twice.ok ? [] : twice.problem.errors?.map((e) => e.path)).toEqual(['identityProviders[1].name']);
  });

  it('lets an API name a provider the same file creates, and stop naming one the same file removes', async () => {
    const provider = {
      name: 'acme-login',
      loginUrl: 'https://login.acme.example/turnpike',
      issuer: 'https://login.acme.example',
      jwksUrl: 'https://login.acme.example/jwks.json',
    };
    const doc = example();
    const api = doc.apis?.[0];
    if (api) api.identityProvider = 'acme-login';
    doc.identityProviders = [provider];
    const changes = await apply(doc);
    expect(changes.slice(0, 3)).toEqual([
      'create identity-provider acme-login',
      'create upstream echo',
      'create api weather',
    ]);
    expect((await found(getApi(store.db, 'weather'))).identityProvider).toBe('acme-login');
    const exported = await exportDocument(store.db);
    expect(exported.apis?.[0]?.identityProvider).toBe('acme-login');
    expect(await apply(exported)).toEqual([]);
    expect(await apply(example())).toEqual(['update api weather']);
    expect((await found(getApi(store.db, 'weather'))).identityProvider).toBeNull();

    if (api) api.identityProvider = 'acme-login';
    expect(await apply(doc)).toEqual(['update api weather']);
    // Still named by an API the file keeps: pruning it is refused, and nothing changes.
    const kept = await applyDocument(store.db, { ...doc, identityProviders: [] }, { prune: true });
    expect(kept.ok ? '' : kept.problem.detail).toMatch(
      /^identityProviders: identity provider acme-login is used by APIs weather;/,
    );
    // The API stops naming it in the same file that removes it.
    expect(await apply({ ...example(), identityProviders: [] }, { prune: true })).toEqual([
      'update api weather',
      'delete identity-provider acme-login',
    ]);

    const unknown = example();
    if (unknown.apis?.[0]) unknown.apis[0].identityProvider = 'nobody';
    const result = await applyDocument(store.db, unknown);
    expect(result.ok ? [] : result.problem.errors).toEqual([
      { path: 'apis[0].identityProvider', message: 'no identity provider named nobody' },
    ]);
  });

  it('applies basic and mTLS credentials, exports passwords as hashes, and round-trips them', async () => {
    const doc = example();
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app)
      app.credentials = [
        { kind: 'basic', username: 'alice', password, label: 'ci' },
        { kind: 'basic', username: 'bob', hash: 'e'.repeat(64), expiresAt: '2099-01-01T00:00:00Z' },
        { kind: 'mtls', fingerprint, subject: 'CN=edge', label: 'edge' },
        { kind: 'mtls', fingerprint: 'f'.repeat(64), revoked: true },
      ];
    const changes = await apply(doc);
    expect(changes.filter((c) => c.includes('credential'))).toEqual([
      'create credential acme/acme-app/basic:alice',
      'create credential acme/acme-app/basic:bob',
      `create credential acme/acme-app/mtls:${normalized.slice(0, 16)}`,
      'create credential acme/acme-app/mtls:ffffffffffffffff',
    ]);
    const exported = await exportDocument(store.db);
    expect(exported.accounts?.[0]?.applications?.[0]?.credentials).toEqual([
      { kind: 'basic', username: 'alice', hash: hashSecret(password), label: 'ci' },
      { kind: 'basic', username: 'bob', hash: 'e'.repeat(64), expiresAt: '2099-01-01T00:00:00.000Z' },
      { kind: 'mtls', fingerprint: normalized, subject: 'CN=edge', label: 'edge' },
      { kind: 'mtls', fingerprint: 'f'.repeat(64), revoked: true },
    ]);
    expect(JSON.stringify(exported)).not.toContain(password);
    expect(configDocument.safeParse(exported).success).toBe(true);
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(doc)).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);

    // A new password (by hash) and label are updates; the list is exact; revocation is final.
    const changed = structuredClone(exported);
    const credentials = changed.accounts?.[0]?.applications?.[0]?.credentials ?? [];
    const fresh = generateBasicPassword();
    changed.accounts?.[0]?.applications?.[0]?.credentials?.splice(
      0,
      4,
      { kind: 'basic', username: 'alice', password: fresh, label: 'ci' },
      { ...(credentials[2] as { kind: 'mtls'; fingerprint: string }), label: 'renamed', revoked: true },
      credentials[3] as { kind: 'mtls'; fingerprint: string },
    );
    expect(await apply(changed)).toEqual([
      'delete credential acme/acme-app/basic:bob',
      'update credential acme/acme-app/basic:alice',
      `revoke credential acme/acme-app/mtls:${normalized.slice(0, 16)}`,
    ]);
    const after = (await exportDocument(store.db)).accounts?.[0]?.applications?.[0]?.credentials;
    expect(after?.[0]).toEqual({ kind: 'basic', username: 'alice', hash: hashSecret(fresh), label: 'ci' });
    expect(after?.[1]).toMatchObject({ label: 'edge', revoked: true });
    const reinstated = structuredClone(changed);
    const entry = reinstated.accounts?.[0]?.applications?.[0]?.credentials?.[1];
    if (entry) delete entry.revoked;
    const refused = await applyDocument(store.db, reinstated);
    expect(refused.ok ? [] : refused.problem.errors).toEqual([
      {
        path: 'accounts[0].applications[0].credentials[1].revoked',
        message: 'the credential is revoked and cannot be reinstated; mark it revoked: true or remove it',
      },
    ]);
  });

  it('refuses credentials listed twice or taken by another application, naming the path', async () => {
    await apply(example());
    const twice = example();
    const app = twice.accounts?.[0]?.applications?.[0];
    if (app)
      app.credentials = [
        { kind: 'mtls', fingerprint },
        { kind: 'mtls', fingerprint: normalized },
        { kind: 'basic', username: normalized, password },
      ];
    const duplicate = await applyDocument(store.db, twice);
    expect(duplicate.ok ? [] : duplicate.problem.errors).toEqual([
      {
        path: 'accounts[0].applications[0].credentials[1]',
        message: 'the same credential is already listed at accounts[0].applications[0].credentials[0]',
      },
    ]);
    await apply({
      accounts: [
        {
          name: 'other',
          applications: [{ name: 'b', credentials: [{ kind: 'basic', username: 'carol', password }] }],
        },
      ],
    });
    const taken = await applyDocument(store.db, {
      accounts: [
        {
          name: 'acme',
          applications: [{ name: 'acme-app', credentials: [{ kind: 'basic', username: 'carol', password }] }],
        },
      ],
    });
    expect(taken.ok ? [] : taken.problem.errors).toEqual([
      { path: 'accounts[0].applications[0].credentials[0]', message: 'the username carol is already taken' },
    ]);
    const refused = configDocument.safeParse({
      accounts: [
        {
          name: 'x',
          applications: [
            {
              name: 'y',
              credentials: [
                { kind: 'basic', username: 'u' },
                { kind: 'basic', username: 'v', password: 'tpb_nope' },
                { kind: 'mtls', fingerprint: 'abc' },
                { kind: 'mtls', fingerprint: normalized, certificate: 'x' },
              ],
            },
          ],
        },
      ],
    });
    expect(refused.error?.issues.map((i) => formatPath(i.path))).toEqual([
      'accounts[0].applications[0].credentials[0]',
      'accounts[0].applications[0].credentials[1].password',
      'accounts[0].applications[0].credentials[2].fingerprint',
      'accounts[0].applications[0].credentials[3]',
    ]);
  });

  it('applies hmac credentials by plaintext or sealed secret, exports them sealed, and round-trips them', async () => {
    const secret = generateHmacSecret();
    const doc = example();
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app)
      app.credentials = [
        { kind: 'hmac', username: 'signer', secret, label: 'billing' },
        // The same username as a basic credential: another kind, another identity.
        { kind: 'basic', username: 'signer', password },
        { kind: 'hmac', username: 'old-signer', secret: generateHmacSecret(), revoked: true },
      ];
    const changes = await apply(doc);
    expect(changes.filter((c) => c.includes('credential'))).toEqual([
      'create credential acme/acme-app/hmac:signer',
      'create credential acme/acme-app/basic:signer',
      'create credential acme/acme-app/hmac:old-signer',
    ]);
    const key = await platformSecret(store.db, credentialSealingKey);
    const exported = await exportDocument(store.db);
    const listed = exported.accounts?.[0]?.applications?.[0]?.credentials ?? [];
    expect(listed).toEqual([
      { kind: 'hmac', username: 'signer', sealedSecret: expect.any(String), label: 'billing' },
      { kind: 'basic', username: 'signer', hash: hashSecret(password) },
      { kind: 'hmac', username: 'old-signer', sealedSecret: expect.any(String), revoked: true },
    ]);
    const sealed = (listed[0] as { sealedSecret: string }).sealedSecret;
    expect(isSealed(sealed)).toBe(true);
    expect(unseal(sealed, key)).toBe(secret);
    expect(JSON.stringify(exported)).not.toContain(secret);
    expect(configDocument.safeParse(exported).success).toBe(true);
    expect((await buildSnapshot(store.db)).credentials).toContainEqual(
      expect.objectContaining({ kind: 'hmac', identifier: 'signer', secret, hash: null }),
    );

    // Seals differ every time, so apply compares the secrets themselves: the export, the
    // plaintext file and a fresh seal of the same secret all change nothing.
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(doc)).toEqual([]);
    const resealed = structuredClone(exported);
    const first = resealed.accounts?.[0]?.applications?.[0]?.credentials?.[0];
    if (first?.kind === 'hmac') first.sealedSecret = seal(secret, key);
    expect(await apply(resealed)).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);

    // A new secret replaces the stored one in place.
    const fresh = generateHmacSecret();
    const changed = structuredClone(exported);
    const entry = changed.accounts?.[0]?.applications?.[0]?.credentials?.[0];
    if (entry?.kind === 'hmac') {
      delete entry.sealedSecret;
      entry.secret = fresh;
    }
    expect(await apply(changed)).toEqual(['update credential acme/acme-app/hmac:signer']);
    const after = (await exportDocument(store.db)).accounts?.[0]?.applications?.[0]?.credentials?.[0];
    expect(unseal((after as { sealedSecret: string }).sealedSecret, key)).toBe(fresh);
    const credentials = (await buildSnapshot(store.db)).credentials ?? [];
    expect(credentials.filter((c) => c.kind === 'hmac').map((c) => c.secret)).toEqual([fresh]);
  });

  it('refuses a secret sealed by another installation, naming its path, and changes nothing', async () => {
    const secret = generateHmacSecret();
    const doc = example();
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app) app.credentials = [{ kind: 'hmac', username: 'signer', secret }];
    await apply(doc);
    const before = await exportDocument(store.db);
    for (const username of ['signer', 'newcomer']) {
      const foreign = example();
      const entry = foreign.accounts?.[0]?.applications?.[0];
      if (entry)
        entry.credentials = [
          { kind: 'basic', username: 'alice', password },
          { kind: 'hmac', username, sealedSecret: seal(secret, 'another installation’s key') },
        ];
      const refused = await applyDocument(store.db, foreign);
      expect(refused.ok ? [] : refused.problem.errors, username).toEqual([
        {
          path: 'accounts[0].applications[0].credentials[1].sealedSecret',
          message:
            'this secret was sealed by another installation (or altered) and cannot be unsealed here; ' +
            'give the plaintext secret instead',
        },
      ]);
    }
    expect(await exportDocument(store.db)).toEqual(before);
  });

  it('refuses hmac entries without exactly one well-formed secret, or listed twice', async () => {
    const secret = generateHmacSecret();
    const sealedSecret = seal(secret, 'any key');
    const refused = configDocument.safeParse({
      accounts: [
        {
          name: 'x',
          applications: [
            {
              name: 'y',
              credentials: [
                { kind: 'hmac', username: 'a' },
                { kind: 'hmac', username: 'b', secret, sealedSecret },
                { kind: 'hmac', username: 'c', secret: 'tph_nope' },
                { kind: 'hmac', username: 'd', sealedSecret: 'not sealed' },
                { kind: 'hmac', username: 'e', secret: generateBasicPassword() },
              ],
            },
          ],
        },
      ],
    });
    expect(refused.error?.issues.map((i) => formatPath(i.path))).toEqual([
      'accounts[0].applications[0].credentials[0]',
      'accounts[0].applications[0].credentials[1]',
      'accounts[0].applications[0].credentials[2].secret',
      'accounts[0].applications[0].credentials[3].sealedSecret',
      'accounts[0].applications[0].credentials[4].secret',
    ]);
    const twice = example();
    const app = twice.accounts?.[0]?.applications?.[0];
    if (app)
      app.credentials = [
        { kind: 'hmac', username: 'signer', secret },
        { kind: 'hmac', username: 'signer', secret: generateHmacSecret() },
      ];
    const duplicate = await applyDocument(store.db, twice);
    expect(duplicate.ok ? [] : duplicate.problem.errors).toEqual([
      {
        path: 'accounts[0].applications[0].credentials[1]',
        message: 'the same credential is already listed at accounts[0].applications[0].credentials[0]',
      },
    ]);
  });
});
