// OAuth client secrets through the admin API, and the authorization server's check, on both stores.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { generateClientSecret, hashSecret } from '../../shared/secrets.ts';
import { oauthClientSecrets } from '../../store/schema/index.ts';
import { hasActiveClientSecret, verifyClientSecret } from './client-secrets.ts';
import { currentRevision } from './write.ts';

describe.each(storeKinds)('client secrets on %s', (kind) => {
  let h: AdminHarness;
  let accountId = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    accountId = (await created(h, '/admin/v1/accounts', { name: 'oauth-acct' })).id;
  });
  afterAll(() => h.close());

  let apps = 0;
  const newApp = async () =>
    (await created(h, '/admin/v1/applications', { accountId, name: `app-${apps++}` })).id;
  const url = (app: string) => `/admin/v1/applications/${app}/client-secrets`;

  it('shows the secret once, stores only its hash, and makes no revision', async () => {
    const app = await newApp();
    const revision = await currentRevision(h.store.db);
    expect(await hasActiveClientSecret(h.store.db, app)).toBe(false);
    const made = await created(h, url(app), { label: 'web' });
    const secret = made.secret as string;
    expect(secret).toMatch(/^tpc_[0-9A-Za-z]{36}$/);
    expect(made).toMatchObject({
      applicationId: app,
      clientId: app,
      prefix: secret.slice(0, 12),
      label: 'web',
      status: 'active',
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      rotatedFrom: null,
    });
    const [row] = await h.store.db
      .select()
      .from(oauthClientSecrets)
      .where(eq(oauthClientSecrets.id, made.id));
    expect(row?.hash).toBe(hashSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const everything = JSON.stringify([
      await h.call('GET', `${url(app)}/${made.id}`),
      await h.call('GET', url(app)),
      await h.call('GET', '/admin/v1/audit-events?objectType=client-secret'),
    ]);
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('"secret"');
    expect(await currentRevision(h.store.db)).toBe(revision);
    expect(await verifyClientSecret(h.store.db, app, secret)).toBe(true);
    expect(await hasActiveClientSecret(h.store.db, app)).toBe(true);
  });

  it('refuses malformed, unknown, expired, revoked secrets and those of another application', async () => {
    const db = h.store.db;
    const app = await newApp();
    const other = await newApp();
    const made = await created(h, url(app), {});
    const secret = made.secret as string;
    expect(await verifyClientSecret(db, other, secret)).toBe(false);
    expect(
      await verifyClientSecret(db, app, `${secret.slice(0, -1)}${secret.endsWith('x') ? 'y' : 'x'}`),
    ).toBe(false); // checksum
    expect(await verifyClientSecret(db, app, 'not a secret')).toBe(false);
    expect(await verifyClientSecret(db, app, generateClientSecret())).toBe(false); // well formed, unknown
    const later = new Date(Date.now() + 3_600_000);
    await h.call('PATCH', `${url(app)}/${made.id}`, { expiresAt: later.toISOString() });
    expect(await verifyClientSecret(db, app, secret)).toBe(true);
    expect(await verifyClientSecret(db, app, secret, new Date(later.getTime() + 1))).toBe(false);
    expect(await hasActiveClientSecret(db, app, new Date(later.getTime() + 1))).toBe(false);
    const revoked = await h.call('POST', `${url(app)}/${made.id}/revoke`);
    expect([revoked.status, revoked.body.status]).toEqual([200, 'revoked']);
    expect(await verifyClientSecret(db, app, secret)).toBe(false);
    expect(await hasActiveClientSecret(db, app)).toBe(false);
  });

  it('keeps the old secret valid through the grace period of a rotation, never longer', async () => {
    const db = h.store.db;
    const app = await newApp();
    const old = await created(h, url(app), { label: 'first' });
    const rotated = await h.call('POST', `${url(app)}/${old.id}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.headers.location).toBe(`${url(app)}/${rotated.body.id}`);
    expect(rotated.body).toMatchObject({ rotatedFrom: old.id, label: 'first', status: 'active' });
    const oldNow = (await h.call('GET', `${url(app)}/${old.id}`)).body;
    const graceEnds = Date.parse(oldNow.expiresAt);
    expect(Math.abs(graceEnds - (Date.now() + 3_600_000))).toBeLessThan(60_000);
    expect(await verifyClientSecret(db, app, old.secret as string)).toBe(true);
    expect(await verifyClientSecret(db, app, rotated.body.secret)).toBe(true);
    const after = new Date(graceEnds + 1000);
    expect(await verifyClientSecret(db, app, old.secret as string, after)).toBe(false);
    expect(await verifyClientSecret(db, app, rotated.body.secret, after)).toBe(true);
    // A rotation never lengthens a secret's life.
    const again = await h.call('POST', `${url(app)}/${old.id}/rotate`, { gracePeriodSeconds: 86_400 });
    expect(again.status).toBe(201);
    expect((await h.call('GET', `${url(app)}/${old.id}`)).body.expiresAt).toBe(oldNow.expiresAt);
    const tooLong = await h.call('POST', `${url(app)}/${old.id}/rotate`, { gracePeriodSeconds: 91 * 86_400 });
    expect(tooLong.status).toBe(400);
  });

  it('makes revocation final: revoke, rotate and a new expiry are then 409 invalid-transition', async () => {
    const app = await newApp();
    const made = await created(h, url(app), {});
    expect((await h.call('POST', `${url(app)}/${made.id}/revoke`)).status).toBe(200);
    for (const [method, path, body] of [
      ['POST', `${url(app)}/${made.id}/revoke`, undefined],
      ['POST', `${url(app)}/${made.id}/rotate`, {}],
      ['PATCH', `${url(app)}/${made.id}`, { expiresAt: null }],
    ] as const) {
      const response = await h.call(method, path, body);
      expect([response.status, response.body.code]).toEqual([409, 'invalid-transition']);
    }
    expect((await h.call('PATCH', `${url(app)}/${made.id}`, { label: 'leaked' })).body).toMatchObject({
      label: 'leaked',
      status: 'revoked',
    });
    const listed = (await h.call('GET', url(app))).body.data;
    expect(listed.map((s: { id: string }) => s.id)).toEqual([made.id]);
    const actions = (await h.call('GET', `/admin/v1/audit-events?objectId=${made.id}`)).body.data.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(['update', 'revoke', 'create']);
  });

  it('answers 404 for another application’s secret, an unknown application, and after delete', async () => {
    const app = await newApp();
    const other = await newApp();
    const made = await created(h, url(app), {});
    expect((await h.call('GET', `${url(other)}/${made.id}`)).status).toBe(404);
    expect((await h.call('POST', `${url(other)}/${made.id}/revoke`)).status).toBe(404);
    expect((await h.call('GET', url('app_nothing'))).status).toBe(404);
    expect((await h.call('POST', url('app_nothing'), {})).status).toBe(404);
    expect((await h.call('DELETE', `${url(app)}/${made.id}`)).status).toBe(204);
    expect((await h.call('GET', `${url(app)}/${made.id}`)).status).toBe(404);
    expect(await verifyClientSecret(h.store.db, app, made.secret as string)).toBe(false);
  });
});
