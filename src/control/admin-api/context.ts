// What admin API resources are given: the store, and a way to say configuration changed.
import type { Db } from '../../store/db.ts';
import type { AuthorizationServer } from '../oauth/authorization-server.ts';

export interface AdminContext {
  db: Db;
  /** The authorization server, once it runs (absent in tests of the admin API alone). */
  authorizationServer?: (() => AuthorizationServer | undefined) | undefined;
  /** Resolves once the gateway serves a snapshot that includes the committed change. */
  changed(): Promise<void>;
}
