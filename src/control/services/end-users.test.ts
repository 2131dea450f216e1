// End users through the admin API, and the authorization server's password check, on both stores.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { signInFederated, verifyEndUserPassword } from './end-users.ts';
import { currentRevision } from './write.ts';

const password = 'correct horse battery staple';

describe.each(storeKinds)('end users on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  it('never returns the password or its hash, not even in the audit trail', async () => {
    const revision = await currentRevision(h.store.db);
    const user = await created(h, '/admin/v1/end-users', { email: 'Ada@Example.com', name: 'Ada', password });
    expect(Object.keys(user).sort()).toEqual([
      'createdAt',
      'email',
      'externalSubject',
      'id',
      'identityProviderId',
      'lastLoginAt',
      'name',
      'state',
      'updatedAt',
    ]);
    expect(user).toMatchObject({ email: 'ada@example.com', name: 'Ada', state: 'active', lastLoginAt: null });
    expect(user.id).toMatch(/^usr_/);
    await h.call('PATCH', `/admin/v1/end-users/${user.id}`, { password: 'another long passphrase' });
    const everything = JSON.stringify([
      await h.call('GET', `/admin/v1/end-users/${user.id}`),
      await h.call('GET', '/admin/v1/end-users'),
      await h.call('GET', '/admin/v1/audit-events?objectType=end-user'),
    ]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('another long passphrase');
    expect(everything).not.toContain('$argon2id$');
    // Not configuration: the gateway gets no new revision for it.
    expect(await currentRevision(h.store.db)).toBe(revision);
  });

  it('refuses a taken email whatever its case, on create and on update (409)', async () => {
    const first = await created(h, '/admin/v1/end-users', { email: 'dup@example.com', password });
    const again = await h.call('POST', '/admin/v1/end-users', { email: 'DUP@example.com', password });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    const other = await created(h, '/admin/v1/end-users', { email: 'other@example.com', password });
    const moved = await h.call('PATCH', `/admin/v1/end-users/${other.id}`, { email: 'Dup@Example.com' });
    expect(moved.status).toBe(409);
    const same = await h.call('PATCH', `/admin/v1/end-users/${first.id}`, { email: 'DUP@example.com' });
    expect([same.status, same.body.email]).toEqual([200, 'dup@example.com']);
  });

  it('refuses a short password with the field named, and changes nothing', async () => {
    const short = await h.call('POST', '/admin/v1/end-users', {
      email: 'short@example.com',
      password: 'short',
    });
    expect([short.status, short.body.errors.map((e: { path: string }) => e.path)]).toEqual([
      400,
      ['body.password'],
    ]);
    const long = await h.call('POST', '/admin/v1/end-users', {
      email: 'long@example.com',
      password: 'x'.repeat(201),
    });
    expect(long.status).toBe(400);
    const bad = await h.call('POST', '/admin/v1/end-users', {
      email: 'x@example.com',
      password,
      state: 'gone',
    });
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.state']);
    expect((await h.call('GET', '/admin/v1/end-users?email=short@example.com')).body.data).toEqual([]);
  });

  it('lists by email (any case) and state, and deletes', async () => {
    const user = await created(h, '/admin/v1/end-users', {
      email: 'listed@example.com',
      password,
      state: 'disabled',
    });
    expect((await h.call('GET', '/admin/v1/end-users?email=LISTED@example.com')).body.data).toEqual([user]);
    const disabled = (await h.call('GET', '/admin/v1/end-users?state=disabled')).body.data;
    expect(disabled.map((u: { id: string }) => u.id)).toContain(user.id);
    expect(disabled.every((u: { state: string }) => u.state === 'disabled')).toBe(true);
    expect((await h.call('DELETE', `/admin/v1/end-users/${user.id}`)).status).toBe(204);
    expect((await h.call('GET', `/admin/v1/end-users/${user.id}`)).status).toBe(404);
    expect((await h.call('GET', '/admin/v1/end-users/nothing')).status).toBe(404);
  });

  it('verifies passwords for the authorization server: right, wrong, unknown, disabled', async () => {
    const user = await created(h, '/admin/v1/end-users', { email: 'grace@example.com', password });
    const db = h.store.db;
    const signedIn = await verifyEndUserPassword(db, ' Grace@Example.com', password);
    expect(signedIn?.id).toBe(user.id);
    expect(signedIn?.lastLoginAt).not.toBeNull();
    expect(JSON.stringify(signedIn)).not.toContain('argon2');
    expect((await h.call('GET', `/admin/v1/end-users/${user.id}`)).body.lastLoginAt).toBe(
      signedIn?.lastLoginAt,
    );
    expect(await verifyEndUserPassword(db, 'grace@example.com', 'wrong password here')).toBeUndefined();
    expect(await verifyEndUserPassword(db, 'nobody@example.com', password)).toBeUndefined();
    await h.call('PATCH', `/admin/v1/end-users/${user.id}`, { state: 'disabled' });
    expect(await verifyEndUserPassword(db, 'grace@example.com', password)).toBeUndefined();
    await h.call('PATCH', `/admin/v1/end-users/${user.id}`, {
      state: 'active',
      password: 'a brand new passphrase',
    });
    expect(await verifyEndUserPassword(db, 'grace@example.com', password)).toBeUndefined();
    expect((await verifyEndUserPassword(db, 'grace@example.com', 'a brand new passphrase'))?.id).toBe(
      user.id,
    );
  });

  it('keeps one federated user per provider and subject, apart from directory users and their emails', async () => {
    const provider = await created(h, '/admin/v1/identity-providers', {
      name: `sso-${kind}`,
      loginUrl: 'https://login.example/start',
      issuer: 'https://login.example',
      jwksUrl: 'https://login.example/jwks',
    });
    const signIn = { identityProviderId: provider.id, subject: 'c-77', name: 'Seventy Seven' };
    const first = await signInFederated(h.store.db, { ...signIn, email: 'Shared@Example.com' });
    const again = await signInFederated(h.store.db, { ...signIn, email: 'new@example.com' });
    expect(again?.id).toBe(first?.id);
    expect(again).toMatchObject({
      email: 'new@example.com',
      externalSubject: 'c-77',
      identityProviderId: provider.id,
    });
    // A directory user may have an email a federated user has; neither signs in as the other.
    await created(h, '/admin/v1/end-users', { email: 'new@example.com', password });
    expect(await verifyEndUserPassword(h.store.db, 'new@example.com', password)).toMatchObject({
      identityProviderId: null,
    });
    // Their email and password are the provider's business.
    const refused = await h.call('PATCH', `/admin/v1/end-users/${first?.id}`, { password });
    expect(refused.status).toBe(400);
    await h.call('PATCH', `/admin/v1/end-users/${first?.id}`, { state: 'disabled' });
    expect(await signInFederated(h.store.db, { ...signIn, email: undefined })).toBeUndefined();
  });
});
