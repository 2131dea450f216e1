// /portal/v1 catalog: the APIs an account may see and the products and public plans that sell
// them. Public APIs are for everyone signed in, partner APIs for approved accounts, internal ones
// never; drafts and retired APIs are not listed.
import { and, eq, inArray } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { apis, plans, productApis, products, routes } from '../../store/schema/index.ts';
import { sendProblem } from '../http/problems.ts';
import type { Db } from '../services/context.ts';
import { membershipOf } from './auth.ts';
import type { PortalContext } from './context.ts';

type ApiRow = typeof apis.$inferSelect;

/** The APIs the signed-in account may see, by name. */
export async function visibleApis(db: Db, request: FastifyRequest): Promise<ApiRow[]> {
  const approved = membershipOf(request).account.state === 'approved';
  const rows = await db
    .select()
    .from(apis)
    .where(inArray(apis.lifecycle, ['published', 'deprecated']))
    .orderBy(apis.name);
  const { tier } = membershipOf(request).account;
  const partner = (api: ApiRow) =>
    approved && (api.partnerTiers.length === 0 || api.partnerTiers.includes(tier));
  return rows.filter((api) => api.visibility === 'public' || (api.visibility === 'partner' && partner(api)));
}

const summary = (api: ApiRow) => ({
  id: api.id,
  name: api.name,
  version: api.version,
  description: api.description,
  basePath: api.basePath,
  visibility: api.visibility,
  lifecycle: api.lifecycle,
});

/** Words a search may match: names, descriptions, the routes, and the operations of the OpenAPI document. */
function searchText(api: ApiRow, apiRoutes: { name: string; path: string }[]): string {
  const parts = [api.name, api.version, api.description, api.overview];
  for (const route of apiRoutes) parts.push(route.name, route.path);
  const paths = (api.openapi as { paths?: Record<string, Record<string, unknown>> } | null)?.paths ?? {};
  for (const [path, item] of Object.entries(paths)) {
    parts.push(path);
    for (const operation of Object.values(item ?? {})) {
      if (typeof operation !== 'object' || operation === null) continue;
      const { summary: text, description, operationId } = operation as Record<string, unknown>;
      for (const value of [text, description, operationId]) if (typeof value === 'string') parts.push(value);
    }
  }
  return parts.join('\n').toLowerCase();
}

/** Products that sell any of `apiIds`, with their public published plans and the visible APIs. */
async function productsFor(db: Db, visible: ApiRow[], only?: string) {
  const visibleIds = visible.map((api) => api.id);
  if (visibleIds.length === 0) return [];
  const links = await db
    .select({ productId: productApis.productId, apiId: productApis.apiId })
    .from(productApis)
    .where(only ? eq(productApis.apiId, only) : inArray(productApis.apiId, visibleIds));
  const productIds = [...new Set(links.map((l) => l.productId))];
  if (productIds.length === 0) return [];
  const [productRows, planRows, allLinks] = await Promise.all([
    db.select().from(products).where(inArray(products.id, productIds)).orderBy(products.name),
    db
      .select()
      .from(plans)
      .where(
        and(
          inArray(plans.productId, productIds),
          eq(plans.visibility, 'public'),
          eq(plans.state, 'published'),
        ),
      )
      .orderBy(plans.name),
    db.select().from(productApis).where(inArray(productApis.productId, productIds)),
  ]);
  const names = new Map(visible.map((api) => [api.id, api.name]));
  return productRows.map((product) => ({
    id: product.id,
    name: product.name,
    description: product.description,
    apis: allLinks
      .filter((l) => l.productId === product.id && names.has(l.apiId))
      .map((l) => ({ id: l.apiId, name: names.get(l.apiId) ?? '' })),
    plans: planRows
      .filter((plan) => plan.productId === product.id)
      .map((plan) => ({
        id: plan.id,
        name: plan.name,
        description: plan.description,
        approval: plan.approval,
        default: plan.isDefault,
        limits: plan.limits,
        disabledMetrics: plan.disabledMetrics,
        pricing: plan.pricing ?? null,
      })),
  }));
}

export function catalogRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get(
    '/apis',
    { schema: { querystring: z.object({ q: z.string().max(200).optional() }) } },
    async (request) => {
      const visible = await visibleApis(ctx.db, request);
      const words = ((request.query as { q?: string }).q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      if (words.length === 0) return { data: visible.map(summary) };
      const routeRows = await ctx.db
        .select({ apiId: routes.apiId, name: routes.name, path: routes.path })
        .from(routes)
        .where(
          inArray(
            routes.apiId,
            visible.map((api) => api.id),
          ),
        );
      return {
        data: visible
          .filter((api) => {
            const text = searchText(
              api,
              routeRows.filter((r) => r.apiId === api.id),
            );
            return words.every((word) => text.includes(word));
          })
          .map(summary),
      };
    },
  );

  app.get(
    '/apis/:api',
    { schema: { params: z.object({ api: z.string().max(100) }) } },
    async (request, reply) => {
      const wanted = (request.params as { api: string }).api;
      const visible = await visibleApis(ctx.db, request);
      const api = visible.find((a) => a.id === wanted || a.name === wanted);
      if (!api) return sendProblem(reply, problem('not-found', `no API ${wanted}`));
      const base = api.basePath === '/' ? '' : api.basePath;
      return {
        ...summary(api),
        url: `${ctx.gatewayUrl()}${base}`,
        overview: api.overview,
        changelog: api.changelog,
        openapi: api.openapi,
        products: await productsFor(ctx.db, visible, api.id),
      };
    },
  );

  app.get('/products', async (request) => {
    const visible = await visibleApis(ctx.db, request);
    return { data: (await productsFor(ctx.db, visible)).filter((p) => p.apis.length > 0) };
  });
}
