// The outbox endpoints over HTTP: viewers list and read what the mailer wrote, newest first;
// unknown and malformed ids are 404s; with SMTP the list is empty and says so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { created } from '../../../test/support/fixtures.ts';
import { createMailer, outboxDirOf } from '../mail/mailer.ts';

describe('outbox endpoints', () => {
  let h: AdminHarness;
  let smtp: AdminHarness;
  let dataDir = '';
  let viewer = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'turnpike-admin-outbox-'));
    h = await startAdmin('pglite', { mail: { outboxDir: outboxDirOf(dataDir), smtp: false } });
    smtp = await startAdmin('pglite', { mail: { outboxDir: outboxDirOf(dataDir), smtp: true } });
    viewer = (await created(h, '/admin/v1/tokens', { name: 'outbox-viewer', role: 'viewer' }))
      .token as string;
  });
  afterAll(async () => {
    await Promise.all([h?.close(), smtp?.close()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const asViewer = async (url: string) => {
    const response = await h.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${viewer}` },
    });
    return { status: response.statusCode, body: response.json() };
  };

  it('is empty before any mail', async () => {
    expect(await asViewer('/admin/v1/outbox')).toEqual({ status: 200, body: { data: [], smtp: false } });
  });

  it('a viewer lists the mails newest first and reads one whole', async () => {
    const mailer = createMailer(
      { smtpUrl: undefined, from: 'Portal <portal@example.com>' },
      { dataDir, logger: pino({ level: 'silent' }) },
    );
    await mailer.send({ to: 'a@example.com', subject: 'First', text: 'one', html: '<p>one</p>' });
    await mailer.send({ to: 'b@example.com', subject: 'Second', text: 'two' });

    const list = await asViewer('/admin/v1/outbox');
    expect(list.status).toBe(200);
    expect(list.body.smtp).toBe(false);
    expect(list.body.data.map((m: { subject: string }) => m.subject)).toEqual(['Second', 'First']);
    const [second, first] = list.body.data;
    expect(Object.keys(first).sort()).toEqual(['id', 'sentAt', 'subject', 'to']);
    expect(first.id).toMatch(/^msg_[0-9a-z]{26}$/);

    expect(await asViewer(`/admin/v1/outbox/${first.id}`)).toEqual({
      status: 200,
      body: {
        id: first.id,
        to: 'a@example.com',
        from: 'Portal <portal@example.com>',
        subject: 'First',
        text: 'one',
        html: '<p>one</p>',
        sentAt: first.sentAt,
      },
    });
    expect((await asViewer(`/admin/v1/outbox/${second.id}`)).body.html).toBeNull();
    expect((await asViewer('/admin/v1/outbox?limit=1')).body.data).toEqual([second]);
  });

  it('an unknown or malformed id is a 404; a bad limit is a 400', async () => {
    for (const id of ['msg_00000000000000000000000000', 'nothing-here', '..%2F..%2Fetc%2Fpasswd']) {
      const missing = await h.call('GET', `/admin/v1/outbox/${id}`);
      expect([missing.status, missing.body.code], id).toEqual([404, 'not-found']);
    }
    for (const limit of ['0', '1001', 'many']) {
      const bad = await h.call('GET', `/admin/v1/outbox?limit=${limit}`);
      expect([bad.status, bad.body.code], limit).toEqual([400, 'validation-failed']);
    }
  });

  it('needs a token', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/admin/v1/outbox' })).statusCode).toBe(401);
  });

  it('with SMTP the list is empty and says so, and messages are not served', async () => {
    const id = (await asViewer('/admin/v1/outbox')).body.data[0].id;
    expect((await smtp.call('GET', '/admin/v1/outbox')).body).toEqual({ data: [], smtp: true });
    expect((await smtp.call('GET', `/admin/v1/outbox/${id}`)).status).toBe(404);
  });

  it('describes both operations in the OpenAPI document', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/admin/v1/openapi.json' })).json();
    expect(doc.paths['/admin/v1/outbox'].get.operationId).toBe('listOutbox');
    expect(doc.paths['/admin/v1/outbox/{message}'].get.operationId).toBe('getOutboxMessage');
    expect(doc.paths['/admin/v1/outbox'].get.tags).toEqual(['Outbox']);
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('Outbox');
  });
});
