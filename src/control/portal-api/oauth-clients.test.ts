// OAuth client credentials of the developer's own applications: the secret is shown once and
// verifies, rotation keeps the old one for the grace period, revocation stops it; redirect URIs
// follow the authorization server's rules; other accounts see nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import {
  type PortalBrowser,
  type PortalHarness,
  portalTestUrl,
  startPortal,
} from '../../../test/support/portal.ts';
import { verifyClientSecret } from '../services/client-secrets.ts';
import { currentRevision } from '../services/write.ts';

const password = 'correct horse battery';

describe('portal OAuth clients', () => {
  let admin: AdminHarness;
  let portal: PortalHarness;
  let ada: PortalBrowser;
  let eve: PortalBrowser;
  let appId = '';

  async function developer(email: string, organization: string): Promise<PortalBrowser> {
    await portal.browser().call('POST', '/portal/v1/signup', { email, password, name: email, organization });
    const browser = portal.browser();
    await browser.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken(email, '/verify-email'),
    });
    await browser.signIn(email, password);
    return browser;
  }

  beforeAll(async () => {
    admin = await startAdmin('pglite');
    portal = await startPortal(admin);
    ada = await developer('ada@example.com', 'Ada');
    eve = await developer('eve@example.com', 'Eve');
    appId = (await ada.call('POST', '/portal/v1/applications', { name: 'backend' })).body.id;
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
  });

  it('issues a secret once that verifies, rotates it with a grace period, and revokes it', async () => {
    const revision = await currentRevision(admin.store.db);
    const made = await ada.call('POST', `/portal/v1/applications/${appId}/client-secrets`, { label: 'prod' });
    expect(made.status).toBe(201);
    expect(made.headers['cache-control']).toBe('no-store');
    expect(await verifyClientSecret(admin.store.db, appId, made.body.secret)).toBe(true);
    // Not configuration: no new revision for the gateways.
    expect(await currentRevision(admin.store.db)).toBe(revision);

    const info = await ada.call('GET', `/portal/v1/applications/${appId}/oauth`);
    expect(info.body).toMatchObject({
      clientId: appId,
      redirectUris: [],
      issuer: `${portalTestUrl}/oauth`,
      discovery: `${portalTestUrl}/oauth/.well-known/openid-configuration`,
    });
    expect(info.body.secrets).toEqual([expect.objectContaining({ id: made.body.id, label: 'prod' })]);
    expect(JSON.stringify(info.body)).not.toContain(made.body.secret);

    const rotated = await ada.call(
      'POST',
      `/portal/v1/applications/${appId}/client-secrets/${made.body.id}/rotate`,
      {
        graceSeconds: 600,
      },
    );
    expect(await verifyClientSecret(admin.store.db, appId, rotated.body.secret)).toBe(true);
    expect(await verifyClientSecret(admin.store.db, appId, made.body.secret)).toBe(true); // grace period
    await ada.call('POST', `/portal/v1/applications/${appId}/client-secrets/${made.body.id}/revoke`);
    expect(await verifyClientSecret(admin.store.db, appId, made.body.secret)).toBe(false);
  });

  it('sets redirect URIs by the authorization server’s rules, and keeps other accounts out', async () => {
    const set = await ada.call('PUT', `/portal/v1/applications/${appId}/redirect-uris`, {
      redirectUris: ['https://app.example.com/callback', 'http://127.0.0.1:8080/cb'],
    });
    expect(set.body.redirectUris).toHaveLength(2);
    const plain = await ada.call('PUT', `/portal/v1/applications/${appId}/redirect-uris`, {
      redirectUris: ['http://app.example.com/callback'],
    });
    expect(plain.status).toBe(400);
    expect((await ada.call('GET', `/portal/v1/applications/${appId}/oauth`)).body.redirectUris).toHaveLength(
      2,
    );
    expect((await eve.call('GET', `/portal/v1/applications/${appId}/oauth`)).status).toBe(404);
    expect((await eve.call('POST', `/portal/v1/applications/${appId}/client-secrets`, {})).status).toBe(404);
  });
});
