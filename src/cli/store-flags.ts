// Flags that choose the database, shared by start and migrate.
import type { FlagSpec } from './args.ts';

export const storeFlags: FlagSpec = {
  'data-dir': {
    type: 'string',
    value: 'DIR',
    description: 'Directory of the embedded database (default: $TURNPIKE_DATA_DIR or ./.turnpike).',
  },
  'database-url': {
    type: 'string',
    value: 'URL',
    description: 'PostgreSQL instead of the embedded database (default: $TURNPIKE_DATABASE_URL).',
  },
};
