// The admin API over real HTTP against one running `turnpike start`: every resource's
// create/read/update/delete and list, pagination and filters, references and conflicts,
// subscription states, bad input (always problem+json, never a change), authentication, and the
// OpenAPI document that describes it all.
import { validate } from '@scalar/openapi-parser';
import { Document, Spectral } from '@stoplight/spectral-core';
import Parsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';

const token = 'e2e-admin-api-token-0123456789';

let tp: RunningTurnpike | undefined;
let base = '';

beforeAll(async () => {
  tp = await startTurnpike({ env: { TURNPIKE_ADMIN_TOKEN: token } });
  base = `${tp.admin}/admin/v1`;
});

afterAll(async () => {
  if (!tp) return;
  await tp.stop();
  removeDir(tp.dataDir);
});

interface Reply {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  body: any;
}

interface CallOptions {
  /** `null` sends no Authorization header. */
  auth?: string | null;
  contentType?: string;
  /** Sent as is instead of JSON.stringify(body). */
  raw?: string;
}

async function call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? `Bearer ${token}` : options.auth;
  if (auth !== null) headers.authorization = auth;
  const payload = options.raw ?? (body === undefined ? undefined : JSON.stringify(body));
  if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(base + path, {
    method,
    headers,
    ...(payload !== undefined && { body: payload }),
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, text, body: parsed };
}

// biome-ignore lint/suspicious/noExplicitAny: created resources have many shapes.
async function create(path: string, body: unknown): Promise<any> {
  const r = await call('POST', path, body);
  expect(r.status, `POST ${path}: ${r.text}`).toBe(201);
  return r.body;
}

