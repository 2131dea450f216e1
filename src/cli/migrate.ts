// `turnpike migrate`: bring the database schema up to date without starting anything
// (`turnpike start` does this too).
import { resolveSettings } from '../shared/config.ts';
import type { Command } from './args.ts';
import { storeFlags } from './store-flags.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Run the database migrations (embedded database, or PostgreSQL with --database-url).',
  usage: 'turnpike migrate [--data-dir DIR] [--database-url URL]',
  flags: storeFlags,
  async run(flags) {
    const settings = resolveSettings(flags, process.env);
    const { openMigratedStore } = await import('./open-store.ts');
    const store = await openMigratedStore(settings);
    try {
      console.log(`The database is up to date (${store.kind}: ${store.location}).`);
    } finally {
      await store.close();
    }
    return 0;
  },
};
