// Opens and migrates the store for `start` and `migrate`, turning the many ways that can fail
// (a wrong URL, a refused login, a data dir that is a file, an unwritable disk) into one
// readable line instead of a stack trace.
import type { Settings } from '../shared/config.ts';
import { openStore, redactUrl, type Store } from '../store/db.ts';
import { DataDirLockedError } from '../store/lock.ts';
import { StartupError } from './start.ts';

export async function openMigratedStore(settings: Pick<Settings, 'databaseUrl' | 'dataDir'>): Promise<Store> {
  const where = settings.databaseUrl ? redactUrl(settings.databaseUrl) : settings.dataDir;
  let store: Store;
  try {
    store = await openStore({ databaseUrl: settings.databaseUrl, dataDir: settings.dataDir });
  } catch (error) {
    if (error instanceof DataDirLockedError) throw error;
    throw new StartupError(`cannot open the database at ${where}: ${reason(error)}`);
  }
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    throw new StartupError(`migrating the database at ${where} failed: ${reason(error)}`);
  }
  return store;
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
}
