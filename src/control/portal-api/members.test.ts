// Accounts as organizations on both stores: an owner invites by e-mail; a newcomer registers with
// the link and sees the account's applications; a registered developer accepts signed in and
// switches between accounts; roles decide who may invite and remove; an account keeps an owner.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type PortalBrowser, type PortalHarness, startPortal } from '../../../test/support/portal.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('account members on %s', (kind) => {
  let admin: AdminHarness;
  let portal: PortalHarness;
  let owner: PortalBrowser;

  async function developer(email: string, organization: string): Promise<PortalBrowser> {
    await portal.browser().call('POST', '/portal/v1/signup', { email, password, name: email, organization });
    const browser = portal.browser();
    await browser.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken(email, '/verify-email'),
    });
    await browser.signIn(email, password);
    return browser;
  }
  const names = async (browser: PortalBrowser, url: string, field = 'name') =>
    (await browser.call('GET', url)).body.data.map((row: Record<string, string>) => row[field]);

  beforeAll(async () => {
    admin = await startAdmin(kind);
    portal = await startPortal(admin);
    owner = await developer('olga@example.com', 'Olga Org');
    await owner.call('POST', '/portal/v1/applications', { name: 'shared-app' });
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  it('invites a newcomer, who registers with the link and sees the account’s applications', async () => {
    const invited = await owner.call('POST', '/portal/v1/account/invitations', {
      email: 'Mia@Example.com',
      role: 'member',
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({ email: 'mia@example.com', role: 'member' });
    expect(await names(owner, '/portal/v1/account/invitations', 'email')).toEqual(['mia@example.com']);
    const token = portal.linkToken('mia@example.com', '/accept-invitation');
    const mia = portal.browser();
    expect((await mia.call('GET', `/portal/v1/invitations/${token}`)).body).toEqual({
      account: { name: 'olga-org' },
      email: 'mia@example.com',
      role: 'member',
      registered: false,
    });
    const short = await mia.call('POST', '/portal/v1/invitations/accept', {
      token,
      name: 'Mia',
      password: 'short',
    });
    expect(short.status).toBe(400);
    const joined = await mia.call('POST', '/portal/v1/invitations/accept', { token, name: 'Mia', password });
    expect(joined.status).toBe(201);
    expect(joined.body).toMatchObject({
      developer: { email: 'mia@example.com', emailVerified: true },
      account: { name: 'olga-org' },
      role: 'member',
    });
    // Signed in by the answer's cookie; the CSRF token came with it.
    expect(await names(mia, '/portal/v1/applications')).toEqual(['shared-app']);
    expect(await names(owner, '/portal/v1/account/members', 'email')).toEqual([
      'olga@example.com',
      'mia@example.com',
    ]);
    // The link was used up.
    const again = await portal.browser().call('GET', `/portal/v1/invitations/${token}`);
    expect([again.status, again.body.code]).toEqual([400, 'link-invalid']);

    // A member may not invite or remove others.
    const refused = await mia.call('POST', '/portal/v1/account/invitations', {
      email: 'x@example.com',
      role: 'member',
    });
    expect([refused.status, refused.body.code]).toEqual([403, 'forbidden']);
  });

  it('lets a registered developer accept signed in and switch between accounts', async () => {
    const sam = await developer('sam@example.com', 'Sam Solo');
    await owner.call('POST', '/portal/v1/account/invitations', { email: 'sam@example.com', role: 'admin' });
    const token = portal.linkToken('sam@example.com', '/accept-invitation');
    expect((await portal.browser().call('GET', `/portal/v1/invitations/${token}`)).body.registered).toBe(
      true,
    );
    // Not signed in: sign in first.
    const anonymous = await portal.browser().call('POST', '/portal/v1/invitations/accept', { token });
    expect(anonymous.status).toBe(401);
    const joined = await sam.call('POST', '/portal/v1/invitations/accept', { token });
    expect(joined.status).toBe(200);
    expect(joined.body.account.name).toBe('olga-org');
    expect(joined.body.accounts.map((a: { name: string; role: string }) => `${a.name} ${a.role}`)).toEqual([
      'sam-solo owner',
      'olga-org admin',
    ]);
    expect(await names(sam, '/portal/v1/applications')).toEqual(['shared-app']);
    const solo = joined.body.accounts[0].id;
    const back = await sam.call('PUT', '/portal/v1/session/account', { accountId: solo });
    expect(back.body.account.name).toBe('sam-solo');
    expect(await names(sam, '/portal/v1/applications')).toEqual([]);
    const foreign = await sam.call('PUT', '/portal/v1/session/account', {
      accountId: 'acc_01m7z603dfjjrws0jrq4k2qr50',
    });
    expect(foreign.status).toBe(404);
  });

  it('keeps an owner: the last one cannot leave or step down; admins cannot touch owners', async () => {
    const members = (await owner.call('GET', '/portal/v1/account/members')).body.data as {
      developerId: string;
      email: string;
    }[];
    const id = (email: string) => members.find((m) => m.email === email)?.developerId;
    const leave = await owner.call('DELETE', `/portal/v1/account/members/${id('olga@example.com')}`);
    expect([leave.status, leave.body.code]).toEqual([409, 'conflict']);
    const stepDown = await owner.call('PATCH', `/portal/v1/account/members/${id('olga@example.com')}`, {
      role: 'member',
    });
    expect(stepDown.status).toBe(409);

    const sam = portal.browser();
    await sam.signIn('sam@example.com', password);
    const olgaOrg = (await sam.call('GET', '/portal/v1/session')).body.accounts.find(
      (a: { name: string }) => a.name === 'olga-org',
    );
    await sam.call('PUT', '/portal/v1/session/account', { accountId: olgaOrg.id });
    const demote = await sam.call('PATCH', `/portal/v1/account/members/${id('olga@example.com')}`, {
      role: 'member',
    });
    expect([demote.status, demote.body.code]).toEqual([403, 'forbidden']);
    // An admin removes a member; the member's session then belongs to no account of this org.
    expect((await sam.call('DELETE', `/portal/v1/account/members/${id('mia@example.com')}`)).status).toBe(
      204,
    );
    expect(await names(owner, '/portal/v1/account/members', 'email')).toEqual([
      'olga@example.com',
      'sam@example.com',
    ]);
    // Anyone may leave: Sam leaves Olga's account.
    expect((await sam.call('DELETE', `/portal/v1/account/members/${id('sam@example.com')}`)).status).toBe(
      204,
    );
    expect((await sam.call('GET', '/portal/v1/session')).body.account.name).toBe('sam-solo');
  });

  it('lists developers with their accounts and roles in the admin API', async () => {
    const listed = await admin.call('GET', '/admin/v1/developers?email=SAM@example.com');
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        email: 'sam@example.com',
        emailVerified: true,
        accounts: [expect.objectContaining({ name: 'sam-solo', role: 'owner' })],
      }),
    ]);
    const olgaOrg = (await admin.call('GET', '/admin/v1/accounts?name=olga-org')).body.data[0];
    const members = await admin.call('GET', `/admin/v1/developers?accountId=${olgaOrg.id}`);
    expect(members.body.data.map((d: { email: string }) => d.email).sort()).toEqual(['olga@example.com']);
    const one = await admin.call('GET', `/admin/v1/developers/${listed.body.data[0].id}`);
    expect(one.body.email).toBe('sam@example.com');
    expect((await admin.call('GET', '/admin/v1/developers/dev_nothing')).status).toBe(404);
  });

  it('withdraws an invitation, and the link stops working', async () => {
    const made = await owner.call('POST', '/portal/v1/account/invitations', {
      email: 'late@example.com',
      role: 'member',
    });
    const token = portal.linkToken('late@example.com', '/accept-invitation');
    expect((await owner.call('DELETE', `/portal/v1/account/invitations/${made.body.id}`)).status).toBe(204);
    const used = await portal
      .browser()
      .call('POST', '/portal/v1/invitations/accept', { token, name: 'Late', password });
    expect(used.body.code).toBe('link-invalid');
    const member = await owner.call('POST', '/portal/v1/account/invitations', {
      email: 'olga@example.com',
      role: 'member',
    });
    expect(member.status).toBe(409);
  });

  it("asks a newcomer the provider's developer fields, as sign-up does", async () => {
    const field = await admin.call('POST', '/admin/v1/portal/fields', {
      target: 'developer',
      name: 'role',
      label: 'Your role',
      type: 'choice',
      choices: ['developer', 'manager'],
      required: true,
    });
    expect(field.status).toBe(201);
    await owner.call('POST', '/portal/v1/account/invitations', { email: 'nina@example.com', role: 'member' });
    const token = portal.linkToken('nina@example.com', '/accept-invitation');
    const nina = portal.browser();
    const missing = await nina.call('POST', '/portal/v1/invitations/accept', {
      token,
      name: 'Nina',
      password,
    });
    expect(missing.status).toBe(400);
    expect(missing.body.errors).toEqual([
      { path: 'body.developerFields.role', message: 'is required (Your role)' },
    ]);
    const joined = await nina.call('POST', '/portal/v1/invitations/accept', {
      token,
      name: 'Nina',
      password,
      developerFields: { role: 'manager' },
    });
    expect(joined.status).toBe(201);
    const listed = await admin.call('GET', '/admin/v1/developers?limit=100');
    const stored = listed.body.data.find((d: { email: string }) => d.email === 'nina@example.com');
    expect(stored.customFields).toEqual({ role: 'manager' });
    await admin.call('DELETE', `/admin/v1/portal/fields/${field.body.id}`);
  });
});
