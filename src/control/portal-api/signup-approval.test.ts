// Manual approval of new accounts: a developer who signs up can sign in, but the account waits
// in the approvals and its applications cannot call APIs until a provider approves it; the
// setting round-trips through the declarative file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type PortalHarness, startPortal } from '../../../test/support/portal.ts';
import { applyDocument } from '../declarative/apply.ts';
import { exportDocument } from '../declarative/export.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('sign-up approval on %s', (kind) => {
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

  const signUp = (email: string, organization: string) =>
    portal.browser().call('POST', '/portal/v1/signup', { email, password, name: 'N', organization });

  it('approves new accounts at once by default, and keeps them pending when set to manual', async () => {
    expect((await admin.call('GET', '/admin/v1/portal/signup')).body).toEqual({ accountApproval: 'auto' });
    await signUp('auto@example.com', 'Auto Co');
    expect((await admin.call('GET', '/admin/v1/accounts?name=auto-co')).body.data[0].state).toBe('approved');

    const set = await admin.call('PUT', '/admin/v1/portal/signup', { accountApproval: 'manual' });
    expect(set.body).toEqual({ accountApproval: 'manual' });
    const bad = await admin.call('PUT', '/admin/v1/portal/signup', { accountApproval: 'sometimes' });
    expect(bad.status).toBe(400);
    await signUp('wait@example.com', 'Wait Co');
    const account = (await admin.call('GET', '/admin/v1/accounts?name=wait-co')).body.data[0];
    expect(account.state).toBe('pending');
    // The developer still signs in, and sees the account waiting.
    const dev = portal.browser();
    await dev.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('wait@example.com', '/verify-email'),
    });
    await dev.signIn('wait@example.com', password);
    expect((await dev.call('GET', '/portal/v1/session')).body.account.state).toBe('pending');
    // Approved in the console (the admin API), the account is approved for the developer too.
    await admin.call('PATCH', `/admin/v1/accounts/${account.id}`, { state: 'approved' });
    expect((await dev.call('GET', '/portal/v1/session')).body.account.state).toBe('approved');
  });

  it('round-trips the setting through the declarative file', async () => {
    const exported = await exportDocument(admin.store.db);
    expect(exported.portal?.signup).toEqual({ accountApproval: 'manual' });
    await admin.call('PUT', '/admin/v1/portal/signup', { accountApproval: 'auto' });
    const applied = await applyDocument(admin.store.db, exported);
    expect(applied.ok).toBe(true);
    expect((await admin.call('GET', '/admin/v1/portal/signup')).body).toEqual({ accountApproval: 'manual' });
  });
});
