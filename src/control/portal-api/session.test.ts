// Developers on both stores: sign up, verify the e-mail from the mail's link, sign in and out,
// reset a forgotten password; the session cookie needs its CSRF token for writes; answers never
// tell whether an e-mail has an account.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type PortalHarness, startPortal } from '../../../test/support/portal.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('portal sessions on %s', (kind) => {
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

  const signUp = (email: string, organization = 'Acme Inc.') =>
    portal.browser().call('POST', '/portal/v1/signup', { email, password, name: 'Ada', organization });

  it('signs up, verifies the e-mail from the link, then signs in and out', async () => {
    const created = await signUp('Ada@Example.com');
    expect(created.status).toBe(201);
    expect(created.body.developer).toMatchObject({
      email: 'ada@example.com',
      name: 'Ada',
      emailVerified: false,
    });
    // The account is the organization's, with the developer as its owner.
    const accounts = await admin.call('GET', '/admin/v1/accounts?name=acme-inc');
    expect(accounts.body.data).toEqual([
      expect.objectContaining({ name: 'acme-inc', email: 'ada@example.com' }),
    ]);

    const browser = portal.browser();
    const early = await browser.call('POST', '/portal/v1/session', { email: 'ada@example.com', password });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe('email-not-verified');

    const token = portal.linkToken('ada@example.com', '/verify-email');
    const verified = await browser.call('POST', '/portal/v1/verify-email', { token });
    expect(verified.body.developer.emailVerified).toBe(true);
    // A link works once.
    const again = await browser.call('POST', '/portal/v1/verify-email', { token });
    expect([again.status, again.body.code]).toEqual([400, 'link-invalid']);

    await browser.signIn('ADA@example.com', password);
    const session = await browser.call('GET', '/portal/v1/session');
    expect(session.body).toMatchObject({
      developer: { email: 'ada@example.com', emailVerified: true },
      account: { name: 'acme-inc', state: 'approved' },
      role: 'owner',
      csrfToken: browser.csrf,
    });
    expect(session.headers['cache-control']).toBe('no-store');

    expect((await browser.call('DELETE', '/portal/v1/session')).status).toBe(204);
    expect((await browser.call('GET', '/portal/v1/session')).status).toBe(401);
  });

  it('sets an HttpOnly, SameSite=Lax cookie, and refuses writes without the CSRF token', async () => {
    await signUp('csrf@example.com', 'CSRF Corp');
    const browser = portal.browser();
    await browser.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('csrf@example.com', '/verify-email'),
    });
    const signedIn = await browser.call('POST', '/portal/v1/session', {
      email: 'csrf@example.com',
      password,
    });
    expect(String(signedIn.headers['set-cookie'])).toMatch(
      /^tp_portal=tpd_\w+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=604800$/,
    );
    const without = await browser.call(
      'POST',
      '/portal/v1/applications',
      { name: 'nope' },
      { 'x-csrf-token': '' },
    );
    expect([without.status, without.body.code]).toEqual([403, 'csrf-token-invalid']);
    const wrong = await browser.call(
      'POST',
      '/portal/v1/applications',
      { name: 'nope' },
      { 'x-csrf-token': 'guess' },
    );
    expect(wrong.status).toBe(403);
    const withToken = await browser.call(
      'POST',
      '/portal/v1/applications',
      { name: 'yes' },
      { 'x-csrf-token': signedIn.body.csrfToken },
    );
    expect(withToken.status).toBe(201);
    expect((await admin.call('GET', '/admin/v1/applications?name=nope')).body.data).toEqual([]);
  });

  it('refuses bad sign-ups, wrong passwords and unknown e-mails alike', async () => {
    const short = await portal.browser().call('POST', '/portal/v1/signup', {
      email: 'short@example.com',
      password: 'short',
      name: 'S',
      organization: 'S',
    });
    expect(short.status).toBe(400);
    expect(short.body.detail).toMatch(/password.*12/);
    await signUp('taken@example.com', 'Taken');
    const taken = await signUp('TAKEN@example.com', 'Other');
    expect([taken.status, taken.body.code]).toEqual([409, 'conflict']);
    expect((await admin.call('GET', '/admin/v1/accounts?name=other')).body.data).toEqual([]);

    const browser = portal.browser();
    const wrong = await browser.call('POST', '/portal/v1/session', {
      email: 'taken@example.com',
      password: 'wrong password!',
    });
    const unknown = await browser.call('POST', '/portal/v1/session', {
      email: 'nobody@example.com',
      password,
    });
    expect([wrong.status, wrong.body.code, wrong.body.detail]).toEqual([
      unknown.status,
      unknown.body.code,
      unknown.body.detail,
    ]);
    expect(wrong.status).toBe(401);
  });

  it('resets a forgotten password by e-mail, ending the sessions; unknown e-mails get the same answer and no mail', async () => {
    await signUp('forgetful@example.com', 'Forgetful');
    const first = portal.browser();
    await first.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('forgetful@example.com', '/verify-email'),
    });
    await first.signIn('forgetful@example.com', password);

    const mailsBefore = portal.mails.length;
    const unknown = await portal
      .browser()
      .call('POST', '/portal/v1/password-reset', { email: 'ghost@example.com' });
    expect([unknown.status, unknown.body]).toEqual([202, { sent: true }]);
    expect(portal.mails.length).toBe(mailsBefore);
    const known = await portal
      .browser()
      .call('POST', '/portal/v1/password-reset', { email: 'forgetful@example.com' });
    expect([known.status, known.body]).toEqual([202, { sent: true }]);
    const token = portal.linkToken('forgetful@example.com', '/reset-password');

    const weak = await portal
      .browser()
      .call('POST', '/portal/v1/password-reset/confirm', { token, password: 'tiny' });
    expect(weak.status).toBe(400);
    const reset = await portal
      .browser()
      .call('POST', '/portal/v1/password-reset/confirm', { token, password: 'a brand new passphrase' });
    expect(reset.status).toBe(204);
    expect((await first.call('GET', '/portal/v1/session')).status).toBe(401);
    const old = await portal
      .browser()
      .call('POST', '/portal/v1/session', { email: 'forgetful@example.com', password });
    expect(old.status).toBe(401);
    await portal.browser().signIn('forgetful@example.com', 'a brand new passphrase');
    const reused = await portal
      .browser()
      .call('POST', '/portal/v1/password-reset/confirm', { token, password: 'another new passphrase' });
    expect(reused.body.code).toBe('link-invalid');
  });

  it('records what developers change in the audit log, via the portal', async () => {
    await signUp('audited@example.com', 'Audited');
    const browser = portal.browser();
    await browser.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('audited@example.com', '/verify-email'),
    });
    await browser.signIn('audited@example.com', password);
    const app = await browser.call('POST', '/portal/v1/applications', { name: 'audited-app' });
    const events = await admin.call('GET', `/admin/v1/audit-events?objectId=${app.body.id}`);
    expect(events.body.data).toEqual([
      expect.objectContaining({
        actor: expect.objectContaining({ kind: 'developer', name: 'audited@example.com', role: 'owner' }),
        via: 'portal',
        action: 'create',
        objectType: 'application',
      }),
    ]);
  });
});
