// The portal's branding: one row (id 1), absent until a provider first saves it, so an install
// that never set any shows the defaults. Typed columns rather than key/value settings: the
// database keeps the shape, and a read is one row.
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { updatedAt } from './common.ts';

export interface BrandingColors {
  primary: string;
  background: string;
  text: string;
}

export const portalBranding = pgTable(
  'portal_branding',
  {
    id: integer('id').primaryKey().default(1),
    name: text('name').notNull(),
    /** A data: URL of an image or an https:// URL; null: none. */
    logo: text('logo'),
    favicon: text('favicon'),
    colors: jsonb('colors').$type<BrandingColors>().notNull(),
    customCss: text('custom_css').notNull().default(''),
    /** Informational: where the provider serves the portal. */
    customDomain: text('custom_domain'),
    updatedAt: updatedAt(),
  },
  (t) => [check('portal_branding_one_row', sql`${t.id} = 1`)],
);
