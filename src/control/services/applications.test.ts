// Applications' OAuth redirect URIs through the admin API on both stores: https, or http for
// loopback hosts; no fragment; unique; kept exactly as given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';

describe.each(storeKinds)('application redirect URIs on %s', (kind) => {
  let h: AdminHarness;
  let accountId = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    accountId = (await created(h, '/admin/v1/accounts', { name: 'redirects' })).id;
  });
  afterAll(() => h.close());

  it('keeps allowed URIs exactly as given, and an empty list by default', async () => {
    const plain = await created(h, '/admin/v1/applications', { accountId, name: 'plain' });
    expect(plain.redirectUris).toEqual([]);
    const uris = [
      'https://app.example.com/callback?from=turnpike',
      'http://127.0.0.1:3000/cb',
      'http://localhost:8080/oauth',
      'http://[::1]/cb',
      'https://APP.example.com:443/Callback/',
    ];
    const app = await created(h, '/admin/v1/applications', { accountId, name: 'web', redirectUris: uris });
    expect(app.redirectUris).toEqual(uris);
    expect((await h.call('GET', `/admin/v1/applications/${app.id}`)).body.redirectUris).toEqual(uris);
    const changed = await h.call('PATCH', `/admin/v1/applications/${app.id}`, {
      redirectUris: ['https://new.example.com/cb'],
    });
    expect(changed.body.redirectUris).toEqual(['https://new.example.com/cb']);
    const kept = await h.call('PATCH', `/admin/v1/applications/${app.id}`, { description: 'web app' });
    expect(kept.body.redirectUris).toEqual(['https://new.example.com/cb']);
  });

  it('refuses plain http to other hosts, fragments, relative and odd URIs, repeats, and more than 20', async () => {
    const refused: [unknown, string][] = [
      ['http://evil.com/cb', 'body.redirectUris[0]'],
      ['http://localhost.evil.com/cb', 'body.redirectUris[0]'],
      ['https://app.example.com/cb#frag', 'body.redirectUris[0]'],
      ['https://app.example.com/cb#', 'body.redirectUris[0]'],
      ['/callback', 'body.redirectUris[0]'],
      ['app.example.com/cb', 'body.redirectUris[0]'],
      ['https:app.example.com', 'body.redirectUris[0]'],
      ['https:///cb', 'body.redirectUris[0]'],
      ['javascript:alert(1)', 'body.redirectUris[0]'],
      ['com.example.app:/cb', 'body.redirectUris[0]'],
      ['https://app.example.com/a b', 'body.redirectUris[0]'],
      [`https://example.com/${'x'.repeat(2000)}`, 'body.redirectUris[0]'],
    ];
    for (const [uri, path] of refused) {
      const response = await h.call('POST', '/admin/v1/applications', {
        accountId,
        name: 'bad',
        redirectUris: [uri],
      });
      expect(
        [response.status, response.body.errors?.map((e: { path: string }) => e.path)],
        String(uri),
      ).toEqual([400, [path]]);
    }
    const twice = await h.call('POST', '/admin/v1/applications', {
      accountId,
      name: 'bad',
      redirectUris: ['https://a.example/cb', 'https://a.example/cb'],
    });
    expect(twice.body.errors?.map((e: { path: string }) => e.path)).toEqual(['body.redirectUris[1]']);
    const many = Array.from({ length: 21 }, (_, i) => `https://a.example/cb${i}`);
    const tooMany = await h.call('POST', '/admin/v1/applications', {
      accountId,
      name: 'bad',
      redirectUris: many,
    });
    expect(tooMany.status).toBe(400);
    const app = await created(h, '/admin/v1/applications', { accountId, name: 'good' });
    const patch = await h.call('PATCH', `/admin/v1/applications/${app.id}`, {
      redirectUris: ['http://evil.com'],
    });
    expect(patch.status).toBe(400);
    expect((await h.call('GET', '/admin/v1/applications?name=bad')).body.data).toEqual([]);
  });
});
