// Portal page: a guide, FAQ entry or changelog post in Markdown, addressed by its slug.
import { z } from 'zod';
import { id, timestamp } from './fields.ts';

export const pageKind = z.enum(['guide', 'faq', 'changelog']).describe('Where the portal lists the page.');

export const pageSlug = z
  .string()
  .min(1)
  .max(80)
  .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and "-"')
  .describe('Unique; the portal’s address of the page ends with it.');

const fields = {
  slug: pageSlug,
  kind: pageKind,
  title: z.string().min(1).max(200).describe('The page’s title.'),
  body: z.string().max(200_000).optional().meta({ default: '' }).describe('The page in Markdown.'),
  published: z
    .boolean()
    .optional()
    .meta({ default: false })
    .describe('Only published pages are shown to developers.'),
  order: z
    .int()
    .min(-1_000_000)
    .max(1_000_000)
    .optional()
    .meta({ default: 0 })
    .describe('Position among pages of its kind, lower first; ties by title.'),
};

export const portalPageCreate = z
  .strictObject(fields)
  .meta({ id: 'PortalPageCreate', description: 'A new page.' });
export const portalPageUpdate = z
  .strictObject(fields)
  .partial()
  .meta({ id: 'PortalPageUpdate', description: 'Fields to change.' });

export const portalPage = z
  .strictObject({
    id: id('pag'),
    slug: z.string(),
    kind: pageKind,
    title: z.string(),
    body: z.string(),
    published: z.boolean(),
    order: z.int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'PortalPage', description: 'A content page of the developer portal.' });

export type PortalPageCreate = z.infer<typeof portalPageCreate>;
export type PortalPageUpdate = z.infer<typeof portalPageUpdate>;
export type PortalPage = z.infer<typeof portalPage>;
