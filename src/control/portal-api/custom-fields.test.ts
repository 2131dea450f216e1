// The provider's extra fields in the portal, on both stores: sign-up asks for the account and
// developer fields (required ones must be filled; a bad value names its field and creates
// nothing), and applications carry their own, checked on create and on edit.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { type PortalBrowser, type PortalHarness, startPortal } from '../../../test/support/portal.ts';
import { accounts, developers } from '../../store/schema/index.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('custom fields in the portal on %s', (kind) => {
  let admin: AdminHarness;
  let portal: PortalHarness;

  beforeAll(async () => {
    admin = await startAdmin(kind);
    portal = await startPortal(admin);
    const field = (body: object) => created(admin, '/admin/v1/portal/fields', body);
    await field({ target: 'account', name: 'vat', label: 'VAT number', type: 'text', required: true });
    await field({
      target: 'account',
      name: 'size',
      label: 'Size',
      type: 'choice',
      choices: ['small', 'large'],
    });
    await field({ target: 'developer', name: 'role', label: 'Your role', type: 'text', required: true });
    await field({
      target: 'application',
      name: 'env',
      label: 'Env',
      type: 'choice',
      choices: ['test', 'prod'],
      required: true,
    });
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  const signUp = (email: string, extra: object) =>
    portal.browser().call('POST', '/portal/v1/signup', {
      email,
      password,
      name: 'Ada',
      organization: `Org ${email}`,
      ...extra,
    });

  it('refuses a sign-up with missing, unknown or bad values, naming each, and creates nothing', async () => {
    const refused = await signUp('ada@example.com', {
      accountFields: { size: 'huge', color: 'blue' },
      developerFields: { role: '   ' },
    });
    expect([refused.status, refused.body.code]).toEqual([400, 'validation-failed']);
    expect(refused.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.accountFields.color',
      'body.accountFields.size',
      'body.accountFields.vat',
      'body.developerFields.role',
    ]);
    const none = await signUp('ada@example.com', {});
    expect(none.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.accountFields.vat',
      'body.developerFields.role',
    ]);
    expect(
      await admin.store.db.select().from(developers).where(eq(developers.email, 'ada@example.com')),
    ).toEqual([]);
    expect(portal.mails).toEqual([]);
  });

  it('stores the values on the account and the developer', async () => {
    const done = await signUp('ada@example.com', {
      accountFields: { vat: 'DE123', size: '' },
      developerFields: { role: 'CTO' },
    });
    expect(done.status).toBe(201);
    const [developer] = await admin.store.db
      .select()
      .from(developers)
      .where(eq(developers.email, 'ada@example.com'));
    expect(developer?.customFields).toEqual({ role: 'CTO' });
    const [account] = await admin.store.db
      .select()
      .from(accounts)
      .where(eq(accounts.email, 'ada@example.com'));
    expect(account?.customFields).toEqual({ vat: 'DE123' });
    expect((await admin.call('GET', `/admin/v1/accounts/${account?.id}`)).body.customFields).toEqual({
      vat: 'DE123',
    });
  });

  it('asks applications for their fields on create, and checks them on edit', async () => {
    const ada: PortalBrowser = portal.browser();
    await ada.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('ada@example.com', '/verify-email'),
    });
    await ada.signIn('ada@example.com', password);
    const missing = await ada.call('POST', '/portal/v1/applications', { name: 'mobile' });
    expect([missing.status, missing.body.errors?.[0]?.path]).toEqual([400, 'body.customFields.env']);
    const wrong = await ada.call('POST', '/portal/v1/applications', {
      name: 'mobile',
      customFields: { env: 'dev' },
    });
    expect(wrong.body.errors).toEqual([
      { path: 'body.customFields.env', message: 'must be one of "test", "prod"' },
    ]);
    expect((await ada.call('GET', '/portal/v1/applications')).body.data).toEqual([]);
    const app = await ada.call('POST', '/portal/v1/applications', {
      name: 'mobile',
      customFields: { env: 'test' },
    });
    expect([app.status, app.body.customFields]).toEqual([201, { env: 'test' }]);
    // A rename leaves the values alone; new values replace them all and are checked.
    const renamed = await ada.call('PATCH', `/portal/v1/applications/${app.body.id}`, { name: 'mobile-2' });
    expect(renamed.body.customFields).toEqual({ env: 'test' });
    const cleared = await ada.call('PATCH', `/portal/v1/applications/${app.body.id}`, { customFields: {} });
    expect([cleared.status, cleared.body.errors?.[0]?.path]).toEqual([400, 'body.customFields.env']);
    const moved = await ada.call('PATCH', `/portal/v1/applications/${app.body.id}`, {
      customFields: { env: 'prod' },
    });
    expect(moved.body.customFields).toEqual({ env: 'prod' });
    expect((await ada.call('GET', `/portal/v1/applications/${app.body.id}`)).body.customFields).toEqual({
      env: 'prod',
    });
  });
});
