// What admin API resources are given: the store, a way to say configuration changed, and where mail goes.
import type { Db } from '../../store/db.ts';
import type { AuthorizationServer } from '../oauth/authorization-server.ts';
import type { LiveCounts } from '../services/usage.ts';

export interface AdminContext {
  db: Db;
  /** The authorization server, once it runs (absent in tests of the admin API alone). */
  authorizationServer?: (() => AuthorizationServer | undefined) | undefined;
  /** Where the mailer writes the development outbox, and whether mails go out by SMTP instead (absent: no mailer). */
  mail?: { outboxDir: string; smtp: boolean } | undefined;
  /** Reads the gateways' live counts, for second and minute limits (absent: they show null). */
  liveCounts?: LiveCounts | undefined;
  /** Resolves once the gateway serves a snapshot that includes the committed change. */
  changed(): Promise<void>;
}
