// The portal in declarative files, on both stores: branding, pages and fields applied and
// exported (apply → export → apply changes nothing and makes no revision), present lists exact,
// and custom field values on accounts and applications checked against the file's definitions.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../../test/support/databases.ts';
import type { Store } from '../../store/db.ts';
import { accounts } from '../../store/schema/index.ts';
import { getBranding } from '../services/portal-branding.ts';
import { createSupportMessage } from '../services/support-messages.ts';
import { currentRevision } from '../services/write.ts';
import { applyDocument } from './apply.ts';
import { type ConfigDocument, configDocument } from './document.ts';
import { exportDocument } from './export.ts';

function example(): ConfigDocument {
  return {
    portal: {
      branding: { name: 'Acme APIs', colors: { primary: '#ff0000' }, customCss: 'h1 { color: red }' },
      pages: [
        { slug: 'start', kind: 'guide', title: 'Start here', body: '# Start', published: true, order: 1 },
        { slug: 'keys', kind: 'faq', title: 'Keys?', published: false },
      ],
      fields: [
        { target: 'account', name: 'vat', label: 'VAT', type: 'text', required: true },
        { target: 'application', name: 'env', label: 'Env', type: 'choice', choices: ['test', 'prod'] },
      ],
    },
    accounts: [
      {
        name: 'acme',
        customFields: { vat: 'DE1' },
        applications: [{ name: 'app', customFields: { env: 'prod' } }],
      },
    ],
  };
}

describe.each(storeKinds)('the portal in declarative files on %s', (kind) => {
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

  it('applies branding, pages and fields, exports them, and re-applies the export as a no-op', async () => {
    expect(await apply(example())).toEqual([
      'update portal-branding branding',
      'create portal-page start',
      'create portal-page keys',
      'create portal-field account/vat',
      'create portal-field application/env',
      'create account acme',
      'create application acme/app',
    ]);
    const exported = await exportDocument(store.db);
    expect(exported.portal).toEqual({
      branding: { name: 'Acme APIs', colors: { primary: '#ff0000' }, customCss: 'h1 { color: red }' },
      pages: [
        { slug: 'keys', kind: 'faq', title: 'Keys?', published: false },
        { slug: 'start', kind: 'guide', title: 'Start here', published: true, order: 1, body: '# Start' },
      ],
      fields: [
        { target: 'account', name: 'vat', label: 'VAT', type: 'text', required: true },
        { target: 'application', name: 'env', label: 'Env', type: 'choice', choices: ['test', 'prod'] },
      ],
    });
    expect(exported.accounts?.[0]).toMatchObject({
      customFields: { vat: 'DE1' },
      applications: [{ name: 'app', customFields: { env: 'prod' } }],
    });
    expect(configDocument.safeParse(exported).success).toBe(true);
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    expect(await apply(example())).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
    expect(await exportDocument(store.db)).toEqual(exported);
  });

  it('makes no revision for the portal alone, and leaves support messages out of exports', async () => {
    const { accounts: _none, ...portalOnly } = example();
    const doc = { ...portalOnly, portal: { ...portalOnly.portal, fields: [] } };
    await apply(doc);
    expect(await currentRevision(store.db)).toBe(0);
    await createSupportMessage(
      store.db,
      { kind: 'question', subject: 'Hi', body: 'there' },
      { email: 'a@example.com', developerId: null, accountId: null },
    );
    expect(JSON.stringify(await exportDocument(store.db))).not.toContain('a@example.com');
  });

  it('writes no portal in exports of an install that never set any', async () => {
    await apply({ accounts: [{ name: 'plain' }] });
    const exported = await exportDocument(store.db);
    expect(exported).not.toHaveProperty('portal');
    expect(exported.accounts?.[0]).not.toHaveProperty('customFields');
  });

  it('treats present lists as exact and an absent portal or list as untouched', async () => {
    await apply(example());
    // Without `portal`, or with an empty one, nothing of the portal changes.
    expect(await apply({ accounts: example().accounts ?? [] })).toEqual([]);
    expect(await apply({ portal: {}, accounts: example().accounts ?? [] })).toEqual([]);
    const fewer = example();
    if (fewer.portal) {
      fewer.portal.pages = [{ slug: 'start', kind: 'guide', title: 'Start here', published: true, order: 1 }];
      delete fewer.portal.branding;
    }
    // The body left out is the default, empty: the page changes.
    expect(await apply(fewer)).toEqual(['delete portal-page keys', 'update portal-page start']);
    expect((await getBranding(store.db)).name).toBe('Acme APIs');
    // A branding entry is the whole branding: what it leaves out goes back to the default.
    const plain = example();
    if (plain.portal) plain.portal.branding = {};
    const changes = await apply(plain);
    expect(changes).toContain('update portal-branding branding');
    expect(await getBranding(store.db)).toMatchObject({ name: 'Turnpike developer portal', customCss: '' });
  });

  it('keeps values developers gave when the file omits customFields, and deletes them with their field', async () => {
    await apply(example());
    const omitted = example();
    const acme = omitted.accounts?.[0];
    if (acme) {
      delete acme.customFields;
      if (acme.applications?.[0]) delete acme.applications[0].customFields;
    }
    expect(await apply(omitted)).toEqual([]);
    // Blank values are no values, as in the admin API: this is what is stored.
    const blank = example();
    if (blank.accounts?.[0]) blank.accounts[0].customFields = { vat: 'DE1', size: ' ' };
    expect(await apply(blank)).toEqual([]);
    const noVat = example();
    if (noVat.portal) noVat.portal.fields = noVat.portal.fields?.filter((f) => f.name !== 'vat');
    if (noVat.accounts?.[0]) delete noVat.accounts[0].customFields;
    expect(await apply(noVat)).toEqual(['delete portal-field account/vat']);
    const [row] = await store.db.select().from(accounts);
    expect(row?.customFields).toEqual({});
  });

  it('names a bad value at its place in the file and changes nothing', async () => {
    const doc = example();
    const app = doc.accounts?.[0]?.applications?.[0];
    if (app) app.customFields = { env: 'staging' };
    const refused = await applyDocument(store.db, doc);
    expect(refused.ok ? [] : refused.problem.errors).toEqual([
      { path: 'accounts[0].applications[0].customFields.env', message: 'must be one of "test", "prod"' },
    ]);
    expect(await exportDocument(store.db)).not.toHaveProperty('portal');
    const parsed = configDocument.safeParse({
      portal: {
        branding: { colors: { primary: 'red' } },
        pages: [
          { slug: 'a', kind: 'guide', title: 'A' },
          { slug: 'a', kind: 'faq', title: 'Again' },
        ],
        fields: [
          { target: 'account', name: 'x', label: 'X', type: 'choice' },
          { target: 'account', name: 'y', label: 'Y', type: 'text' },
          { target: 'account', name: 'y', label: 'Y again', type: 'text' },
        ],
      },
    });
    expect(parsed.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'portal.branding.colors.primary',
      'portal.pages.1.slug',
      'portal.fields.0.choices',
      'portal.fields.2.name',
    ]);
  });
});
