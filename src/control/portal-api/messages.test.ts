// The support inbox from the portal, on both stores: signed-in developers send as themselves (with
// the CSRF token), visitors give an e-mail address, and each sender gets five messages an hour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type PortalHarness, startPortal } from '../../../test/support/portal.ts';
import { currentRevision } from '../services/write.ts';

const password = 'correct horse battery';

describe.each(storeKinds)('support messages from the portal on %s', (kind) => {
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

  const message = (subject: string) => ({ kind: 'question', subject, body: 'How do I rotate a key?' });

  it('takes a visitor’s message with an e-mail address, and refuses one without', async () => {
    const visitor = portal.browser();
    const revision = await currentRevision(admin.store.db);
    const noEmail = await visitor.call('POST', '/portal/v1/messages', message('Hello'));
    expect([noEmail.status, noEmail.body.errors]).toEqual([
      400,
      [{ path: 'body.email', message: 'give an e-mail address to be answered at, or sign in' }],
    ]);
    const sent = await visitor.call('POST', '/portal/v1/messages', {
      ...message('Hello'),
      email: 'Vic@Example.com',
    });
    expect(sent.status).toBe(201);
    expect(sent.body).toEqual({ id: expect.stringMatching(/^sup_/), createdAt: expect.any(String) });
    const stored = (await admin.call('GET', `/admin/v1/portal/messages/${sent.body.id}`)).body;
    expect(stored).toMatchObject({
      kind: 'question',
      subject: 'Hello',
      email: 'vic@example.com',
      developerId: null,
      accountId: null,
      state: 'new',
    });
    const bad = await visitor.call('POST', '/portal/v1/messages', {
      kind: 'praise',
      subject: '',
      body: 'x'.repeat(10_001),
      email: 'vic@example.com',
    });
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      'body.body',
      'body.kind',
      'body.subject',
    ]);
    expect(await currentRevision(admin.store.db)).toBe(revision);
  });

  it('sends as the signed-in developer and their account, with the CSRF token', async () => {
    await portal.browser().call('POST', '/portal/v1/signup', {
      email: 'dev@example.com',
      password,
      name: 'Dev',
      organization: 'Dev Co',
    });
    const dev = portal.browser();
    await dev.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('dev@example.com', '/verify-email'),
    });
    await dev.signIn('dev@example.com', password);
    const session = (await dev.call('GET', '/portal/v1/session')).body;
    const noToken = await dev.call('POST', '/portal/v1/messages', message('Bug'), {
      'x-csrf-token': 'wrong',
    });
    expect([noToken.status, noToken.body.code]).toEqual([403, 'csrf-token-invalid']);
    const sent = await dev.call('POST', '/portal/v1/messages', {
      ...message('Bug'),
      kind: 'bug',
      email: 'x@example.com',
    });
    expect(sent.status).toBe(201);
    expect((await admin.call('GET', `/admin/v1/portal/messages/${sent.body.id}`)).body).toMatchObject({
      kind: 'bug',
      email: 'dev@example.com',
      developerId: session.developer.id,
      accountId: session.account.id,
    });
  });

  it('takes five messages an hour from one sender, then answers 429 with Retry-After', async () => {
    const visitor = portal.browser();
    const send = (email: string) =>
      visitor.call('POST', '/portal/v1/messages', { ...message('Again'), email });
    for (let i = 0; i < 5; i++) expect((await send('spam@example.com')).status).toBe(201);
    const limited = await send('SPAM@example.com');
    expect([limited.status, limited.body.code]).toEqual([429, 'rate-limited']);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(3500);
    expect((await send('other@example.com')).status).toBe(201);
  });
});