/** Every admin API error: RFC 9457 problem details with our fields, as application/problem+json. */
function expectProblem(r: Reply, status: number, code: string): void {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body).toMatchObject({
    type: `https://turnpike.dev/errors/${code}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    code,
    requestId: expect.any(String),
  });
  expect(r.body.title.length).toBeGreaterThan(0);
  expect(r.body.detail.length).toBeGreaterThan(0);
  expect(r.body.requestId).toBe(r.headers.get('x-request-id'));
  // No internals leak into what a client reads.
  expect(r.text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
}

/** The error paths of a validation problem. */
const errorPaths = (r: Reply): string[] => (r.body?.errors ?? []).map((e: { path: string }) => e.path);

/** Everything the control plane holds, and its revision: equal before and after a refused request. */
async function snapshot(): Promise<{ revision: number; config: unknown }> {
  const status = await call('GET', '/status');
  const config = await call('GET', '/config');
  expect(status.status).toBe(200);
  expect(config.status).toBe(200);
  return { revision: status.body.revision, config: config.body };
}

const missing = {
  upstream: 'ups_00000000000000000000000000',
  api: 'api_00000000000000000000000000',
  product: 'prd_00000000000000000000000000',
  plan: 'pln_00000000000000000000000000',
  account: 'acc_00000000000000000000000000',
  application: 'app_00000000000000000000000000',
  key: 'key_00000000000000000000000000',
  subscription: 'sub_00000000000000000000000000',
};

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

interface CycleSpec {
  /** Collection URL below /admin/v1. */
  collection: string;
  idPrefix: string;
  body: Record<string, unknown>;
  /** What the created resource holds besides the body (defaults, parent ids). */
  created: Record<string, unknown>;
  /** Whether GET {collection}/{name} finds it. */
  byName: boolean;
  /** A filter query that lists exactly this item (besides paging). */
  filter: string;
  patch: Record<string, unknown>;
  patched: Record<string, unknown>;
}

/** create → get (by id, by name) → list → PATCH → get → delete → gone, with statuses and bodies. */
async function crudCycle(spec: CycleSpec): Promise<void> {
  const posted = await call('POST', spec.collection, spec.body);
  expect(posted.status, posted.text).toBe(201);
  expect(posted.headers.get('content-type')).toMatch(/^application\/json/);
  const item = posted.body;
  expect(item.id).toMatch(new RegExp(`^${spec.idPrefix}_[0-9a-z]{26}$`));
  expect(item).toMatchObject({ ...spec.body, ...spec.created });
  expect(item.createdAt).toMatch(iso);
  const location = posted.headers.get('location');
  expect(location).toBe(`/admin/v1${spec.collection}/${item.id}`);

  const byLocation = await fetch(new URL(location ?? '', base), {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(byLocation.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  const fetched: any = await byLocation.json();
  if ('key' in item) {
    // A key's plaintext is shown once, in the create response only.
    const { key: _plaintext, ...rest } = item;
    expect(fetched).toEqual(rest);
    expect(JSON.stringify(fetched)).not.toContain(item.key);
  } else {
    expect(fetched).toEqual(item);
  }

  if (spec.byName) {
    const named = await call('GET', `${spec.collection}/${encodeURIComponent(String(spec.body.name))}`);
    expect(named.status, named.text).toBe(200);
    expect(named.body).toEqual(fetched);
  }

  const listed = await call('GET', `${spec.collection}${spec.filter}`);
  expect(listed.status, listed.text).toBe(200);
  expect(listed.body).toEqual({ data: [fetched], next: null });

  const patched = await call('PATCH', `${spec.collection}/${item.id}`, spec.patch);
  expect(patched.status, patched.text).toBe(200);
  const { updatedAt: _updatedAt, ...unchanged } = fetched;
  expect(patched.body).toMatchObject({ ...unchanged, ...spec.patched, id: item.id });
  if (_updatedAt !== undefined) {
    expect(Date.parse(patched.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(fetched.updatedAt));
  }
  const after = await call('GET', `${spec.collection}/${item.id}`);
  expect(after.body).toEqual(patched.body);

  const deleted = await call('DELETE', `${spec.collection}/${item.id}`);
  expect(deleted.status, deleted.text).toBe(204);
  expect(deleted.text).toBe('');
  expectProblem(await call('GET', `${spec.collection}/${item.id}`), 404, 'not-found');
  expectProblem(await call('DELETE', `${spec.collection}/${item.id}`), 404, 'not-found');
  expectProblem(await call('PATCH', `${spec.collection}/${item.id}`, spec.patch), 404, 'not-found');
  const relisted = await call('GET', `${spec.collection}${spec.filter}`);
  expect(relisted.body).toEqual({ data: [], next: null });
}

describe('create, read, update and delete of every resource', () => {
  // Parents the nested and referring resources need.
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  const fx: Record<string, any> = {};

  beforeAll(async () => {
    fx.upstream = await create('/upstreams', {
      name: 'crud-parent',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    fx.api = await create('/apis', {
      name: 'crud-parent',
      basePath: '/crud-parent',
      upstreamId: fx.upstream.id,
    });
    fx.product = await create('/products', { name: 'crud-parent', apiIds: [fx.api.id] });
    fx.plan = await create('/plans', { productId: fx.product.id, name: 'crud-parent' });
    fx.account = await create('/accounts', { name: 'crud-parent' });
    fx.application = await create('/applications', { accountId: fx.account.id, name: 'crud-parent' });
  });

  it('upstreams', async () => {
    await crudCycle({
      collection: '/upstreams',
      idPrefix: 'ups',
      body: {
        name: 'crud-upstream',
        targets: [{ url: 'http://127.0.0.1:9/a', weight: 5 }, { url: 'http://127.0.0.1:10' }],
      },
      created: {
        description: '',
        targets: [
          { url: 'http://127.0.0.1:9/a', weight: 5 },
          { url: 'http://127.0.0.1:10', weight: 100 },
        ],
      },
      byName: true,
      filter: '?name=crud-upstream',
      patch: { description: 'changed', targets: [{ url: 'https://example.com' }] },
      patched: {
        name: 'crud-upstream',
        description: 'changed',
        targets: [{ url: 'https://example.com', weight: 100 }],
      },
    });
  });

  it('APIs', async () => {
    await crudCycle({
      collection: '/apis',
      idPrefix: 'api',
      body: {
        name: 'crud-api',
        basePath: '/crud/v1',
        hosts: ['crud.example.com'],
        upstreamId: fx.upstream.id,
      },
      created: { description: '', keyless: false, stripBasePath: true },
      byName: true,
      filter: `?name=crud-api&upstreamId=${fx.upstream.id}`,
      patch: { basePath: '/crud/v2', keyless: true },
      patched: { name: 'crud-api', basePath: '/crud/v2', keyless: true, hosts: ['crud.example.com'] },
    });
  });

  it('routes of an API', async () => {
    await crudCycle({
      collection: `/apis/${fx.api.id}/routes`,
      idPrefix: 'rte',
      body: { name: 'crud-route', methods: ['GET', 'POST'], path: '/items/{id}' },
      created: { apiId: fx.api.id, metric: 'hits' },
      byName: true,
      filter: '?name=crud-route',
      patch: { methods: ['DELETE'], metric: 'deletes' },
      patched: { name: 'crud-route', methods: ['DELETE'], path: '/items/{id}', metric: 'deletes' },
    });
    // The parent may be named instead of given by id.
    const byApiName = await call('GET', '/apis/crud-parent/routes');
    expect(byApiName.status).toBe(200);
    expectProblem(await call('GET', `/apis/${missing.api}/routes`), 404, 'not-found');
  });

  it('products', async () => {
    await crudCycle({
      collection: '/products',
      idPrefix: 'prd',
      body: { name: 'crud-product', description: 'bundle', apiIds: [fx.api.id] },
      created: {},
      byName: true,
      filter: `?name=crud-product&apiId=${fx.api.id}`,
      patch: { apiIds: [] },
      patched: { name: 'crud-product', description: 'bundle', apiIds: [] },
    });
  });

  it('plans', async () => {
    await crudCycle({
      collection: '/plans',
      idPrefix: 'pln',
      body: {
        productId: fx.product.id,
        name: 'crud-plan',
        limits: [{ metric: 'hits', period: 'minute', max: 10 }],
      },
      created: {
        state: 'published',
        visibility: 'public',
        default: false,
        approval: 'auto',
        description: '',
      },
      byName: false,
      filter: `?name=crud-plan&productId=${fx.product.id}`,
      patch: { state: 'deprecated', approval: 'manual' },
      patched: {
        name: 'crud-plan',
        state: 'deprecated',
        approval: 'manual',
        limits: [{ metric: 'hits', period: 'minute', max: 10 }],
      },
    });
  });

  it('accounts', async () => {
    await crudCycle({
      collection: '/accounts',
      idPrefix: 'acc',
      body: { name: 'crud-account', email: 'dev@example.com' },
      created: { state: 'approved' },
      byName: true,
      filter: '?name=crud-account&state=approved',
      patch: { email: null, state: 'suspended' },
      patched: { name: 'crud-account', email: null, state: 'suspended' },
    });
  });

  it('applications', async () => {
    await crudCycle({
      collection: '/applications',
      idPrefix: 'app',
      body: { accountId: fx.account.id, name: 'crud-application' },
      created: { description: '', state: 'active' },
      byName: false,
      filter: `?name=crud-application&accountId=${fx.account.id}`,
      patch: { state: 'suspended', description: 'paused' },
      patched: { name: 'crud-application', state: 'suspended', description: 'paused' },
    });
  });

  it('keys of an application', async () => {
    await crudCycle({
      collection: `/applications/${fx.application.id}/keys`,
      idPrefix: 'key',
      body: { label: 'crud-key' },
      created: { applicationId: fx.application.id, expiresAt: null },
      byName: false,
      filter: '',
      patch: { label: 'renamed', expiresAt: '2099-01-01T00:00:00.000Z' },
      patched: { label: 'renamed', expiresAt: '2099-01-01T00:00:00.000Z' },
    });
  });

  it('a new key shows its plaintext once, stores only a prefix, and can be registered by key or hash', async () => {
    const generated = await create(`/applications/${fx.application.id}/keys`, {});
    expect(generated.key).toMatch(/^tp_live_[0-9A-Za-z]{36}$/);
    expect(generated.prefix).toBe(generated.key.slice(0, 12));
    const listed = await call('GET', `/applications/${fx.application.id}/keys`);
    expect(listed.text).not.toContain(generated.key);

    const given = 'tp_test_'.padEnd(44, 'x');
    expectProblem(
      await call('POST', `/applications/${fx.application.id}/keys`, { key: given }),
      400,
      'validation-failed',
    );

    const byHash = await create(`/applications/${fx.application.id}/keys`, { hash: 'a'.repeat(64) });
    expect(byHash.key).toBeUndefined();
    expect(byHash.prefix).toBeNull();
    const again = await call('POST', `/applications/${fx.application.id}/keys`, { hash: 'a'.repeat(64) });
    expectProblem(again, 409, 'conflict');
    const both = await call('POST', `/applications/${fx.application.id}/keys`, {
      key: generated.key,
      hash: 'b'.repeat(64),
    });
    expectProblem(both, 400, 'validation-failed');
    expect(errorPaths(both)).toContain('body.hash');
    expectProblem(await call('GET', `/applications/${missing.application}/keys`), 404, 'not-found');
    expectProblem(await call('POST', `/applications/${missing.application}/keys`, {}), 404, 'not-found');
  });

  it('subscriptions', async () => {
    await crudCycle({
      collection: '/subscriptions',
      idPrefix: 'sub',
      body: { applicationId: fx.application.id, planId: fx.plan.id },
      created: { state: 'active' },
      byName: false,
      filter: `?applicationId=${fx.application.id}&planId=${fx.plan.id}&state=active`,
      patch: { state: 'suspended' },
      patched: { state: 'suspended', applicationId: fx.application.id, planId: fx.plan.id },
    });
  });
});

describe('pagination', () => {
  async function pages(path: string): Promise<{ sizes: number[]; ids: string[]; names: string[] }> {
    const sizes: number[] = [];
    const ids: string[] = [];
    const names: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 20; n++) {
      const sep = path.includes('?') ? '&' : '?';
      const r = await call(
        'GET',
        `${path}${sep}limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      expect(r.status, r.text).toBe(200);
      sizes.push(r.body.data.length);
      for (const item of r.body.data) {
        ids.push(item.id);
        names.push(item.name ?? item.label);
      }
      cursor = r.body.next;
      if (cursor === null) break;
      expect(typeof cursor).toBe('string');
    }
    return { sizes, ids, names };
  }

  const seven = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];

  it('pages through routes 3, 3, 1 in creation order, with next null on the last page', async () => {
    const upstream = await create('/upstreams', {
      name: 'page-up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    await create('/apis', { name: 'page-api', basePath: '/page', upstreamId: upstream.id });
    // Names in an order other than alphabetical, so creation order is what is checked.
    const names = ['g', 'c', 'e', 'a', 'f', 'b', 'd'];
    for (const name of names) await create('/apis/page-api/routes', { name, path: `/${name}` });
    const result = await pages('/apis/page-api/routes');
    expect(result.sizes).toEqual([3, 3, 1]);
    expect(result.names).toEqual(names);
    expect(new Set(result.ids).size).toBe(7);
  });

  it('pages through keys and through filtered applications the same way', async () => {
    const account = await create('/accounts', { name: 'page-account' });
    const other = await create('/accounts', { name: 'page-other' });
    const application = await create('/applications', { accountId: account.id, name: 'page-app' });
    for (const label of seven) await create(`/applications/${application.id}/keys`, { label });
    const keys = await pages(`/applications/${application.id}/keys`);
    expect(keys.sizes).toEqual([3, 3, 1]);
    expect(keys.names).toEqual(seven);

    for (const name of seven) {
      await create('/applications', { accountId: account.id, name: `app-${name}` });
      await create('/applications', { accountId: other.id, name: `app-${name}` });
    }
    const apps = await pages(`/applications?accountId=${account.id}&state=active`);
    // page-app first, then the seven: 8 items → 3, 3, 2.
    expect(apps.sizes).toEqual([3, 3, 2]);
    expect(apps.names).toEqual(['page-app', ...seven.map((n) => `app-${n}`)]);
    expect(new Set(apps.ids).size).toBe(8);
  });

  it('a page of an unfiltered collection holds every item once, in creation order', async () => {
    for (const name of seven)
      await create('/upstreams', { name: `page-up-${name}`, targets: [{ url: 'http://127.0.0.1:9' }] });
    const all = await pages('/upstreams');
    expect(new Set(all.ids).size).toBe(all.ids.length);
    const mine = all.names.filter((n) => n.startsWith('page-up-'));
    expect(mine).toEqual(seven.map((n) => `page-up-${n}`));
    expect([...all.ids].sort()).toEqual(all.ids);
    expect(all.sizes.slice(0, -1).every((size) => size === 3)).toBe(true);
  });

  it('rejects a limit out of range', async () => {
    expectProblem(await call('GET', '/upstreams?limit=0'), 400, 'validation-failed');
    expectProblem(await call('GET', '/upstreams?limit=201'), 400, 'validation-failed');
    const nan = await call('GET', '/upstreams?limit=many');
    expectProblem(nan, 400, 'validation-failed');
    expect(errorPaths(nan)).toEqual(['querystring.limit']);
  });
});

