// The mailer both ways: into the outbox by default, and through a real SMTP server (smtp-server,
// on an ephemeral port) when given a URL; neither way logs a body or the SMTP password.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMailer, MailNotSent, outboxDirOf } from './mailer.ts';
import { listOutbox, newMessageId, outboxSize, readOutboxMessage } from './outbox.ts';

const from = 'Turnpike <no-reply@localhost>';
const token = 'one-time-token-4b1d6f0e9c';
const mail = {
  to: 'dev@example.com',
  subject: 'Verify your e-mail address',
  text: `Open http://127.0.0.1:8002/verify?token=${token}`,
  html: `<a href="http://127.0.0.1:8002/verify?token=${token}">Verify</a>`,
};

let dataDir = '';
let logs: string[] = [];
const logger = () => pino({ level: 'trace' }, { write: (line: string) => void logs.push(line) });

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'turnpike-mailer-'));
  logs = [];
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

describe('without an SMTP URL', () => {
  it('writes the mail to <dataDir>/outbox, with the From of the settings, and logs no body', async () => {
    const mailer = createMailer({ smtpUrl: undefined, from }, { dataDir, logger: logger() });
    await mailer.send(mail);
    await mailer.send({ to: 'other@example.com', subject: 'Plain', text: 'Just text' });
    await mailer.close();

    const outbox = outboxDirOf(dataDir);
    const [plain, verify] = await listOutbox(outbox, { limit: 10 });
    expect([plain?.to, verify?.to]).toEqual(['other@example.com', mail.to]);
    expect(await readOutboxMessage(outbox, verify?.id ?? '')).toEqual({
      id: verify?.id,
      from,
      ...mail,
      sentAt: verify?.sentAt,
    });
    expect((await readOutboxMessage(outbox, plain?.id ?? ''))?.html).toBeNull();
    expect(logs.join('')).toContain(verify?.id);
    expect(logs.join('')).not.toContain(token);
    expect(logs.join('')).not.toContain('Just text');
  });

  it(`keeps the newest ${outboxSize} mails`, async () => {
    const outbox = outboxDirOf(dataDir);
    mkdirSync(outbox);
    for (let n = 0; n < outboxSize; n++) writeFileSync(join(outbox, `${newMessageId()}.json`), '{}');
    const mailer = createMailer({ smtpUrl: undefined, from }, { dataDir, logger: logger() });
    await mailer.send(mail);
    expect(readdirSync(outbox)).toHaveLength(outboxSize);
    expect((await listOutbox(outbox, { limit: 1 }))[0]?.subject).toBe(mail.subject);
  });

  it('a mail that cannot be written rejects with MailNotSent', async () => {
    writeFileSync(outboxDirOf(dataDir), 'a file where the folder should be');
    const mailer = createMailer({ smtpUrl: undefined, from }, { dataDir, logger: logger() });
    await expect(mailer.send(mail)).rejects.toBeInstanceOf(MailNotSent);
    expect(logs.join('')).toContain('mail not sent');
    expect(logs.join('')).not.toContain(token);
  });
});

describe('with an SMTP URL', () => {
  const user = 'mailer';
  // Characters that must be percent-encoded in the URL, to check that they are decoded.
  const password = 'p@ss w0rd/Secret!';
  const received: { from: string; to: string[]; data: string }[] = [];
  let server: SMTPServer;
  let port = 0;

  beforeAll(async () => {
    server = new SMTPServer({
      // Plain text on loopback: no certificate to trust in a test.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === user && auth.password === password) callback(null, { user });
        else callback(new Error('Invalid username or password'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            data: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const url = (pass: string) => `smtp://${user}:${encodeURIComponent(pass)}@127.0.0.1:${port}`;

  it('sends through the server with the right recipient and subject, and logs neither the password nor the body', async () => {
    received.length = 0;
    const mailer = createMailer({ smtpUrl: url(password), from }, { dataDir, logger: logger() });
    await mailer.send(mail);
    await mailer.close();

    expect(received).toHaveLength(1);
    const [message] = received;
    expect(message?.from).toBe('no-reply@localhost');
    expect(message?.to).toEqual([mail.to]);
    expect(message?.data).toMatch(/^Subject: Verify your e-mail address\r$/m);
    expect(message?.data).toMatch(/^From: Turnpike <no-reply@localhost>\r$/m);
    expect(message?.data).toContain(token);
    // Nothing in the outbox: the mail went out by SMTP.
    expect(existsSync(outboxDirOf(dataDir))).toBe(false);

    const logged = logs.join('');
    expect(logged).toContain(`smtp://127.0.0.1:${port}`);
    expect(logged).toContain('mail sent through SMTP');
    for (const secret of [password, encodeURIComponent(password), token])
      expect(logged).not.toContain(secret);
  });

  it('a refused login rejects with MailNotSent, and the password is not in the error or the logs', async () => {
    received.length = 0;
    const wrong = 'wrong-Secret-9f8e7d';
    const mailer = createMailer({ smtpUrl: url(wrong), from }, { dataDir, logger: logger() });
    const error = await mailer.send(mail).then(
      () => undefined,
      (e: unknown) => e,
    );
    await mailer.close();
    expect(error).toBeInstanceOf(MailNotSent);
    expect((error as MailNotSent).code).toBe('EAUTH');
    expect(received).toHaveLength(0);
    const everything = `${logs.join('')}${JSON.stringify(error)}${(error as Error).message}`;
    expect(logs.join('')).toContain('mail not sent');
    for (const secret of [wrong, encodeURIComponent(wrong), token]) expect(everything).not.toContain(secret);
  });
});
