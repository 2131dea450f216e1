// Content pages of the portal: guides, FAQ entries and changelog posts in Markdown, addressed by
// slug; only published ones reach developers.
import { boolean, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, updatedAt } from './common.ts';

export type PageKind = 'guide' | 'faq' | 'changelog';

export const portalPages = pgTable('portal_pages', {
  id: id(),
  slug: text('slug').notNull().unique(),
  kind: text('kind').$type<PageKind>().notNull(),
  title: text('title').notNull(),
  body: text('body').notNull().default(''),
  published: boolean('published').notNull().default(false),
  /** Lower first; ties by title. */
  order: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});
