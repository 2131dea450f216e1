// One row counting configuration changes: every write that the gateway can see bumps it in the
// same transaction, so snapshot versions are ordered and other control-plane processes can
// notice a change by reading one number.
import { bigint, integer, pgTable } from 'drizzle-orm/pg-core';

export const configRevision = pgTable('config_revision', {
  id: integer('id').primaryKey(),
  revision: bigint('revision', { mode: 'number' }).notNull(),
});
