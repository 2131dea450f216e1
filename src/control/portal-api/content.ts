// /portal/v1 branding, pages and fields: what the portal shows before anyone signs in, so every
// route here is public. Drafts (unpublished pages) and the provider's settings for the console
// (custom domain) are not shown.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { fieldTarget } from '../model/portal-field.ts';
import { pageKind, pageSlug } from '../model/portal-page.ts';
import { getBranding } from '../services/portal-branding.ts';
import { fieldDefinitions } from '../services/portal-fields.ts';
import { findPortalPage, publishedPages } from '../services/portal-pages.ts';
import type { PortalContext } from './context.ts';

const open = { config: { portalPublic: true } };

export function contentRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get('/branding', open, async () => {
    const { customCss: _css, customDomain: _domain, ...shown } = await getBranding(ctx.db);
    return shown;
  });

  // Loaded by the portal after its own styles; revalidated on each load, so a change shows at once.
  app.get('/branding.css', open, async (_request, reply) => {
    const { customCss } = await getBranding(ctx.db);
    return reply
      .type('text/css; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .send(customCss);
  });

  app.get(
    '/pages',
    { ...open, schema: { querystring: z.object({ kind: pageKind.optional() }) } },
    async (request) => {
      const { kind } = request.query as { kind?: z.infer<typeof pageKind> };
      const rows = await publishedPages(ctx.db, kind);
      return {
        data: rows.map((p) => ({
          slug: p.slug,
          kind: p.kind,
          title: p.title,
          order: p.order,
          updatedAt: p.updatedAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/pages/:slug',
    { ...open, schema: { params: z.object({ slug: z.string().max(200) }) } },
    async (request, reply) => {
      const { slug } = request.params as { slug: string };
      // By slug only (a slug has no `_`, so an id never matches); drafts do not exist here.
      const page = pageSlug.safeParse(slug).success ? await findPortalPage(ctx.db, slug) : undefined;
      if (!page?.published) return sendProblem(reply, problem('not-found', `no page ${slug}`));
      return {
        slug: page.slug,
        kind: page.kind,
        title: page.title,
        body: page.body,
        order: page.order,
        updatedAt: page.updatedAt.toISOString(),
      };
    },
  );

  app.get(
    '/fields',
    { ...open, schema: { querystring: z.object({ target: fieldTarget.optional() }) } },
    async (request) => {
      const { target } = request.query as { target?: z.infer<typeof fieldTarget> };
      const fields = await fieldDefinitions(ctx.db, target);
      return {
        data: fields.map((f) => ({
          target: f.target,
          name: f.name,
          label: f.label,
          type: f.type,
          choices: f.choices,
          required: f.required,
          order: f.order,
        })),
      };
    },
  );
}
