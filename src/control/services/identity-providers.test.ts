// Identity providers through the admin API on both stores: where keys come from, which URLs are
// accepted, admin-only writes, no revision, and APIs that name a provider by name.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { findIdentityProviderRow } from './identity-providers.ts';
import { currentRevision } from './write.ts';

const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicKey = pair.publicKey.export({ format: 'jwk' });
const privateKey = pair.privateKey.export({ format: 'jwk' });

const provider = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  loginUrl: 'https://login.example.com/turnpike',
  issuer: 'https://login.example.com',
  jwksUrl: 'https://login.example.com/.well-known/jwks.json',
  ...extra,
});

describe.each(storeKinds)('identity providers on %s', (kind) => {
  let h: AdminHarness;
  let upstreamId = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    upstreamId = (
      await created(h, '/admin/v1/upstreams', { name: 'up', targets: [{ url: 'http://127.0.0.1:9' }] })
    ).id;
  });
  afterAll(() => h.close());

  /** A call with a token of the given role instead of the owner's. */
  const as = async (role: string, method: string, url: string, body?: unknown) => {
    const token = (await created(h, '/admin/v1/tokens', { name: `t-${role}-${Math.random()}`, role })).token;
    const response = await h.app.inject({
      method: method as 'GET',
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(body !== undefined && { payload: body as object }),
    });
    return { status: response.statusCode, body: response.body ? response.json() : undefined };
  };

  it('takes keys from exactly one of jwksUrl and publicKeys, public ones only', async () => {
    const both = await h.call(
      'POST',
      '/admin/v1/identity-providers',
      provider('both', { publicKeys: [publicKey] }),
    );
    expect([both.status, both.body.errors?.[0]?.path]).toEqual([400, 'body.publicKeys']);
    const neither = await h.call(
      'POST',
      '/admin/v1/identity-providers',
      provider('neither', { jwksUrl: null }),
    );
    expect([neither.status, neither.body.errors?.[0]?.path]).toEqual([400, 'body.jwksUrl']);
    expect(neither.body.detail).toMatch(/give jwksUrl or publicKeys/);
    const secret = await h.call(
      'POST',
      '/admin/v1/identity-providers',
      provider('secret', { jwksUrl: null, publicKeys: [privateKey] }),
    );
    expect([secret.status, secret.body.errors?.[0]?.path]).toEqual([400, 'body.publicKeys[0].d']);

    const keyed = await created(
      h,
      '/admin/v1/identity-providers',
      provider('keyed', { jwksUrl: undefined, publicKeys: [publicKey], algorithms: ['ES256'] }),
    );
    expect(keyed).toMatchObject({
      name: 'keyed',
      jwksUrl: null,
      publicKeys: [publicKey],
      algorithms: ['ES256'],
    });
    expect(keyed.id).toMatch(/^idp_/);
    const fetched = await created(h, '/admin/v1/identity-providers', provider('fetched'));
    expect(fetched).toMatchObject({ displayName: '', publicKeys: [], algorithms: ['RS256', 'ES256'] });
    expect((await findIdentityProviderRow(h.store.db, 'fetched'))?.id).toBe(fetched.id);
    expect((await findIdentityProviderRow(h.store.db, fetched.id))?.name).toBe('fetched');
    expect(await findIdentityProviderRow(h.store.db, 'nobody')).toBeUndefined();
  });

  it('accepts https URLs, and http only on loopback, without fragments', async () => {
    for (const [i, loginUrl] of [
      'http://localhost:3000/login',
      'http://127.0.0.1/login',
      'http://[::1]/x',
    ].entries())
      expect(
        (await h.call('POST', '/admin/v1/identity-providers', provider(`loop-${i}`, { loginUrl }))).status,
      ).toBe(201);
    for (const loginUrl of [
      'http://login.example.com/',
      'https://login.example.com/#x',
      '/login',
      'ftp://x.test',
    ]) {
      const response = await h.call('POST', '/admin/v1/identity-providers', provider('bad', { loginUrl }));
      expect([response.status, response.body.errors?.[0]?.path], loginUrl).toEqual([400, 'body.loginUrl']);
    }
    const jwks = await h.call(
      'POST',
      '/admin/v1/identity-providers',
      provider('bad', { jwksUrl: 'http://login.example.com/jwks' }),
    );
    expect([jwks.status, jwks.body.errors?.[0]?.path]).toEqual([400, 'body.jwksUrl']);
    for (const algorithms of [[], ['HS256'], ['none'], ['RS256', 'RS256']]) {
      const response = await h.call('POST', '/admin/v1/identity-providers', provider('bad', { algorithms }));
      expect(response.status, JSON.stringify(algorithms)).toBe(400);
    }
    expect((await h.call('GET', '/admin/v1/identity-providers/bad')).status).toBe(404);
  });

  it('renames, keeps names unique, keeps the key rule on PATCH, and makes no revision', async () => {
    const revision = await currentRevision(h.store.db);
    const idp = await created(
      h,
      '/admin/v1/identity-providers',
      provider('acme-login', { displayName: 'Acme' }),
    );
    const dup = await h.call('POST', '/admin/v1/identity-providers', provider('acme-login'));
    expect([dup.status, dup.body.code]).toEqual([409, 'conflict']);
    const renamed = await h.call('PATCH', '/admin/v1/identity-providers/acme-login', { name: 'acme-sso' });
    expect([renamed.status, renamed.body.id, renamed.body.displayName]).toEqual([200, idp.id, 'Acme']);
    expect((await h.call('GET', '/admin/v1/identity-providers/acme-sso')).body.id).toBe(idp.id);
    expect((await h.call('GET', '/admin/v1/identity-providers?name=acme-sso')).body.data).toEqual([
      renamed.body,
    ]);

    const cleared = await h.call('PATCH', `/admin/v1/identity-providers/${idp.id}`, { jwksUrl: null });
    expect([cleared.status, cleared.body.code, cleared.body.detail]).toEqual([
      400,
      'validation-failed',
      'jwksUrl: give jwksUrl or publicKeys: the keys that verify the provider’s assertions',
    ]);
    const doubled = await h.call('PATCH', `/admin/v1/identity-providers/${idp.id}`, {
      publicKeys: [publicKey],
    });
    expect([doubled.status, doubled.body.detail]).toEqual([
      400,
      'publicKeys: give either jwksUrl or publicKeys, not both',
    ]);
    const switched = await h.call('PATCH', `/admin/v1/identity-providers/${idp.id}`, {
      jwksUrl: null,
      publicKeys: [publicKey],
    });
    expect([switched.status, switched.body.jwksUrl, switched.body.publicKeys]).toEqual([
      200,
      null,
      [publicKey],
    ]);
    expect(await currentRevision(h.store.db)).toBe(revision);

    const events = (await h.call('GET', `/admin/v1/audit-events?objectId=${idp.id}`)).body.data;
    expect(events.map((e: { action: string; objectType: string }) => [e.action, e.objectType])).toEqual([
      ['update', 'identity-provider'],
      ['update', 'identity-provider'],
      ['create', 'identity-provider'],
    ]);
  });

  it('lets viewers read and only admins write, also through POST /config', async () => {
    await created(h, '/admin/v1/identity-providers', provider('guarded'));
    expect((await as('viewer', 'GET', '/admin/v1/identity-providers/guarded')).status).toBe(200);
    const byEditor = await as('editor', 'POST', '/admin/v1/identity-providers', provider('by-editor'));
    expect([byEditor.status, byEditor.body.code]).toEqual([403, 'forbidden']);
    expect(
      (await as('editor', 'PATCH', '/admin/v1/identity-providers/guarded', { displayName: 'x' })).status,
    ).toBe(403);
    expect((await as('editor', 'DELETE', '/admin/v1/identity-providers/guarded')).status).toBe(403);
    expect(
      (await as('admin', 'PATCH', '/admin/v1/identity-providers/guarded', { displayName: 'G' })).status,
    ).toBe(200);

    const file = { identityProviders: [{ ...provider('guarded'), displayName: 'G' }, provider('by-file')] };
    const refused = await as('editor', 'POST', '/admin/v1/config', file);
    expect([refused.status, refused.body.code, refused.body.detail]).toEqual([
      403,
      'forbidden',
      'the document would create identity provider by-file, and changing identity providers needs the admin role',
    ]);
    expect((await h.call('GET', '/admin/v1/identity-providers/by-file')).status).toBe(404);
    // Naming providers as they are changes none of them: an editor may apply that.
    const unchanged = { identityProviders: [{ ...provider('guarded'), displayName: 'G' }] };
    expect((await as('editor', 'POST', '/admin/v1/config', unchanged)).body).toEqual({
      applied: false,
      changes: [],
    });
    const byAdmin = await as('admin', 'POST', '/admin/v1/config', file);
    expect(byAdmin.body.changes).toEqual([{ action: 'create', kind: 'identity-provider', name: 'by-file' }]);
  });

  it('lets an API name a provider: set, renamed with it, cleared, unknown refused; deletion waits for it', async () => {
    const idp = await created(h, '/admin/v1/identity-providers', provider('partner-login'));
    const api = await created(h, '/admin/v1/apis', {
      name: 'partner',
      basePath: '/partner',
      upstreamId,
      identityProvider: 'partner-login',
    });
    expect(api.identityProvider).toBe('partner-login');
    const plain = await created(h, '/admin/v1/apis', { name: 'plain', basePath: '/plain', upstreamId });
    expect(plain.identityProvider).toBeNull();
    const stored = await findIdentityProviderRow(h.store.db, 'partner-login');
    expect(stored?.id).toBe(idp.id);

    const unknown = await h.call('POST', '/admin/v1/apis', {
      name: 'other',
      basePath: '/other',
      upstreamId,
      identityProvider: 'nobody',
    });
    expect([unknown.status, unknown.body.code, unknown.body.detail]).toEqual([
      422,
      'reference-not-found',
      'no identity provider nobody',
    ]);
    const patchUnknown = await h.call('PATCH', '/admin/v1/apis/plain', { identityProvider: 'nobody' });
    expect([patchUnknown.status, patchUnknown.body.code]).toEqual([422, 'reference-not-found']);
    expect(
      (await h.call('PATCH', '/admin/v1/apis/plain', { identityProvider: 'partner-login' })).body,
    ).toMatchObject({
      identityProvider: 'partner-login',
    });

    const refused = await h.call('DELETE', '/admin/v1/identity-providers/partner-login');
    expect([refused.status, refused.body.code]).toEqual([409, 'conflict']);
    expect(refused.body.detail).toMatch(/is used by APIs partner, plain/);

    await h.call('PATCH', `/admin/v1/identity-providers/${idp.id}`, { name: 'partner-sso' });
    expect((await h.call('GET', '/admin/v1/apis/partner')).body.identityProvider).toBe('partner-sso');
    expect(
      (await h.call('GET', '/admin/v1/apis?name=plain')).body.data.map(
        (a: { identityProvider: string }) => a.identityProvider,
      ),
    ).toEqual(['partner-sso']);
    // Other fields leave it as it is; null clears it.
    expect(
      (await h.call('PATCH', '/admin/v1/apis/partner', { description: 'x' })).body.identityProvider,
    ).toBe('partner-sso');
    for (const name of ['partner', 'plain']) {
      const clearedApi = await h.call('PATCH', `/admin/v1/apis/${name}`, { identityProvider: null });
      expect([clearedApi.status, clearedApi.body.identityProvider]).toEqual([200, null]);
    }
    expect((await h.call('DELETE', `/admin/v1/identity-providers/${idp.id}`)).status).toBe(204);
    expect(await findIdentityProviderRow(h.store.db, idp.id)).toBeUndefined();
  });
});