describe('filters', () => {
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  const f: Record<string, any> = {};

  beforeAll(async () => {
    f.up1 = await create('/upstreams', { name: 'flt-up1', targets: [{ url: 'http://127.0.0.1:9' }] });
    f.up2 = await create('/upstreams', { name: 'flt-up2', targets: [{ url: 'http://127.0.0.1:9' }] });
    f.api1 = await create('/apis', { name: 'flt-api1', basePath: '/flt1', upstreamId: f.up1.id });
    f.api2 = await create('/apis', { name: 'flt-api2', basePath: '/flt2', upstreamId: f.up2.id });
    f.api3 = await create('/apis', { name: 'flt-api3', basePath: '/flt3', upstreamId: f.up2.id });
    f.prod1 = await create('/products', { name: 'flt-prod1', apiIds: [f.api1.id] });
    f.prod2 = await create('/products', { name: 'flt-prod2', apiIds: [f.api2.id, f.api3.id] });
    f.plan1 = await create('/plans', { productId: f.prod1.id, name: 'gold' });
    f.plan2 = await create('/plans', { productId: f.prod2.id, name: 'gold', state: 'staging' });
    f.plan3 = await create('/plans', { productId: f.prod2.id, name: 'silver', approval: 'manual' });
    f.acc1 = await create('/accounts', { name: 'flt-acc1' });
    f.acc2 = await create('/accounts', { name: 'flt-acc2', state: 'pending' });
    f.app1 = await create('/applications', { accountId: f.acc1.id, name: 'shared-name' });
    f.app2 = await create('/applications', { accountId: f.acc2.id, name: 'shared-name', state: 'suspended' });
    f.sub1 = await create('/subscriptions', { applicationId: f.app1.id, planId: f.plan1.id });
    f.sub2 = await create('/subscriptions', { applicationId: f.app1.id, planId: f.plan3.id });
    f.sub3 = await create('/subscriptions', { applicationId: f.app2.id, planId: f.plan3.id });
  });

  async function ids(path: string): Promise<string[]> {
    const r = await call('GET', path);
    expect(r.status, `${path}: ${r.text}`).toBe(200);
    return r.body.data.map((item: { id: string }) => item.id);
  }

  it('by name', async () => {
    expect(await ids('/upstreams?name=flt-up2')).toEqual([f.up2.id]);
    expect(await ids('/apis?name=flt-api3')).toEqual([f.api3.id]);
    expect(await ids('/products?name=flt-prod1')).toEqual([f.prod1.id]);
    expect(await ids('/accounts?name=flt-acc2')).toEqual([f.acc2.id]);
    expect(await ids('/upstreams?name=no-such-name')).toEqual([]);
    // Names unique only within a parent: the name filter finds all, the parent filter narrows.
    expect(await ids('/plans?name=gold')).toEqual([f.plan1.id, f.plan2.id]);
    expect(await ids('/applications?name=shared-name')).toEqual([f.app1.id, f.app2.id]);
  });

  it('by parent id', async () => {
    expect(await ids(`/apis?upstreamId=${f.up2.id}`)).toEqual([f.api2.id, f.api3.id]);
    expect(await ids(`/plans?productId=${f.prod2.id}`)).toEqual([f.plan2.id, f.plan3.id]);
    expect(await ids(`/applications?accountId=${f.acc2.id}`)).toEqual([f.app2.id]);
    expect(await ids(`/subscriptions?applicationId=${f.app1.id}`)).toEqual([f.sub1.id, f.sub2.id]);
    expect(await ids(`/subscriptions?planId=${f.plan3.id}`)).toEqual([f.sub2.id, f.sub3.id]);
    expect(await ids(`/products?apiId=${f.api3.id}`)).toEqual([f.prod2.id]);
  });

  it('by state, and filters combined with AND', async () => {
    expect(await ids(`/plans?productId=${f.prod2.id}&state=staging`)).toEqual([f.plan2.id]);
    expect(await ids(`/applications?name=shared-name&state=suspended`)).toEqual([f.app2.id]);
    expect(await ids(`/accounts?name=flt-acc2&state=pending`)).toEqual([f.acc2.id]);
    expect(await ids(`/accounts?name=flt-acc2&state=approved`)).toEqual([]);
    // silver needs manual approval: both subscriptions to it start pending.
    expect(await ids(`/subscriptions?planId=${f.plan3.id}&state=pending`)).toEqual([f.sub2.id, f.sub3.id]);
    expect(await ids(`/subscriptions?applicationId=${f.app1.id}&state=active`)).toEqual([f.sub1.id]);
    expect(await ids(`/subscriptions?applicationId=${f.app2.id}&planId=${f.plan1.id}`)).toEqual([]);
  });

  it('refuses an unknown state value', async () => {
    const r = await call('GET', '/subscriptions?state=sleeping');
    expectProblem(r, 400, 'validation-failed');
    expect(errorPaths(r)).toEqual(['querystring.state']);
  });
});

