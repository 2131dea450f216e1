// The portal's content through the admin API, on both stores: branding replaced whole with its
// defaults, pages by id or slug with unique slugs, fields whose renames and deletions carry the
// stored values along, and the support inbox newest first. None of it makes a new revision;
// every write is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { createSupportMessage } from '../services/support-messages.ts';
import { currentRevision } from '../services/write.ts';

const defaults = {
  name: 'Turnpike developer portal',
  logo: null,
  favicon: null,
  colors: { primary: '#3b5bdb', background: '#ffffff', text: '#1d2433' },
  customCss: '',
  customDomain: null,
};
const png = `data:image/png;base64,${Buffer.from('not really a png').toString('base64')}`;

describe.each(storeKinds)('portal content in the admin API on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  const paths = (r: { body: { errors?: { path: string }[] } }) => r.body.errors?.map((e) => e.path);

  it('shows the default branding, replaces it whole, and records who did', async () => {
    expect(await h.call('GET', '/admin/v1/portal/branding')).toMatchObject({ status: 200, body: defaults });
    const revision = await currentRevision(h.store.db);
    const put = await h.call('PUT', '/admin/v1/portal/branding', {
      name: 'Acme APIs',
      logo: png,
      colors: { primary: '#FF0000' },
      customCss: 'body { font-size: 18px }',
      customDomain: 'developer.acme.test',
    });
    expect(put.status).toBe(200);
    const acme = {
      ...defaults,
      name: 'Acme APIs',
      logo: png,
      colors: { ...defaults.colors, primary: '#FF0000' },
      customCss: 'body { font-size: 18px }',
      customDomain: 'developer.acme.test',
    };
    expect(put.body).toEqual(acme);
    expect((await h.call('GET', '/admin/v1/portal/branding')).body).toEqual(acme);
    // Fields left out take their defaults again.
    expect(
      (await h.call('PUT', '/admin/v1/portal/branding', { favicon: 'https://acme.test/i.png' })).body,
    ).toEqual({
      ...defaults,
      favicon: 'https://acme.test/i.png',
    });
    expect(await currentRevision(h.store.db)).toBe(revision);
    const audit = await h.call('GET', '/admin/v1/audit-events?objectType=portal-branding');
    expect(audit.body.data[0]).toMatchObject({
      action: 'update',
      objectId: null,
      after: { favicon: 'https://acme.test/i.png' },
    });
  });

  it('refuses bad branding, naming each field, and keeps what was there', async () => {
    const before = (await h.call('GET', '/admin/v1/portal/branding')).body;
    const bad = await h.call('PUT', '/admin/v1/portal/branding', {
      name: '',
      logo: 'http://acme.test/logo.png',
      favicon: `data:image/gif;base64,${Buffer.from('gif').toString('base64')}`,
      colors: { primary: 'red', accent: '#000000' },
      customCss: 'x'.repeat(50_001),
      customDomain: 'https://developer.acme.test',
    });
    expect(bad.status).toBe(400);
    expect(paths(bad)?.sort()).toEqual([
      'body.colors',
      'body.colors.primary',
      'body.customCss',
      'body.customDomain',
      'body.favicon',
      'body.logo',
      'body.name',
    ]);
    const huge = await h.call('PUT', '/admin/v1/portal/branding', {
      logo: `data:image/png;base64,${'A'.repeat(200 * 1024)}`,
    });
    expect([huge.status, paths(huge)]).toEqual([400, ['body.logo']]);
    expect((await h.call('GET', '/admin/v1/portal/branding')).body).toEqual(before);
  });

  it('creates, lists, reads by id or slug, updates and deletes pages; slugs are unique', async () => {
    const revision = await currentRevision(h.store.db);
    const guide = await created(h, '/admin/v1/portal/pages', {
      slug: 'getting-started',
      kind: 'guide',
      title: 'Getting started',
      body: '# Hello',
    });
    expect(guide).toEqual({
      id: expect.stringMatching(/^pag_/),
      slug: 'getting-started',
      kind: 'guide',
      title: 'Getting started',
      body: '# Hello',
      published: false,
      order: 0,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await created(h, '/admin/v1/portal/pages', {
      slug: 'faq-keys',
      kind: 'faq',
      title: 'Keys?',
      published: true,
    });
    expect((await h.call('GET', '/admin/v1/portal/pages/getting-started')).body.id).toBe(guide.id);
    expect((await h.call('GET', `/admin/v1/portal/pages/${guide.id}`)).body.slug).toBe('getting-started');
    const faqs = await h.call('GET', '/admin/v1/portal/pages?kind=faq');
    expect(faqs.body.data.map((p: { slug: string }) => p.slug)).toEqual(['faq-keys']);
    const twice = await h.call('POST', '/admin/v1/portal/pages', {
      slug: 'faq-keys',
      kind: 'faq',
      title: 'Again',
    });
    expect([twice.status, twice.body.code]).toEqual([409, 'conflict']);
    const renamed = await h.call('PATCH', '/admin/v1/portal/pages/getting-started', { slug: 'faq-keys' });
    expect(renamed.status).toBe(409);
    const bad = await h.call('POST', '/admin/v1/portal/pages', { slug: 'Bad Slug', kind: 'blog', title: '' });
    expect(paths(bad)?.sort()).toEqual(['body.kind', 'body.slug', 'body.title']);
    const published = await h.call('PATCH', `/admin/v1/portal/pages/${guide.id}`, {
      published: true,
      order: -1,
    });
    expect(published.body).toMatchObject({ published: true, order: -1, body: '# Hello' });
    expect((await h.call('DELETE', '/admin/v1/portal/pages/faq-keys')).status).toBe(204);
    expect((await h.call('GET', '/admin/v1/portal/pages/faq-keys')).status).toBe(404);
    expect(await currentRevision(h.store.db)).toBe(revision);
    const audit = await h.call('GET', `/admin/v1/audit-events?objectType=portal-page&objectId=${guide.id}`);
    expect(audit.body.data.map((e: { action: string }) => e.action)).toEqual(['update', 'create']);
  });

  it('defines fields: choices for choice fields only, names unique per target', async () => {
    const vat = await created(h, '/admin/v1/portal/fields', {
      target: 'account',
      name: 'vat',
      label: 'VAT number',
      type: 'text',
      required: true,
    });
    expect(vat).toMatchObject({ id: expect.stringMatching(/^fld_/), choices: [], required: true, order: 0 });
    // The same name on another target is another field.
    await created(h, '/admin/v1/portal/fields', {
      target: 'application',
      name: 'vat',
      label: 'VAT',
      type: 'text',
    });
    const again = await h.call('POST', '/admin/v1/portal/fields', {
      target: 'account',
      name: 'vat',
      label: 'Again',
      type: 'text',
    });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    for (const body of [
      { target: 'account', name: 'size', label: 'Size', type: 'choice' },
      { target: 'account', name: 'size', label: 'Size', type: 'text', choices: ['a'] },
      { target: 'account', name: 'size', label: 'Size', type: 'choice', choices: ['a', 'a'] },
    ]) {
      const refused = await h.call('POST', '/admin/v1/portal/fields', body);
      expect([refused.status, paths(refused)?.[0]?.startsWith('body.choices')], JSON.stringify(body)).toEqual(
        [400, true],
      );
    }
    const bad = await h.call('POST', '/admin/v1/portal/fields', {
      target: 'user',
      name: 'Bad-Name',
      label: '',
      type: 'x',
    });
    expect(paths(bad)?.sort()).toEqual(['body.label', 'body.name', 'body.target', 'body.type']);
    const toChoice = await h.call('PATCH', `/admin/v1/portal/fields/${vat.id}`, { type: 'choice' });
    expect([toChoice.status, paths(toChoice)]).toEqual([400, ['body.choices']]);
    const listed = await h.call('GET', '/admin/v1/portal/fields?target=account');
    expect(listed.body.data.map((f: { name: string }) => f.name)).toEqual(['vat']);
  });

  it('checks account and application values against the fields, naming each bad one', async () => {
    await created(h, '/admin/v1/portal/fields', {
      target: 'account',
      name: 'size',
      label: 'Company size',
      type: 'choice',
      choices: ['1-10', '11-100'],
    });
    const refused = await h.call('POST', '/admin/v1/accounts', {
      name: 'refused-co',
      customFields: { size: '5000', nickname: 'x', vat: '' },
    });
    expect([refused.status, refused.body.code]).toEqual([400, 'validation-failed']);
    expect(paths(refused)?.sort()).toEqual(['body.customFields.nickname', 'body.customFields.size']);
    const long = await h.call('POST', '/admin/v1/accounts', {
      name: 'refused-co',
      customFields: { vat: 'y'.repeat(1001) },
    });
    expect([long.status, paths(long)]).toEqual([400, ['body.customFields.vat']]);
    expect((await h.call('GET', '/admin/v1/accounts/refused-co')).status).toBe(404);
    // The provider may leave a required field empty; blank values are no values.
    const acme = await created(h, '/admin/v1/accounts', {
      name: 'acme-co',
      customFields: { size: '1-10', vat: '' },
    });
    expect(acme.customFields).toEqual({ size: '1-10' });
    const changed = await h.call('PATCH', `/admin/v1/accounts/${acme.id}`, {
      customFields: { vat: 'DE123' },
    });
    expect(changed.body.customFields).toEqual({ vat: 'DE123' });
    const app = await created(h, '/admin/v1/applications', {
      accountId: acme.id,
      name: 'billing',
      customFields: { vat: 'DE123' },
    });
    expect(app.customFields).toEqual({ vat: 'DE123' });
    const unknown = await h.call('PATCH', `/admin/v1/applications/${app.id}`, {
      customFields: { size: '1-10' },
    });
    expect([unknown.status, paths(unknown)]).toEqual([400, ['body.customFields.size']]);
  });

  it('renames stored values with their field and deletes them with it', async () => {
    const acme = await created(h, '/admin/v1/accounts', {
      name: 'rename-co',
      customFields: { vat: 'FR1', size: '11-100' },
    });
    const fields = (await h.call('GET', '/admin/v1/portal/fields?target=account')).body.data;
    const vat = fields.find((f: { name: string }) => f.name === 'vat');
    const size = fields.find((f: { name: string }) => f.name === 'size');
    const renamed = await h.call('PATCH', `/admin/v1/portal/fields/${vat.id}`, { name: 'tax_id' });
    expect(renamed.body.name).toBe('tax_id');
    expect((await h.call('GET', `/admin/v1/accounts/${acme.id}`)).body.customFields).toEqual({
      tax_id: 'FR1',
      size: '11-100',
    });
    expect((await h.call('DELETE', `/admin/v1/portal/fields/${size.id}`)).status).toBe(204);
    expect((await h.call('GET', `/admin/v1/accounts/${acme.id}`)).body.customFields).toEqual({
      tax_id: 'FR1',
    });
    // Applications keep their own field of the old name.
    const apps = (await h.call('GET', '/admin/v1/portal/fields?target=application')).body.data;
    expect(apps.map((f: { name: string }) => f.name)).toEqual(['vat']);
  });

  it('lists support messages newest first, filters by state, and marks them', async () => {
    const sender = { email: 'visitor@example.com', developerId: null, accountId: null };
    const first = await createSupportMessage(
      h.store.db,
      { kind: 'question', subject: 'One', body: 'a' },
      sender,
    );
    const second = await createSupportMessage(h.store.db, { kind: 'bug', subject: 'Two', body: 'b' }, sender);
    const list = await h.call('GET', '/admin/v1/portal/messages?limit=1');
    expect(list.body.data).toEqual([second]);
    expect(second).toMatchObject({ state: 'new', email: 'visitor@example.com', developerId: null });
    const older = await h.call('GET', `/admin/v1/portal/messages?limit=1&cursor=${list.body.next}`);
    expect([older.body.data, older.body.next]).toEqual([[first], null]);
    const read = await h.call('PATCH', `/admin/v1/portal/messages/${first.id}`, { state: 'read' });
    expect(read.body).toEqual({ ...first, state: 'read' });
    const fresh = await h.call('GET', '/admin/v1/portal/messages?state=new');
    expect(fresh.body.data.map((m: { id: string }) => m.id)).toEqual([second.id]);
    expect((await h.call('GET', `/admin/v1/portal/messages/${second.id}`)).body).toEqual(second);
    expect((await h.call('PATCH', `/admin/v1/portal/messages/${second.id}`, { state: 'gone' })).status).toBe(
      400,
    );
    expect((await h.call('GET', '/admin/v1/portal/messages/sup_nothing')).status).toBe(404);
    const audit = await h.call('GET', `/admin/v1/audit-events?objectId=${first.id}`);
    expect(audit.body.data[0]).toMatchObject({ before: { state: 'new' }, after: { state: 'read' } });
  });

  it('describes the portal operations under their tags in the OpenAPI document', async () => {
    const doc = (await h.call('GET', '/admin/v1/openapi.json')).body;
    const tagged = (path: string) =>
      Object.values(doc.paths[path] as Record<string, { tags: string[] }>).flatMap((op) => op.tags);
    expect(new Set(tagged('/admin/v1/portal/branding'))).toEqual(new Set(['Portal branding']));
    expect(new Set(tagged('/admin/v1/portal/pages/{page}'))).toEqual(new Set(['Portal pages']));
    expect(new Set(tagged('/admin/v1/portal/fields'))).toEqual(new Set(['Portal fields']));
    expect(new Set(tagged('/admin/v1/portal/messages/{message}'))).toEqual(new Set(['Portal messages']));
    const declared = new Set(doc.tags.map((t: { name: string }) => t.name));
    for (const tag of ['Portal branding', 'Portal pages', 'Portal fields', 'Portal messages'])
      expect(declared.has(tag), tag).toBe(true);
  });
});
