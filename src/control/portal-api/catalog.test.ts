// The portal catalog on both stores: which APIs an account sees (public always, partner when
// approved, internal and drafts never), search over names, descriptions and operations, and the
// products with only their public, published plans and what each costs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { type PortalBrowser, type PortalHarness, startPortal } from '../../../test/support/portal.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('portal catalog on %s', (kind) => {
  let admin: AdminHarness;
  let portal: PortalHarness;
  let dev: PortalBrowser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    admin = await startAdmin(kind);
    portal = await startPortal(admin);
    const upstream = await created(admin, '/admin/v1/upstreams', {
      name: 'up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    const api = async (name: string, body: object) =>
      (ids[name] = (
        await created(admin, '/admin/v1/apis', {
          name,
          basePath: `/${name}`,
          upstreamId: upstream.id,
          ...body,
        })
      ).id);
    await api('weather', {
      description: 'Forecasts for anywhere',
      version: 'v2',
      overview: '# Weather\nAsk for a forecast.',
      openapi: {
        openapi: '3.1.0',
        info: { title: 'Weather', version: '2' },
        paths: { '/storms': { get: { summary: 'List hurricane warnings', operationId: 'listStorms' } } },
      },
    });
    await api('partners-only', { visibility: 'partner' });
    await api('gold-only', { visibility: 'partner', partnerTiers: ['gold'] });
    await api('back-office', { visibility: 'internal' });
    await api('coming-soon', { lifecycle: 'draft' });
    await api('old', { lifecycle: 'deprecated' });
    const product = await created(admin, '/admin/v1/products', {
      name: 'weather',
      description: 'All weather',
      apiIds: [ids.weather, ids['back-office']],
    });
    await created(admin, '/admin/v1/plans', { productId: product.id, name: 'free', default: true });
    await created(admin, '/admin/v1/plans', { productId: product.id, name: 'vip', visibility: 'hidden' });
    await created(admin, '/admin/v1/plans', { productId: product.id, name: 'beta', state: 'staging' });
    await portal.browser().call('POST', '/portal/v1/signup', {
      email: 'dev@example.com',
      password,
      name: 'Dev',
      organization: 'Dev Shop',
    });
    dev = portal.browser();
    await dev.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('dev@example.com', '/verify-email'),
    });
    await dev.signIn('dev@example.com', password);
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  const names = async (url: string) =>
    (await dev.call('GET', url)).body.data.map((a: { name: string }) => a.name);

  it('lists public and deprecated APIs, partner ones only for approved accounts, never internal ones or drafts', async () => {
    expect(await names('/portal/v1/apis')).toEqual(['old', 'partners-only', 'weather']);
    const account = (await admin.call('GET', '/admin/v1/accounts?name=dev-shop')).body.data[0];
    await admin.call('PATCH', `/admin/v1/accounts/${account.id}`, { state: 'pending' });
    expect(await names('/portal/v1/apis')).toEqual(['old', 'weather']);
    expect((await dev.call('GET', `/portal/v1/apis/${ids['partners-only']}`)).status).toBe(404);
    await admin.call('PATCH', `/admin/v1/accounts/${account.id}`, { state: 'approved' });
    expect((await dev.call('GET', `/portal/v1/apis/${ids['back-office']}`)).status).toBe(404);
    expect((await dev.call('GET', '/portal/v1/apis/coming-soon')).status).toBe(404);
    // A partner API for chosen trust tiers: only approved accounts in them see it.
    await admin.call('PATCH', `/admin/v1/accounts/${account.id}`, { tier: 'gold' });
    expect(await names('/portal/v1/apis')).toEqual(['gold-only', 'old', 'partners-only', 'weather']);
    await admin.call('PATCH', `/admin/v1/accounts/${account.id}`, { tier: 'standard' });
    expect((await portal.browser().call('GET', '/portal/v1/apis')).status).toBe(401);
  });

  it('searches names, descriptions and the operations of the OpenAPI document', async () => {
    expect(await names('/portal/v1/apis?q=hurricane')).toEqual(['weather']);
    expect(await names('/portal/v1/apis?q=liststorms')).toEqual(['weather']);
    expect(await names('/portal/v1/apis?q=FORECASTS%20anywhere')).toEqual(['weather']);
    expect(await names('/portal/v1/apis?q=nothing-like-this')).toEqual([]);
  });

  it('shows an API with its document and the products that sell it, with public published plans only', async () => {
    const api = (await dev.call('GET', '/portal/v1/apis/weather')).body;
    expect(api).toMatchObject({
      id: ids.weather,
      url: 'http://127.0.0.1:9/weather',
      version: 'v2',
      overview: '# Weather\nAsk for a forecast.',
      openapi: { info: { title: 'Weather' } },
    });
    expect(api.products).toEqual([
      expect.objectContaining({
        name: 'weather',
        apis: [{ id: ids.weather, name: 'weather' }], // back-office is internal: not named
        plans: [expect.objectContaining({ name: 'free', approval: 'auto', default: true })],
      }),
    ]);
    expect(await names('/portal/v1/products')).toEqual(['weather']);
  });

  it("gives each plan's pricing, null for a free plan", async () => {
    const product = (await admin.call('GET', '/admin/v1/products?name=weather')).body.data[0];
    const pricing = {
      currency: 'EUR',
      setupFee: 10,
      monthlyFee: 49,
      trialDays: 14,
      perUnit: [{ metric: 'hits', upTo: null, price: 0.001 }],
    };
    await created(admin, '/admin/v1/plans', { productId: product.id, name: 'pro', pricing });
    const [listed] = (await dev.call('GET', '/portal/v1/products')).body.data;
    expect(listed.plans.map((p: { name: string; pricing: unknown }) => [p.name, p.pricing])).toEqual([
      ['free', null],
      ['pro', pricing],
    ]);
    const api = (await dev.call('GET', '/portal/v1/apis/weather')).body;
    expect(api.products[0].plans[1]).toMatchObject({ name: 'pro', pricing });
  });
});
