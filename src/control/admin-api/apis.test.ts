// GET /admin/v1/apis/{api}/openapi on both stores: the stored document byte for byte as written,
// as a download, to viewers too; a 404 problem without one. And documents above the server's
// 1 MiB body limit are taken on create and update, up to the API's own limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin, testAdminToken } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';

// Keys out of the usual order, to see that they come back as written.
const document = {
  info: { version: '1.0.0', title: 'Weather', description: 'Forecasts — by city.' },
  openapi: '3.0.3',
  paths: { '/zeta': {}, '/alpha': { get: { responses: { 200: { description: 'OK' } } } } },
};

describe.each(storeKinds)('the OpenAPI document endpoint on %s', (kind) => {
  let h: AdminHarness;
  let upstreamId = '';
  let viewer = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    upstreamId = (
      await created(h, '/admin/v1/upstreams', { name: 'up', targets: [{ url: 'http://127.0.0.1:9' }] })
    ).id;
    viewer = (await created(h, '/admin/v1/tokens', { name: 'reader', role: 'viewer' })).token as string;
  });
  afterAll(() => h.close());

  const raw = (url: string, token: string) =>
    h.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const send = (method: 'POST' | 'PATCH', url: string, payload: string) =>
    h.app.inject({
      method,
      url,
      payload,
      headers: { authorization: `Bearer ${testAdminToken}`, 'content-type': 'application/json' },
    });

  it('returns the document as written, by id or name, as a download, to a viewer', async () => {
    const api = await created(h, '/admin/v1/apis', {
      name: 'weather',
      basePath: '/weather',
      upstreamId,
      openapi: document,
    });
    for (const ref of [api.id, 'weather']) {
      const response = await raw(`/admin/v1/apis/${ref}/openapi`, viewer);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers['content-disposition']).toBe('attachment; filename="weather.openapi.json"');
      expect(response.body).toBe(JSON.stringify(document));
    }
  });

  it('answers 404 problems for an API without a document and for no API at all', async () => {
    await created(h, '/admin/v1/apis', { name: 'bare', basePath: '/bare', upstreamId });
    const none = await h.call('GET', '/admin/v1/apis/bare/openapi');
    expect(none.status).toBe(404);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body).toMatchObject({ code: 'not-found', detail: 'API bare has no OpenAPI document' });
    const missing = await h.call('GET', '/admin/v1/apis/nowhere/openapi');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not-found', detail: 'no API nowhere' });
    expect((await raw('/admin/v1/apis/bare/openapi', 'wrong-token-0123456789abcdef')).statusCode).toBe(401);
  });

  it('takes a 4 MiB document on create and update, and refuses a body over 16 MiB with 413', async () => {
    const large = { ...document, 'x-padding': 'p'.repeat(4 * 1024 * 1024) };
    const body = JSON.stringify({ name: 'large', basePath: '/large', upstreamId, openapi: large });
    const create = await send('POST', '/admin/v1/apis', body);
    expect(create.statusCode, create.body).toBe(201);
    expect(create.json().openapiSummary.bytes).toBe(Buffer.byteLength(JSON.stringify(large)));
    expect(create.body.length).toBeLessThan(10_000);
    const update = await send(
      'PATCH',
      '/admin/v1/apis/large',
      JSON.stringify({ openapi: { ...large, openapi: '3.1.0' } }),
    );
    expect(update.statusCode, update.body).toBe(200);
    expect((await raw('/admin/v1/apis/large/openapi', viewer)).json().openapi).toBe('3.1.0');

    const huge = JSON.stringify({ overview: 'o'.repeat(17 * 1024 * 1024) });
    const refused = await send('PATCH', '/admin/v1/apis/large', huge);
    expect(refused.statusCode).toBe(413);
    expect(refused.json().code).toBe('payload-too-large');
    // A route without the larger limit keeps the server's 1 MiB.
    const upstream = await send(
      'PATCH',
      `/admin/v1/upstreams/${upstreamId}`,
      JSON.stringify({ description: 'd'.repeat(2 * 1024 * 1024) }),
    );
    expect(upstream.statusCode).toBe(413);
  });
});
