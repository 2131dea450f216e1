// What the developer portal's catalog reads of an API (version, visibility, lifecycle, overview,
// OpenAPI document, changelog) through the admin API, on both stores: defaults, changes, list
// filters, the document kept as written but shown in brief, and bad values refused by field with
// nothing changed.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { apis } from '../../store/schema/index.ts';

const weatherDocument = {
  openapi: '3.1.0',
  info: { version: '2.0.0', title: 'Weather' },
  paths: { '/forecast': { get: { operationId: 'forecast', responses: { 200: { description: 'OK' } } } } },
  components: {},
};

describe.each(storeKinds)('API catalog fields on %s', (kind) => {
  let h: AdminHarness;
  let upstreamId = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    upstreamId = (
      await created(h, '/admin/v1/upstreams', { name: 'up', targets: [{ url: 'http://127.0.0.1:9' }] })
    ).id;
  });
  afterAll(() => h.close());

  const revision = async () => (await h.call('GET', '/admin/v1/status')).body.revision as number;
  const stored = async (name: string) => (await h.store.db.select().from(apis).where(eq(apis.name, name)))[0];
  const refused = async (method: string, url: string, body: unknown) => {
    const response = await h.call(method, url, body);
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation-failed');
    return (response.body.errors as { path: string; message: string }[]).map(
      (e) => `${e.path}: ${e.message}`,
    );
  };

  it('gives a new API the defaults: no version, public, published, no overview, document or changelog', async () => {
    const api = await created(h, '/admin/v1/apis', { name: 'plain', basePath: '/plain', upstreamId });
    expect(api).toMatchObject({
      version: '',
      visibility: 'public',
      lifecycle: 'published',
      overview: '',
      changelog: '',
      openapiSummary: null,
    });
    // SQL NULL, not a JSON null.
    const [row] = await h.store.db
      .select({ none: sql<boolean>`${apis.openapi} is null` })
      .from(apis)
      .where(eq(apis.name, 'plain'));
    expect(row?.none).toBe(true);
  });

  it('stores every field on create, keeps the document as written, and shows it in brief', async () => {
    const body = {
      name: 'weather',
      basePath: '/weather',
      upstreamId,
      version: 'v2',
      visibility: 'partner',
      lifecycle: 'draft',
      overview: '# Weather\n\nForecasts by city.',
      openapi: weatherDocument,
      changelog: '## 2.0.0\n\n- Forecasts by hour.',
    };
    const api = await created(h, '/admin/v1/apis', body);
    const { openapi: _document, ...shown } = body;
    expect(api).toMatchObject(shown);
    expect(api).not.toHaveProperty('openapi');
    expect(api.openapiSummary).toEqual({
      openapi: '3.1.0',
      title: 'Weather',
      version: '2.0.0',
      bytes: Buffer.byteLength(JSON.stringify(weatherDocument)),
    });
    expect((await h.call('GET', `/admin/v1/apis/${api.id}`)).body).toEqual(api);
    // The Drizzle row, as the portal reads it: the whole document, keys in the order written.
    const row = await stored('weather');
    expect(row).toMatchObject({ version: 'v2', visibility: 'partner', lifecycle: 'draft' });
    expect(JSON.stringify(row?.openapi)).toBe(JSON.stringify(weatherDocument));
  });

  it('changes only what a PATCH names, a new revision each time, and clears the document with null', async () => {
    const api = await created(h, '/admin/v1/apis', {
      name: 'patched',
      basePath: '/patched',
      upstreamId,
      version: 'v1',
      openapi: weatherDocument,
      changelog: 'first',
    });
    let before = await revision();
    const overview = await h.call('PATCH', `/admin/v1/apis/${api.id}`, { overview: 'Only this.' });
    expect(overview.status).toBe(200);
    expect(overview.body).toMatchObject({
      overview: 'Only this.',
      version: 'v1',
      changelog: 'first',
      openapiSummary: { title: 'Weather' },
    });
    expect(await revision()).toBe(before + 1);

    before = await revision();
    const moved = await h.call('PATCH', `/admin/v1/apis/${api.id}`, {
      lifecycle: 'deprecated',
      visibility: 'internal',
      openapi: null,
      changelog: '',
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({
      lifecycle: 'deprecated',
      visibility: 'internal',
      overview: 'Only this.',
      changelog: '',
      openapiSummary: null,
    });
    expect(await revision()).toBe(before + 1);
    const [cleared] = await h.store.db
      .select({ none: sql<boolean>`${apis.openapi} is null` })
      .from(apis)
      .where(eq(apis.name, 'patched'));
    expect(cleared?.none).toBe(true);
  });

  it('records the document in brief in the audit trail, not the document itself', async () => {
    const api = await created(h, '/admin/v1/apis', { name: 'audited', basePath: '/audited', upstreamId });
    await h.call('PATCH', `/admin/v1/apis/${api.id}`, { openapi: weatherDocument });
    const events = await h.call('GET', `/admin/v1/audit-events?objectType=api&objectId=${api.id}`);
    const update = events.body.data.find((e: { action: string }) => e.action === 'update');
    expect(update.before.openapiSummary).toBeNull();
    expect(update.after.openapiSummary).toMatchObject({ title: 'Weather' });
    expect(JSON.stringify(update)).not.toContain('"paths"');
  });

  it('filters the list by visibility and lifecycle, combined with AND', async () => {
    const names = async (query: string) =>
      ((await h.call('GET', `/admin/v1/apis?limit=200&${query}`)).body.data as { name: string }[])
        .map((a) => a.name)
        .filter((n) => n.startsWith('f-'))
        .sort();
    for (const [name, visibility, lifecycle] of [
      ['f-pub', 'public', 'published'],
      ['f-partner', 'partner', 'published'],
      ['f-partner-old', 'partner', 'deprecated'],
      ['f-internal-draft', 'internal', 'draft'],
    ])
      await created(h, '/admin/v1/apis', { name, basePath: `/${name}`, upstreamId, visibility, lifecycle });
    expect(await names('visibility=partner')).toEqual(['f-partner', 'f-partner-old']);
    expect(await names('lifecycle=published')).toEqual(['f-partner', 'f-pub']);
    expect(await names('visibility=partner&lifecycle=deprecated')).toEqual(['f-partner-old']);
    expect(await names('lifecycle=retired')).toEqual([]);
    const bad = await h.call('GET', '/admin/v1/apis?visibility=secret&lifecycle=gone');
    expect(bad.status).toBe(400);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path)).toEqual([
      'querystring.visibility',
      'querystring.lifecycle',
    ]);
  });

  it('refuses a bad visibility, lifecycle or document by field, and changes nothing', async () => {
    const api = await created(h, '/admin/v1/apis', {
      name: 'guarded',
      basePath: '/guarded',
      upstreamId,
      openapi: weatherDocument,
    });
    const before = await revision();
    const lines = await refused('PATCH', `/admin/v1/apis/${api.id}`, {
      visibility: 'secret',
      lifecycle: 'sunset',
      openapi: { swagger: '2.0', info: { title: 'Old', version: '1' } },
      version: 'v'.repeat(51),
      overview: 'a\u0000b',
    });
    expect(lines).toEqual([
      'body.version: Too big: expected string to have <=50 characters',
      'body.visibility: Invalid option: expected one of "public"|"partner"|"internal"',
      'body.lifecycle: Invalid option: expected one of "draft"|"published"|"deprecated"|"retired"',
      'body.overview: must not contain NUL characters',
      'body.openapi.openapi: must be the OpenAPI version, a string such as "3.1.0"',
    ]);
    expect(
      await refused('POST', '/admin/v1/apis', {
        name: 'never',
        basePath: '/never',
        upstreamId,
        openapi: { openapi: '3.0.0' },
      }),
    ).toEqual(['body.openapi.info: must be an object with the title and version of the API']);
    expect(
      await refused('POST', '/admin/v1/apis', { name: 'never', basePath: '/never', upstreamId, openapi: [] }),
    ).toEqual(['body.openapi: must be an OpenAPI 3.x document (a JSON object)']);
    expect((await h.call('GET', `/admin/v1/apis/${api.id}`)).body).toEqual(api);
    expect(JSON.stringify((await stored('guarded'))?.openapi)).toBe(JSON.stringify(weatherDocument));
    expect((await h.call('GET', '/admin/v1/apis?name=never')).body.data).toEqual([]);
    expect(await revision()).toBe(before);
  });
});