describe('references and conflicts', () => {
  it('an API naming a missing upstream is 422 reference-not-found, and nothing is created', async () => {
    const before = await snapshot();
    const r = await call('POST', '/apis', {
      name: 'ref-api',
      basePath: '/ref',
      upstreamId: missing.upstream,
    });
    expectProblem(r, 422, 'reference-not-found');
    expect(r.body.detail).toContain(missing.upstream);
    expectProblem(
      await call('POST', '/products', { name: 'ref-prod', apiIds: [missing.api] }),
      422,
      'reference-not-found',
    );
    expectProblem(
      await call('POST', '/plans', { productId: missing.product, name: 'ref' }),
      422,
      'reference-not-found',
    );
    expectProblem(
      await call('POST', '/applications', { accountId: missing.account, name: 'ref' }),
      422,
      'reference-not-found',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('a subscription naming a missing application or plan is 422', async () => {
    const account = await create('/accounts', { name: 'ref-acc' });
    const application = await create('/applications', { accountId: account.id, name: 'ref-app' });
    const before = await snapshot();
    expectProblem(
      await call('POST', '/subscriptions', { applicationId: application.id, planId: missing.plan }),
      422,
      'reference-not-found',
    );
    expectProblem(
      await call('POST', '/subscriptions', { applicationId: missing.application, planId: missing.plan }),
      422,
      'reference-not-found',
    );
    expect(await snapshot()).toEqual(before);
  });

  it('deleting an upstream in use is 409 and keeps it; after the API moves, it goes', async () => {
    const used = await create('/upstreams', { name: 'in-use', targets: [{ url: 'http://127.0.0.1:9' }] });
    const spare = await create('/upstreams', { name: 'spare', targets: [{ url: 'http://127.0.0.1:9' }] });
    const api = await create('/apis', { name: 'user-of-in-use', basePath: '/in-use', upstreamId: used.id });
    const before = await snapshot();
    const r = await call('DELETE', '/upstreams/in-use');
    expectProblem(r, 409, 'conflict');
    expect(r.body.detail).toContain('user-of-in-use');
    expect(await snapshot()).toEqual(before);
    expect((await call('GET', `/upstreams/${used.id}`)).status).toBe(200);

    expect((await call('PATCH', `/apis/${api.id}`, { upstreamId: spare.id })).status).toBe(200);
    expect((await call('DELETE', `/upstreams/${used.id}`)).status).toBe(204);
  });

  it('a plan or product with subscriptions cannot be deleted', async () => {
    const product = await create('/products', { name: 'subscribed-prod', apiIds: [] });
    const plan = await create('/plans', { productId: product.id, name: 'p' });
    const account = await create('/accounts', { name: 'subscribed-acc' });
    const application = await create('/applications', { accountId: account.id, name: 'a' });
    await create('/subscriptions', { applicationId: application.id, planId: plan.id });
    const before = await snapshot();
    expectProblem(await call('DELETE', `/plans/${plan.id}`), 409, 'conflict');
    expectProblem(await call('DELETE', `/products/${product.id}`), 409, 'conflict');
    expect(await snapshot()).toEqual(before);
  });

  it('duplicate names are 409 conflict, on create and on rename', async () => {
    const upstream = await create('/upstreams', { name: 'dup-up', targets: [{ url: 'http://127.0.0.1:9' }] });
    const other = await create('/upstreams', { name: 'dup-up2', targets: [{ url: 'http://127.0.0.1:9' }] });
    const api = await create('/apis', { name: 'dup-api', basePath: '/dup', upstreamId: upstream.id });
    await create('/apis/dup-api/routes', { name: 'r', path: '/r' });
    const product = await create('/products', { name: 'dup-prod', apiIds: [] });
    await create('/plans', { productId: product.id, name: 'plan' });
    const account = await create('/accounts', { name: 'dup-acc' });
    await create('/applications', { accountId: account.id, name: 'app' });

    const before = await snapshot();
    const attempts: [string, string, unknown][] = [
      ['POST', '/upstreams', { name: 'dup-up', targets: [{ url: 'http://127.0.0.1:9' }] }],
      ['PATCH', `/upstreams/${other.id}`, { name: 'dup-up' }],
      ['POST', '/apis', { name: 'dup-api', basePath: '/dup-other', upstreamId: upstream.id }],
      ['POST', `/apis/${api.id}/routes`, { name: 'r', path: '/other' }],
      ['POST', `/apis/${api.id}/routes`, { name: 'r2', path: '/r' }],
      ['POST', '/products', { name: 'dup-prod', apiIds: [] }],
      ['POST', '/plans', { productId: product.id, name: 'plan' }],
      ['POST', '/accounts', { name: 'dup-acc' }],
      ['POST', '/applications', { accountId: account.id, name: 'app' }],
    ];
    for (const [method, path, body] of attempts) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`).toBe(409);
      expectProblem(r, 409, 'conflict');
    }
    expect(await snapshot()).toEqual(before);
  });
});

describe('subscription states', () => {
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  const s: Record<string, any> = {};

  beforeAll(async () => {
    s.product = await create('/products', { name: 'states-prod', apiIds: [] });
    s.manual = await create('/plans', { productId: s.product.id, name: 'manual', approval: 'manual' });
    s.account = await create('/accounts', { name: 'states-acc' });
    s.app = await create('/applications', { accountId: s.account.id, name: 'states-app' });
  });

  it('a plan with manual approval makes new subscriptions pending; pending → active is allowed', async () => {
    const sub = await create('/subscriptions', { applicationId: s.app.id, planId: s.manual.id });
    expect(sub.state).toBe('pending');
    const approved = await call('PATCH', `/subscriptions/${sub.id}`, { state: 'active' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body.state).toBe('active');
    s.sub = sub;
  });

  it('cancelled is final: cancelled → active is 409 invalid-transition and the state stays', async () => {
    const cancelled = await call('PATCH', `/subscriptions/${s.sub.id}`, { state: 'cancelled' });
    expect(cancelled.status, cancelled.text).toBe(200);
    const before = await snapshot();
    const r = await call('PATCH', `/subscriptions/${s.sub.id}`, { state: 'active' });
    expectProblem(r, 409, 'invalid-transition');
    expect(r.body.detail).toMatch(/cancelled/);
    expect((await call('GET', `/subscriptions/${s.sub.id}`)).body.state).toBe('cancelled');
    expect(await snapshot()).toEqual(before);
  });

  it('a second open subscription on the same product is a conflict', async () => {
    const auto = await create('/plans', { productId: s.product.id, name: 'auto' });
    const first = await create('/subscriptions', { applicationId: s.app.id, planId: auto.id });
    expect(first.state).toBe('active');
    const other = await create('/plans', { productId: s.product.id, name: 'other' });
    expectProblem(
      await call('POST', '/subscriptions', { applicationId: s.app.id, planId: other.id }),
      409,
      'conflict',
    );
  });

  it('a state outside the list is a validation error', async () => {
    const r = await call('PATCH', `/subscriptions/${s.sub.id}`, { state: 'paused' });
    expectProblem(r, 400, 'validation-failed');
    expect(errorPaths(r)).toEqual(['body.state']);
  });
});

describe('bad input: a 400 problem naming each field, and nothing changed', () => {
  // biome-ignore lint/suspicious/noExplicitAny: resources have many shapes.
  const b: Record<string, any> = {};

  beforeAll(async () => {
    b.upstream = await create('/upstreams', { name: 'bad-parent', targets: [{ url: 'http://127.0.0.1:9' }] });
    b.api = await create('/apis', { name: 'bad-parent', basePath: '/bad-parent', upstreamId: b.upstream.id });
  });

  const good = { name: 'never-created', targets: [{ url: 'http://127.0.0.1:9' }] };

  it.each([
    ['an unknown field', { ...good, colour: 'red' }, 'body', /colour/],
    ['a wrong type', { ...good, name: 42 }, 'body.name', /string/],
    ['a missing field', { name: 'never-created' }, 'body.targets', /./],
    ['a bad URL', { ...good, targets: [{ url: 'not a url' }] }, 'body.targets[0].url', /URL/],
    [
      'a URL of another scheme',
      { ...good, targets: [{ url: 'ftp://example.com' }] },
      'body.targets[0].url',
      /http/,
    ],
    ['a bad weight', { ...good, targets: [{ url: 'http://a', weight: -1 }] }, 'body.targets[0].weight', /./],
    ['an empty target list', { ...good, targets: [] }, 'body.targets', /./],
    ['a bad name', { ...good, name: 'has space' }, 'body.name', /letter/],
    ['an array body', [good], 'body', /object/],
  ])('upstream with %s', async (_what, body, path, message) => {
    const before = await snapshot();
    const r = await call('POST', '/upstreams', body);
    expectProblem(r, 400, 'validation-failed');
    const error = r.body.errors.find((e: { path: string }) => e.path === path);
    expect(error, `errors: ${JSON.stringify(r.body.errors)}`).toBeDefined();
    expect(error.message).toMatch(message);
    expect(r.body.detail).toContain(path);
    expect(await snapshot()).toEqual(before);
  });

  it('several bad fields are all named', async () => {
    const r = await call('POST', '/upstreams', {
      name: '',
      targets: [{ url: 'x' }, { url: 'http://a', extra: 1 }],
    });
    expectProblem(r, 400, 'validation-failed');
    expect(errorPaths(r)).toEqual(
      expect.arrayContaining(['body.name', 'body.targets[0].url', 'body.targets[1]']),
    );
  });

  it.each([
    ['relative', 'weather', /start with/],
    ['with a trailing slash', '/weather/', /end with/],
    ['with a parameter', '/weather/{id}', /literal/],
    ['with an empty segment', '/a//b', /empty/],
    ['with a dot segment', '/a/../b', /\./],
  ])('API with a base path %s', async (_what, basePath, message) => {
    const before = await snapshot();
    const r = await call('POST', '/apis', { name: 'never-created', basePath, upstreamId: b.upstream.id });
    expectProblem(r, 400, 'validation-failed');
    expect(errorPaths(r)).toEqual(['body.basePath']);
    expect(r.body.errors[0].message).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['a malformed parameter', '/items/{id'],
    ['a star before the end', '/items/*/more'],
    ['a repeated parameter', '/{id}/{id}'],
    ['no leading slash', 'items'],
    ['a space', '/it ems'],
  ])('route with %s', async (_what, path) => {
    const before = await snapshot();
    const r = await call('POST', `/apis/${b.api.id}/routes`, { name: 'never-created', path });
    expectProblem(r, 400, 'validation-failed');
    expect(errorPaths(r)).toEqual(['body.path']);
    expect(await snapshot()).toEqual(before);
  });

  it('bad fields of the other resources are named too', async () => {
    const before = await snapshot();
    const cases: [string, string, unknown, string][] = [
      ['POST', `/apis/${b.api.id}/routes`, { name: 'x', path: '/x', methods: ['FETCH'] }, 'body.methods[0]'],
      ['POST', '/apis', { name: 'x', basePath: '/x', upstreamId: 'not-an-id' }, 'body.upstreamId'],
      [
        'POST',
        '/apis',
        { name: 'x', basePath: '/x', upstreamId: b.upstream.id, hosts: ['Upper.Case'] },
        'body.hosts[0]',
      ],
      ['POST', '/products', { name: 'x', apiIds: 'all' }, 'body.apiIds'],
      [
        'POST',
        '/plans',
        { productId: missing.product, name: 'x', limits: [{ metric: 'hits', period: 'week', max: 1 }] },
        'body.limits[0].period',
      ],
      ['POST', '/accounts', { name: 'x', email: 'not-an-email' }, 'body.email'],
      ['POST', '/accounts', { name: 'x', state: 'happy' }, 'body.state'],
      ['POST', '/applications', { accountId: missing.account }, 'body.name'],
      ['POST', '/subscriptions', { applicationId: missing.application }, 'body.planId'],
      [
        'PATCH',
        `/upstreams/${b.upstream.id}`,
        { targets: [{ url: 'http://a', weight: 1.5 }] },
        'body.targets[0].weight',
      ],
      ['PATCH', `/apis/${b.api.id}`, { basePath: 'nope' }, 'body.basePath'],
      ['PATCH', `/apis/${b.api.id}`, { id: missing.api }, 'body'],
    ];
    for (const [method, path, body, field] of cases) {
      const r = await call(method, path, body);
      expect(r.status, `${method} ${path} ${JSON.stringify(body)}: ${r.text}`).toBe(400);
      expectProblem(r, 400, 'validation-failed');
      expect(errorPaths(r), `${method} ${path} ${JSON.stringify(body)}`).toContain(field);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('malformed JSON is 400 malformed-body', async () => {
    const before = await snapshot();
    for (const raw of ['{"name":', '{name: "x"}', '']) {
      const r = await call('POST', '/upstreams', undefined, { raw });
      expectProblem(r, 400, 'malformed-body');
    }
    expectProblem(
      await call('PATCH', `/upstreams/${b.upstream.id}`, undefined, { raw: '[' }),
      400,
      'malformed-body',
    );
    expect(await snapshot()).toEqual(before);
  });

  it.each([
    ['application/xml', '<upstream/>'],
    ['application/x-www-form-urlencoded', 'name=x'],
    ['text/plain', JSON.stringify(good)],
  ])('a body of type %s is 415', async (contentType, raw) => {
    const before = await snapshot();
    const r = await call('POST', '/upstreams', undefined, { raw, contentType });
    expectProblem(r, 415, 'unsupported-media-type');
    expect(await snapshot()).toEqual(before);
  });

  it('a body over the size limit is 413 payload-too-large', async () => {
    const before = await snapshot();
    const raw = JSON.stringify({ ...good, description: 'x'.repeat(2 * 1024 * 1024) });
    expectProblem(await call('POST', '/upstreams', undefined, { raw }), 413, 'payload-too-large');
    expect(await snapshot()).toEqual(before);
  });

  it('a URL the router cannot read is still a problem, not a framework error', async () => {
    // A broken percent-escape, and an id far longer than any id or name.
    const broken = await call('GET', '/upstreams/%E0%A4%A');
    expectProblem(broken, 400, broken.body?.code ?? 'validation-failed');
    const long = await call('GET', `/upstreams/${'a'.repeat(300)}`);
    expect([400, 404, 414]).toContain(long.status);
    expectProblem(long, long.status, long.body?.code ?? 'not-found');
    expect(long.text).not.toContain('a'.repeat(300));
  });

  it('a method a path does not have is a problem', async () => {
    const r = await call('PUT', `/upstreams/${b.upstream.id}`, good);
    expect([404, 405]).toContain(r.status);
    expectProblem(r, r.status, r.status === 404 ? 'not-found' : 'method-not-allowed');
  });

  it('an unknown endpoint or a missing item is a 404 problem', async () => {
    expectProblem(await call('GET', '/widgets'), 404, 'not-found');
    for (const [path, id] of [
      ['/upstreams', missing.upstream],
      ['/apis', 'no-such-api'],
      ['/products', missing.product],
      ['/plans', missing.plan],
      ['/accounts', 'no-such-account'],
      ['/applications', missing.application],
      ['/subscriptions', missing.subscription],
      [`/applications/${missing.application}/keys`, missing.key],
      [`/apis/${b.api.id}/routes`, 'no-such-route'],
    ]) {
      expectProblem(await call('GET', `${path}/${id}`), 404, 'not-found');
    }
  });
});

describe('authentication', () => {
  const collections = [
    '/upstreams',
    '/apis',
    `/apis/${missing.api}/routes`,
    '/products',
    '/plans',
    '/accounts',
    '/applications',
    `/applications/${missing.application}/keys`,
    '/subscriptions',
  ];
  const operations = collections.flatMap((c): [string, string, unknown][] => [
    ['GET', c, undefined],
    ['POST', c, { name: 'x' }],
    ['GET', `${c}/xyz`, undefined],
    ['PATCH', `${c}/xyz`, { name: 'y' }],
    ['DELETE', `${c}/xyz`, undefined],
  ]);
  operations.push(['GET', '/config', undefined], ['POST', '/config', {}], ['GET', '/status', undefined]);

  it.each([
    ['no token', null],
    ['a wrong token', 'Bearer wrong-token-0123456789abcdef'],
    ['the right token in another scheme', `Basic ${token}`],
    ['an empty bearer', 'Bearer '],
  ])('%s: 401 with WWW-Authenticate on every operation, and nothing changed', async (_what, auth) => {
    const before = await snapshot();
    for (const [method, path, body] of operations) {
      const r = await call(method, path, body, { auth });
      expect(r.status, `${method} ${path}`).toBe(401);
      expectProblem(r, 401, 'unauthorized');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer\b/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('a wrong token on a well-formed create changes nothing', async () => {
    const body = { name: 'auth-never', targets: [{ url: 'http://127.0.0.1:9' }] };
    const r = await call('POST', '/upstreams', body, { auth: 'Bearer nope-nope-nope-nope' });
    expectProblem(r, 401, 'unauthorized');
    expect((await call('GET', '/upstreams?name=auth-never')).body.data).toEqual([]);
  });
});

describe('the OpenAPI document', () => {
  // biome-ignore lint/suspicious/noExplicitAny: an OpenAPI document is deeply nested JSON.
  let doc: any;
  let text = '';

  beforeAll(async () => {
    const response = await fetch(`${base}/openapi.json`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    text = await response.text();
    doc = JSON.parse(text);
  });

  it('is OpenAPI 3.1 and valid', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    const result = await validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("passes Spectral's spectral:oas ruleset without errors", async () => {
    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas, 'recommended']] } as unknown as Parameters<
      Spectral['setRuleset']
    >[0]);
    const results = await spectral.run(new Document(text, Parsers.Json, 'openapi.json'));
    const errors = results.filter((r) => r.severity === 0);
    const warnings = results.filter((r) => r.severity === 1);
    console.log(`spectral:oas on the admin API: ${errors.length} errors, ${warnings.length} warnings`);
    expect(errors.map((e) => `${e.code} at ${e.path.join('.')}: ${e.message}`)).toEqual([]);
  });

  it('describes every operation of the nine resources and /config, with bearer auth', () => {
    const collections = [
      'upstreams',
      'apis',
      'apis/{api}/routes',
      'products',
      'plans',
      'accounts',
      'applications',
      'applications/{application}/keys',
      'subscriptions',
    ];
    const items: Record<string, string> = {
      upstreams: 'upstream',
      apis: 'api',
      'apis/{api}/routes': 'route',
      products: 'product',
      plans: 'plan',
      accounts: 'account',
      applications: 'application',
      'applications/{application}/keys': 'key',
      subscriptions: 'subscription',
    };
    for (const c of collections) {
      const collection = doc.paths[`/admin/v1/${c}`];
      const item = doc.paths[`/admin/v1/${c}/{${items[c]}}`];
      expect(collection, c).toBeDefined();
      expect(item, `${c}/{${items[c]}}`).toBeDefined();
      expect(
        Object.keys(collection)
          .filter((k) => k !== 'parameters')
          .sort(),
        c,
      ).toEqual(['get', 'post']);
      expect(
        Object.keys(item)
          .filter((k) => k !== 'parameters')
          .sort(),
        c,
      ).toEqual(['delete', 'get', 'patch']);
    }
    expect(Object.keys(doc.paths['/admin/v1/config']).sort()).toEqual(['get', 'post']);
    const schemes = Object.values(doc.components.securitySchemes) as { type: string; scheme: string }[];
    expect(schemes).toContainEqual(expect.objectContaining({ type: 'http', scheme: 'bearer' }));
    expect(doc.security?.length).toBeGreaterThan(0);
  });

  it('documents every error response as application/problem+json', () => {
    let count = 0;
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(
        operations as Record<string, { responses?: object }>,
      )) {
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (Number(status) < 400) continue;
          count++;
          expect(
            Object.keys((response as { content?: object }).content ?? {}),
            `${method} ${path} ${status}`,
          ).toEqual(['application/problem+json']);
        }
      }
    }
    expect(count).toBeGreaterThan(50);
  });

  it('request schemas say what the API enforces', () => {
    // biome-ignore lint/suspicious/noExplicitAny: schemas are nested JSON.
    const resolve = (schema: any): any =>
      schema?.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()]) : schema;
    const bodyOf = (path: string, method: string) =>
      resolve(doc.paths[path][method].requestBody.content['application/json'].schema);

    const upstreamCreate = bodyOf('/admin/v1/upstreams', 'post');
    expect(upstreamCreate.additionalProperties).toBe(false);
    expect([...upstreamCreate.required].sort()).toEqual(['name', 'targets']);
    expect(upstreamCreate.properties.targets.minItems).toBe(1);
    const target = resolve(upstreamCreate.properties.targets.items);
    expect(target.additionalProperties).toBe(false);
    expect(target.required).toEqual(['url']);
    // The components entry of the same name agrees.
    expect(doc.components.schemas.UpstreamCreate.additionalProperties).toBe(false);
    expect([...doc.components.schemas.UpstreamCreate.required].sort()).toEqual(['name', 'targets']);

    // The API refuses unknown fields everywhere, so every request body says so.
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(
        operations as Record<string, { requestBody?: unknown }>,
      )) {
        if (!operation.requestBody) continue;
        // The one exception: usage batches come from data-plane nodes that may run a newer
        // Turnpike, and a batch refused for a field this version does not know would be lost.
        if (path === '/admin/v1/sync/usage') {
          expect(bodyOf(path, method).additionalProperties, `${method} ${path}`).not.toBe(false);
          continue;
        }
        // A body of several shapes (credentials: basic or mtls) says so for each.
        const body = bodyOf(path, method);
        for (const shape of body.oneOf ?? body.anyOf ?? [body])
          expect(resolve(shape).additionalProperties, `${method} ${path}`).toBe(false);
      }
    }

    const limit = doc.paths['/admin/v1/upstreams'].get.parameters.find(
      (p: { name: string }) => p.name === 'limit',
    );
    expect(limit.schema).toMatchObject({ minimum: 1, maximum: 200 });
    const subscriptionState = doc.paths['/admin/v1/subscriptions'].get.parameters.find(
      (p: { name: string }) => p.name === 'state',
    );
    expect(resolve(subscriptionState.schema).enum).toEqual([
      'pending',
      'active',
      'suspended',
      'cancelled',
      'rejected',
    ]);
  });
});
