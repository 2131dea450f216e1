// Sending e-mail (verification, password reset, invitations): through an SMTP server when one is
// configured, otherwise into the development outbox. Mails carry one-time tokens, so no body and
// no SMTP password is ever logged.
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { MailSettings } from '../../shared/config.ts';
import { publishMail } from '../metrics/channels.ts';
import { newMessageId, writeOutboxMessage } from './outbox.ts';

export type { MailSettings } from '../../shared/config.ts';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface Mailer {
  /** Resolves once the mail is written to the outbox or accepted by the SMTP server; rejects with a MailNotSent otherwise. */
  send(mail: Mail): Promise<void>;
  close(): Promise<void>;
}

/** A mail that did not go out. Its message is the SMTP server's or the file system's, never the body. */
export class MailNotSent extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'MailNotSent';
    this.code = code;
  }
}

/** Where outbox files go under the data directory. */
export const outboxDirOf = (dataDir: string): string => join(dataDir, 'outbox');

export function createMailer(settings: MailSettings, options: { dataDir: string; logger: Logger }): Mailer {
  const logger = options.logger.child({ component: 'mail' });
  return settings.smtpUrl === undefined
    ? outboxMailer(settings.from, outboxDirOf(options.dataDir), logger)
    : smtpMailer(settings.from, settings.smtpUrl, logger);
}

function outboxMailer(from: string, dir: string, logger: Logger): Mailer {
  logger.debug({ outbox: dir }, 'no SMTP server configured; mails are written to the outbox');
  return {
    async send(mail) {
      const id = newMessageId();
      try {
        await writeOutboxMessage(dir, {
          id,
          to: mail.to,
          from,
          subject: mail.subject,
          text: mail.text,
          html: mail.html ?? null,
          sentAt: new Date().toISOString(),
        });
      } catch (error) {
        publishMail({ transport: 'outbox', result: 'failed' });
        throw notSent(logger, id, mail.to, error);
      }
      publishMail({ transport: 'outbox', result: 'sent' });
      logger.info({ mail: id, to: mail.to, file: join(dir, `${id}.json`) }, 'mail written to the outbox');
    },
    async close() {},
  };
}

function smtpMailer(from: string, smtpUrl: string, logger: Logger): Mailer {
  // Timeouts short enough that a portal request waiting on a dead server fails in seconds, not
  // nodemailer's default minutes. No `logger` or `debug` option: its protocol log shows AUTH.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
  });
  logger.info({ smtp: serverOf(smtpUrl) }, 'mails go out through SMTP');
  return {
    async send(mail) {
      const id = newMessageId();
      try {
        const info = await transport.sendMail({
          from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html !== undefined && { html: mail.html }),
        });
        publishMail({ transport: 'smtp', result: 'sent' });
        logger.info({ mail: id, to: mail.to, messageId: info.messageId }, 'mail sent through SMTP');
      } catch (error) {
        publishMail({ transport: 'smtp', result: 'failed' });
        throw notSent(logger, id, mail.to, error);
      }
    },
    async close() {
      transport.close();
    },
  };
}

/** The server's scheme, host and port: the URL without its user and password. */
export function serverOf(smtpUrl: string): string {
  const url = new URL(smtpUrl);
  return `${url.protocol}//${url.host}`;
}

/** Logs and returns a MailNotSent that carries the reason but not the original error, whose fields could hold more. */
function notSent(logger: Logger, id: string, to: string, error: unknown): MailNotSent {
  const reason = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const failure = new MailNotSent(reason, typeof code === 'string' ? code : undefined);
  logger.warn({ mail: id, to, reason, code: failure.code }, 'mail not sent');
  return failure;
}
