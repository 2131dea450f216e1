// What every service call gets: the database (or the transaction it runs in).
import type { Db } from '../../store/db.ts';

export type { Db };

export interface Page<T> {
  data: T[];
  /** Cursor for the next page, or null on the last one. */
  next: string | null;
}

export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}
