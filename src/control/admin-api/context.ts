// What admin API resources are given: the store, and a way to say configuration changed.
import type { Db } from '../../store/db.ts';

export interface AdminContext {
  db: Db;
  /** Resolves once the gateway serves a snapshot that includes the committed change. */
  changed(): Promise<void>;
}
