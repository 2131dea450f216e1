// Basic, mTLS and HMAC credentials through the admin API, on both stores: the password shown
// once and stored hashed, the HMAC secret shown once and stored sealed, certificates read from
// their PEM, fingerprints normalized, identities unique, revocation final, and every write a new
// configuration the gateways get.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { isSealed, unseal } from '../../shared/sealed.ts';
import { hashSecret, isWellFormedBasicPassword, isWellFormedHmacSecret } from '../../shared/secrets.ts';
import { credentials } from '../../store/schema/index.ts';
import { buildSnapshot } from '../sync/build-snapshot.ts';
import { credentialSealingKey, platformSecret } from './platform-secrets.ts';
import { currentRevision } from './write.ts';

let dir: string;

/** A throwaway self-signed certificate, with what openssl says of it. */
function certificate(cn: string) {
  const certFile = join(dir, `${cn}.crt`);
  const keyFile = join(dir, `${cn}.key`);
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '30',
      '-subj',
      `/O=Acme/CN=${cn}`,
    ]),
    { stdio: 'ignore' },
  );
  const said = execFileSync(
    'openssl',
    ['x509', '-in', certFile, '-noout', '-fingerprint', '-sha256', '-enddate'],
    {
      encoding: 'utf8',
    },
  );
  return {
    pem: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
    /** `AB:CD:…`, as openssl prints it. */
    opensslFingerprint: /Fingerprint=([0-9A-F:]+)/.exec(said)?.[1] ?? '',
    notAfter: new Date(/notAfter=(.+)/.exec(said)?.[1] ?? ''),
  };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'turnpike-credentials-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(storeKinds)('credentials on %s', (kind) => {
  let h: AdminHarness;
  let accountId = '';
  beforeAll(async () => {
    h = await startAdmin(kind);
    accountId = (await created(h, '/admin/v1/accounts', { name: 'credentials-acct' })).id;
  });
  afterAll(() => h.close());

  let apps = 0;
  const newApp = async () =>
    (await created(h, '/admin/v1/applications', { accountId, name: `app-${apps++}` })).id;
  const url = (app: string) => `/admin/v1/applications/${app}/credentials`;
  const unique = () => `user-${kind}-${apps}-${Math.random().toString(36).slice(2, 8)}`;

  it('shows a basic password once, stores only its hash, and hands the credential to the gateways', async () => {
    const app = await newApp();
    const revision = await currentRevision(h.store.db);
    const made = await created(h, url(app), { kind: 'basic', username: 'alice.smith@acme', label: 'ci' });
    const password = made.password as string;
    expect(isWellFormedBasicPassword(password)).toBe(true);
    expect(made).toMatchObject({
      applicationId: app,
      kind: 'basic',
      identifier: 'alice.smith@acme',
      username: 'alice.smith@acme',
      fingerprint: null,
      subject: null,
      label: 'ci',
      status: 'active',
      expiresAt: null,
      revokedAt: null,
    });
    const [row] = await h.store.db.select().from(credentials).where(eq(credentials.id, made.id));
    expect(row?.secretHash).toBe(hashSecret(password));
    expect(JSON.stringify(row)).not.toContain(password);
    const everything = JSON.stringify([
      await h.call('GET', `${url(app)}/${made.id}`),
      await h.call('GET', url(app)),
      await h.call('GET', `/admin/v1/audit-events?objectId=${made.id}`),
    ]);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain('"password"');
    expect(everything).not.toContain(hashSecret(password));
    expect(await currentRevision(h.store.db)).toBe(revision + 1);
    expect(h.distributor.latest?.credentials).toContainEqual(
      expect.objectContaining({ id: made.id, kind: 'basic', identifier: 'alice.smith@acme' }),
    );
  });

  it('names a basic credential by its id when no username is given, and never takes a password', async () => {
    const app = await newApp();
    const made = await created(h, url(app), { kind: 'basic' });
    expect(made.username).toBe(made.id);
    const given = await h.call('POST', url(app), { kind: 'basic', password: made.password });
    expect([given.status, given.body.code]).toEqual([400, 'validation-failed']);
    for (const username of ['has space', 'colon:user', '', 'x'.repeat(129)]) {
      const response = await h.call('POST', url(app), { kind: 'basic', username });
      expect([response.status, response.body.errors?.[0]?.path], username).toEqual([400, 'body.username']);
    }
    const unknown = await h.call('POST', url(app), { kind: 'jwt' });
    expect([unknown.status, unknown.body.code]).toEqual([400, 'validation-failed']);
  });

  it('shows an hmac secret once, stores it sealed with the platform key, and gives it to the gateways', async () => {
    const app = await newApp();
    const revision = await currentRevision(h.store.db);
    const made = await created(h, url(app), { kind: 'hmac', username: 'billing.signer', label: 'signing' });
    const secret = made.secret as string;
    expect(isWellFormedHmacSecret(secret)).toBe(true);
    expect(made).toMatchObject({
      applicationId: app,
      kind: 'hmac',
      identifier: 'billing.signer',
      username: 'billing.signer',
      fingerprint: null,
      subject: null,
      label: 'signing',
      status: 'active',
      expiresAt: null,
      revokedAt: null,
    });
    expect(made).not.toHaveProperty('password');
    expect(made).not.toHaveProperty('sealedSecret');
    // Sealed, not plaintext and not hashed: the platform key opens it, and nothing else is kept.
    const [row] = await h.store.db.select().from(credentials).where(eq(credentials.id, made.id));
    const sealed = row?.sealedSecret ?? '';
    expect(isSealed(sealed)).toBe(true);
    expect(unseal(sealed, await platformSecret(h.store.db, credentialSealingKey))).toBe(secret);
    expect(row?.secretHash).toBeNull();
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(hashSecret(secret));
    const everything = JSON.stringify([
      await h.call('GET', `${url(app)}/${made.id}`),
      await h.call('GET', url(app)),
      await h.call('PATCH', `${url(app)}/${made.id}`, { label: 'renamed' }),
      await h.call('GET', `/admin/v1/audit-events?objectId=${made.id}`),
    ]);
    expect(everything).toContain('renamed');
    for (const leak of [secret, sealed, '"secret"', '"sealedSecret"', hashSecret(secret)])
      expect(everything).not.toContain(leak);
    expect(await currentRevision(h.store.db)).toBe(revision + 2);
    // The one secret the gateways get in the clear: they compute the same signature.
    const expected = {
      id: made.id,
      kind: 'hmac',
      identifier: 'billing.signer',
      applicationId: app,
      hash: null,
      secret,
      expiresAt: null,
    };
    expect((await buildSnapshot(h.store.db)).credentials).toContainEqual(expected);
    expect(h.distributor.latest?.credentials).toContainEqual(expected);
    const revoked = await h.call('POST', `${url(app)}/${made.id}/revoke`);
    expect(revoked.body.status).toBe('revoked');
    expect(JSON.stringify((await buildSnapshot(h.store.db)).credentials)).not.toContain(secret);
  });

  it('names an hmac credential by its id when no username is given, never takes a secret, and refuses a taken username', async () => {
    const app = await newApp();
    const other = await newApp();
    const made = await created(h, url(app), { kind: 'hmac' });
    expect([made.username, made.identifier]).toEqual([made.id, made.id]);
    for (const body of [
      { kind: 'hmac', secret: made.secret },
      { kind: 'hmac', sealedSecret: 'v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAA' },
      { kind: 'hmac', username: 'has space' },
    ]) {
      const response = await h.call('POST', url(app), body);
      expect([response.status, response.body.code], JSON.stringify(body)).toEqual([400, 'validation-failed']);
    }
    const username = unique();
    await created(h, url(app), { kind: 'hmac', username });
    const again = await h.call('POST', url(other), { kind: 'hmac', username });
    expect([again.status, again.body.code, again.body.detail]).toEqual([
      409,
      'conflict',
      `the hmac username ${username} is already taken`,
    ]);
    // A basic username and an hmac one are different kinds of identity.
    expect((await h.call('POST', url(other), { kind: 'basic', username })).status).toBe(201);
    const ids = async (query: string) =>
      (await h.call('GET', `${url(app)}${query}`)).body.data.map((c: { kind: string }) => c.kind);
    expect(await ids('?kind=hmac')).toEqual(['hmac', 'hmac']);
    expect(await ids('?kind=basic')).toEqual([]);
  });

  it('refuses a username or certificate already registered, on any application, with 409 conflict', async () => {
    const app = await newApp();
    const other = await newApp();
    const username = unique();
    await created(h, url(app), { kind: 'basic', username });
    const again = await h.call('POST', url(other), { kind: 'basic', username });
    expect([again.status, again.body.code]).toEqual([409, 'conflict']);
    const cert = certificate(`dup-${kind}`);
    await created(h, url(app), { kind: 'mtls', certificate: cert.pem });
    // The same certificate by its fingerprint, as openssl prints it: normalized, then a duplicate.
    const byFingerprint = await h.call('POST', url(other), {
      kind: 'mtls',
      fingerprint: cert.opensslFingerprint,
    });
    expect([byFingerprint.status, byFingerprint.body.code]).toEqual([409, 'conflict']);
    // A certificate's fingerprint and a username are different kinds of identity.
    const fingerprint = cert.opensslFingerprint.replaceAll(':', '').toLowerCase();
    expect((await h.call('POST', url(other), { kind: 'basic', username: fingerprint })).status).toBe(201);
  });

  it('reads fingerprint, subject and expiry from a PEM certificate', async () => {
    const app = await newApp();
    const cert = certificate(`client-${kind}`);
    const made = await created(h, url(app), { kind: 'mtls', certificate: cert.pem, label: 'edge' });
    const fingerprint = cert.opensslFingerprint.replaceAll(':', '').toLowerCase();
    expect(made).toMatchObject({
      kind: 'mtls',
      identifier: fingerprint,
      fingerprint,
      username: null,
      subject: `O=Acme, CN=client-${kind}`,
      label: 'edge',
      status: 'active',
      expiresAt: cert.notAfter.toISOString(),
    });
    expect(made).not.toHaveProperty('password');
    const [row] = await h.store.db.select().from(credentials).where(eq(credentials.id, made.id));
    expect(row?.secretHash).toBeNull();
    // An expiry given wins over the certificate's own.
    const second = certificate(`client-2-${kind}`);
    const expiresAt = new Date(Date.now() + 86_400_000).toISOString();
    expect((await created(h, url(app), { kind: 'mtls', certificate: second.pem, expiresAt })).expiresAt).toBe(
      expiresAt,
    );
  });

  it('normalizes a fingerprint given in any case, with or without colons', async () => {
    const app = await newApp();
    const hex = `${'AB'.repeat(31)}CD`;
    const colons = hex.match(/../g)?.join(':') ?? '';
    const made = await created(h, url(app), { kind: 'mtls', fingerprint: colons });
    expect([made.identifier, made.fingerprint, made.subject, made.expiresAt]).toEqual([
      hex.toLowerCase(),
      hex.toLowerCase(),
      null,
      null,
    ]);
    const again = await h.call('POST', url(app), { kind: 'mtls', fingerprint: hex.toLowerCase() });
    expect(again.status).toBe(409);
    for (const fingerprint of ['ab'.repeat(31), 'zz'.repeat(32), `${hex}:`, `${colons.slice(0, -3)}:a:bcd`]) {
      const response = await h.call('POST', url(app), { kind: 'mtls', fingerprint });
      expect([response.status, response.body.errors?.[0]?.path], fingerprint).toEqual([
        400,
        'body.fingerprint',
      ]);
    }
  });

  it('refuses a malformed PEM, a private key, and giving both or neither of certificate and fingerprint', async () => {
    const app = await newApp();
    const cert = certificate(`bad-${kind}`);
    const broken = cert.pem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAAAAAAAAAAAAAAAAAA');
    for (const [certificate, message] of [
      ['not a certificate', 'is not a PEM certificate'],
      [broken, 'is not a valid X.509 certificate'],
      [`${cert.pem}${cert.key}`, 'contains a private key'],
      [`${cert.pem}${cert.pem}`, 'holds several certificates'],
    ] as const) {
      const response = await h.call('POST', url(app), { kind: 'mtls', certificate });
      expect([response.status, response.body.code]).toEqual([400, 'validation-failed']);
      expect(response.body.errors).toEqual([
        { path: 'body.certificate', message: expect.stringContaining(message) },
      ]);
    }
    const tooLong = await h.call('POST', url(app), { kind: 'mtls', certificate: cert.pem.repeat(20) });
    expect(tooLong.body.errors?.[0]?.path).toBe('body.certificate');
    const fingerprint = cert.opensslFingerprint;
    for (const body of [{ kind: 'mtls' }, { kind: 'mtls', certificate: cert.pem, fingerprint }]) {
      const response = await h.call('POST', url(app), body);
      expect([response.status, response.body.errors?.[0]?.message]).toEqual([
        400,
        'give exactly one of certificate or fingerprint',
      ]);
    }
    expect((await h.call('GET', url(app))).body.data).toEqual([]);
  });

  it('makes revocation final: revoke again and any change are 409 invalid-transition', async () => {
    const app = await newApp();
    const made = await created(h, url(app), { kind: 'basic', username: unique() });
    const revision = await currentRevision(h.store.db);
    const revoked = await h.call('POST', `${url(app)}/${made.id}/revoke`);
    expect([revoked.status, revoked.body.status]).toEqual([200, 'revoked']);
    expect(await currentRevision(h.store.db)).toBe(revision + 1);
    expect(h.distributor.latest?.credentials?.map((c) => c.id)).not.toContain(made.id);
    for (const [method, path, body] of [
      ['POST', `${url(app)}/${made.id}/revoke`, undefined],
      ['PATCH', `${url(app)}/${made.id}`, { expiresAt: null }],
      ['PATCH', `${url(app)}/${made.id}`, { label: 'again' }],
    ] as const) {
      const response = await h.call(method, path, body);
      expect([response.status, response.body.code]).toEqual([409, 'invalid-transition']);
    }
    // The username stays taken: a revoked credential is kept for the record.
    const reuse = await h.call('POST', url(app), { kind: 'basic', username: made.username });
    expect(reuse.status).toBe(409);
    const actions = (await h.call('GET', `/admin/v1/audit-events?objectId=${made.id}`)).body.data.map(
      (e: { action: string }) => e.action,
    );
    expect(actions).toEqual(['revoke', 'create']);
  });

  it('updates label and expiry, shows the status, and filters the list by kind', async () => {
    const app = await newApp();
    const basic = await created(h, url(app), { kind: 'basic' });
    const mtls = await created(h, url(app), { kind: 'mtls', fingerprint: 'c'.repeat(64) });
    const past = new Date(Date.now() - 1000).toISOString();
    const changed = await h.call('PATCH', `${url(app)}/${basic.id}`, { label: 'old', expiresAt: past });
    expect(changed.body).toMatchObject({ label: 'old', expiresAt: past, status: 'expired' });
    const cleared = await h.call('PATCH', `${url(app)}/${basic.id}`, { expiresAt: null });
    expect(cleared.body).toMatchObject({ label: 'old', expiresAt: null, status: 'active' });
    const ids = async (query: string) =>
      (await h.call('GET', `${url(app)}${query}`)).body.data.map((c: { id: string }) => c.id);
    expect(await ids('')).toEqual([basic.id, mtls.id]);
    expect(await ids('?kind=mtls')).toEqual([mtls.id]);
    expect(await ids('?kind=basic')).toEqual([basic.id]);
    expect((await h.call('GET', `${url(app)}?kind=jwt`)).status).toBe(400);
  });

  it('answers 404 for another application’s credential, an unknown application, and after delete', async () => {
    const app = await newApp();
    const other = await newApp();
    const made = await created(h, url(app), { kind: 'basic' });
    expect((await h.call('GET', `${url(other)}/${made.id}`)).status).toBe(404);
    expect((await h.call('POST', `${url(other)}/${made.id}/revoke`)).status).toBe(404);
    expect((await h.call('GET', url('app_nothing'))).status).toBe(404);
    expect((await h.call('POST', url('app_nothing'), { kind: 'basic' })).status).toBe(404);
    expect((await h.call('DELETE', `${url(app)}/${made.id}`)).status).toBe(204);
    expect((await h.call('GET', `${url(app)}/${made.id}`)).status).toBe(404);
    expect(h.distributor.latest?.credentials?.map((c) => c.id)).not.toContain(made.id);
    // Deleting frees the username.
    expect((await h.call('POST', url(other), { kind: 'basic', username: made.username })).status).toBe(201);
  });

  it('describes the operations in the OpenAPI document under the Credentials tag', async () => {
    const doc = (await h.call('GET', '/admin/v1/openapi.json')).body;
    const collection = doc.paths['/admin/v1/applications/{application}/credentials'];
    expect(Object.keys(collection).sort()).toEqual(['get', 'post']);
    expect(collection.post.tags).toEqual(['Credentials']);
    expect(
      doc.paths['/admin/v1/applications/{application}/credentials/{credential}/revoke'].post.operationId,
    ).toBe('revokeCredential');
    expect(JSON.stringify(doc.components.schemas.CredentialCreate)).toContain('MtlsCredentialCreate');
  });
});
