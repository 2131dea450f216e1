// What the portal API's routes are given: the store, a way to send mail, where the portal is,
// and a way to say configuration changed.
import type { Db } from '../services/context.ts';
import type { LiveCounts } from '../services/usage.ts';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

export interface PortalContext {
  db: Db;
  /** Sends a mail (SMTP, or the development outbox). */
  sendMail(mail: OutgoingMail): Promise<void>;
  /** The portal's public address, for links in mails (no trailing slash). */
  portalUrl(): string;
  /** Where the gateway answers clients (no trailing slash): for code samples and try-it. */
  gatewayUrl(): string;
  /** Reads the gateways' live counts, for second and minute limits (absent: they show null). */
  liveCounts?: LiveCounts | undefined;
  /** Resolves once the gateway serves a snapshot that includes the committed change. */
  changed(): Promise<void>;
}
