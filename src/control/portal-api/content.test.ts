// What the portal shows before anyone signs in, on both stores: the branding without the
// console's settings, the custom CSS as a style sheet, published pages only (by order, then
// title), and the field definitions the sign-up and application forms ask for.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { type PortalHarness, startPortal } from '../../../test/support/portal.ts';

describe.each(storeKinds)('portal content on %s', (kind) => {
  let admin: AdminHarness;
  let portal: PortalHarness;

  beforeAll(async () => {
    admin = await startAdmin(kind);
    portal = await startPortal(admin);
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  it('answers the branding to anyone, without the custom CSS and domain, and serves the CSS', async () => {
    const visitor = portal.browser();
    expect((await visitor.call('GET', '/portal/v1/branding')).body).toEqual({
      name: 'Turnpike developer portal',
      logo: null,
      favicon: null,
      colors: { primary: '#3b5bdb', background: '#ffffff', text: '#1d2433' },
    });
    await admin.call('PUT', '/admin/v1/portal/branding', {
      name: 'Acme APIs',
      customCss: ':root { --accent: hotpink }',
      customDomain: 'developer.acme.test',
    });
    const branding = await visitor.call('GET', '/portal/v1/branding');
    expect(branding.body.name).toBe('Acme APIs');
    expect(branding.body).not.toHaveProperty('customCss');
    expect(branding.body).not.toHaveProperty('customDomain');
    const css = await portal.app.inject({ method: 'GET', url: '/portal/v1/branding.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toBe(':root { --accent: hotpink }');
  });

  it('lists published pages by order then title, and shows one with its body; drafts are 404', async () => {
    const page = (slug: string, kind: string, title: string, extra = {}) =>
      created(admin, '/admin/v1/portal/pages', { slug, kind, title, body: `# ${title}`, ...extra });
    await page('b-guide', 'guide', 'Bravo', { published: true });
    await page('a-guide', 'guide', 'Alpha', { published: true });
    await page('first', 'guide', 'Zulu', { published: true, order: -5 });
    await page('draft', 'guide', 'Draft');
    await page('keys', 'faq', 'Keys', { published: true });
    const visitor = portal.browser();
    const guides = await visitor.call('GET', '/portal/v1/pages?kind=guide');
    expect(guides.body.data.map((p: { slug: string }) => p.slug)).toEqual(['first', 'a-guide', 'b-guide']);
    expect(guides.body.data[0]).toEqual({
      slug: 'first',
      kind: 'guide',
      title: 'Zulu',
      order: -5,
      updatedAt: expect.any(String),
    });
    expect((await visitor.call('GET', '/portal/v1/pages')).body.data).toHaveLength(4);
    expect((await visitor.call('GET', '/portal/v1/pages?kind=blog')).status).toBe(400);
    const one = await visitor.call('GET', '/portal/v1/pages/keys');
    expect(one.body).toMatchObject({ slug: 'keys', kind: 'faq', title: 'Keys', body: '# Keys' });
    for (const slug of ['draft', 'nothing', 'Not_A_Slug']) {
      const missing = await visitor.call('GET', `/portal/v1/pages/${slug}`);
      expect([missing.status, missing.body.code], slug).toEqual([404, 'not-found']);
    }
    const byId = (await admin.call('GET', '/admin/v1/portal/pages/keys')).body.id;
    expect((await visitor.call('GET', `/portal/v1/pages/${byId}`)).status).toBe(404);
  });

  it('lists the field definitions in form order, per target when asked', async () => {
    await created(admin, '/admin/v1/portal/fields', {
      target: 'account',
      name: 'size',
      label: 'Company size',
      type: 'choice',
      choices: ['1-10', '11+'],
      order: 2,
    });
    await created(admin, '/admin/v1/portal/fields', {
      target: 'account',
      name: 'vat',
      label: 'VAT',
      type: 'text',
      required: true,
      order: 1,
    });
    await created(admin, '/admin/v1/portal/fields', {
      target: 'application',
      name: 'url',
      label: 'URL',
      type: 'text',
    });
    const visitor = portal.browser();
    const all = await visitor.call('GET', '/portal/v1/fields');
    expect(all.body.data.map((f: { target: string; name: string }) => `${f.target}/${f.name}`)).toEqual([
      'account/vat',
      'account/size',
      'application/url',
    ]);
    expect(all.body.data[1]).toEqual({
      target: 'account',
      name: 'size',
      label: 'Company size',
      type: 'choice',
      choices: ['1-10', '11+'],
      required: false,
      order: 2,
    });
    const apps = await visitor.call('GET', '/portal/v1/fields?target=application');
    expect(apps.body.data.map((f: { name: string }) => f.name)).toEqual(['url']);
  });
});
