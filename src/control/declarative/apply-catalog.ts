// Applies the provider side of a document: upstreams, APIs with routes, products with plans.
import { eq } from 'drizzle-orm';
import { resolveUpstreamSettings } from '../../shared/upstream-settings.ts';
import { apis, plans, productApis, products, routes, upstreams } from '../../store/schema/index.ts';
import { resolvePricing } from '../model/pricing.ts';
import { createApi, deleteApi, toApi, updateApi } from '../services/apis.ts';
import { createPlan, deletePlan, storedLimits, toPlan, updatePlan } from '../services/plans.ts';
import { createProduct, deleteProduct, toProduct, updateProduct } from '../services/products.ts';
import { createRoute, deleteRoute, toRoute, updateRoute } from '../services/routes.ts';
import { createUpstream, deleteUpstream, toUpstream, updateUpstream } from '../services/upstreams.ts';
import { applyPolicies } from './apply-policies.ts';
import type { ApiEntry, ConfigDocument, ProductEntry } from './document.ts';
import { type ApplyRun, same } from './run.ts';

export async function applyUpstreams(
  run: ApplyRun,
  entries: NonNullable<ConfigDocument['upstreams']>,
): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    // Settings the file leaves out are the defaults, like any other omitted field.
    const desired = {
      description: entry.description ?? '',
      targets: entry.targets.map((t) => ({ url: t.url, weight: t.weight ?? 100 })),
      ...resolveUpstreamSettings(entry),
    };
    const [current] = await run.db.select().from(upstreams).where(eq(upstreams.name, entry.name));
    if (!current) {
      const created = run.step(`upstreams[${i}]`, await createUpstream(run.db, entry));
      run.record('create', 'upstream', entry.name, { id: created.id, after: created });
    } else if (!same(desired, upstreamFields(current))) {
      const updated = run.step(`upstreams[${i}]`, await updateUpstream(run.db, current.id, desired));
      run.record('update', 'upstream', entry.name, {
        id: current.id,
        before: toUpstream(current),
        after: updated,
      });
    }
  }
}

function upstreamFields(row: typeof upstreams.$inferSelect) {
  const { description, targets, balancing, healthChecks, timeouts, retries } = row;
  return { description, targets, balancing, healthChecks, timeouts, retries };
}

export async function applyApis(run: ApplyRun, entries: ApiEntry[]): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    const [upstream] = await run.db
      .select({ id: upstreams.id })
      .from(upstreams)
      .where(eq(upstreams.name, entry.upstream));
    const [current] = await run.db.select().from(apis).where(eq(apis.name, entry.name));
    const desired = {
      description: entry.description ?? '',
      basePath: entry.basePath,
      hosts: entry.hosts ?? [],
      upstreamId: upstream?.id ?? '',
      keyless: entry.keyless ?? false,
      stripBasePath: entry.stripBasePath ?? true,
      maxBodyBytes: entry.maxBodyBytes ?? null,
      identityProvider: entry.identityProvider ?? null,
      metrics: entry.metrics ?? [],
      version: entry.version ?? '',
      visibility: entry.visibility ?? 'public',
      partnerTiers: entry.partnerTiers ?? [],
      // Like a plan's state: an omitted lifecycle keeps the current one (new APIs are published).
      lifecycle: entry.lifecycle ?? current?.lifecycle ?? 'published',
      overview: entry.overview ?? '',
      changelog: entry.changelog ?? '',
      openapi: entry.openapi ?? null,
    };
    let apiId: string;
    if (!current) {
      const created = run.step(`apis[${i}]`, await createApi(run.db, { name: entry.name, ...desired }));
      apiId = created.id;
      run.record('create', 'api', entry.name, { id: apiId, after: created });
    } else {
      apiId = current.id;
      const before = await toApi(run.db, current);
      const { id: _id, name: _name, createdAt: _c, updatedAt: _u, openapiSummary: _s, ...shown } = before;
      // The document itself, not its summary: `same` compares keys in sorted order.
      if (!same(desired, { ...shown, openapi: current.openapi })) {
        const updated = run.step(`apis[${i}]`, await updateApi(run.db, apiId, desired));
        run.record('update', 'api', entry.name, { id: apiId, before, after: updated });
      }
    }
    if (entry.routes) await applyRoutes(run, i, entry.name, apiId, entry.routes);
    if (entry.policies)
      await applyPolicies(run, `apis[${i}].policies`, entry.name, { apiId, routeId: null }, entry.policies);
  }
}

async function applyRoutes(
  run: ApplyRun,
  i: number,
  apiName: string,
  apiId: string,
  entries: NonNullable<ApiEntry['routes']>,
) {
  const current = await run.db.select().from(routes).where(eq(routes.apiId, apiId));
  const wanted = new Set(entries.map((r) => r.name));
  // Deletions first, so a route can move to a pattern another route held until now.
  for (const route of current.filter((r) => !wanted.has(r.name))) {
    run.step(`apis[${i}].routes`, await deleteRoute(run.db, apiId, route.id));
    run.record('delete', 'route', `${apiName}/${route.name}`, { id: route.id, before: toRoute(route) });
  }
  for (const [j, entry] of entries.entries()) {
    const desired = {
      methods: entry.methods ?? [],
      path: entry.path,
      metric: entry.metric ?? 'hits',
      delta: entry.delta ?? 1,
    };
    const existing = current.find((r) => r.name === entry.name);
    const path = `apis[${i}].routes[${j}]`;
    let routeId = existing?.id ?? '';
    if (!existing) {
      const created = run.step(path, await createRoute(run.db, apiId, { name: entry.name, ...desired }));
      routeId = created.id;
      run.record('create', 'route', `${apiName}/${entry.name}`, { id: routeId, after: created });
    } else if (
      !same(desired, {
        methods: existing.methods,
        path: existing.path,
        metric: existing.metric,
        delta: existing.delta,
      })
    ) {
      const updated = run.step(path, await updateRoute(run.db, apiId, existing.id, desired));
      run.record('update', 'route', `${apiName}/${entry.name}`, {
        id: existing.id,
        before: toRoute(existing),
        after: updated,
      });
    }
    if (entry.policies) {
      const label = `${apiName}/${entry.name}`;
      await applyPolicies(run, `${path}.policies`, label, { apiId, routeId }, entry.policies);
    }
  }
}

export async function applyProducts(run: ApplyRun, entries: ProductEntry[]): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    const apiIds: string[] = [];
    for (const apiName of entry.apis ?? []) {
      const [api] = await run.db.select({ id: apis.id }).from(apis).where(eq(apis.name, apiName));
      if (api) apiIds.push(api.id);
    }
    apiIds.sort();
    const desired = { description: entry.description ?? '', apiIds };
    const [current] = await run.db.select().from(products).where(eq(products.name, entry.name));
    let productId: string;
    if (!current) {
      const created = run.step(
        `products[${i}]`,
        await createProduct(run.db, { name: entry.name, ...desired }),
      );
      productId = created.id;
      run.record('create', 'product', entry.name, { id: productId, after: created });
    } else {
      productId = current.id;
      const links = await run.db.select().from(productApis).where(eq(productApis.productId, productId));
      const storedApis = links.map((l) => l.apiId).sort();
      if (!same(desired, { description: current.description, apiIds: storedApis })) {
        const before = await toProduct(run.db, current);
        const updated = run.step(`products[${i}]`, await updateProduct(run.db, productId, desired));
        run.record('update', 'product', entry.name, { id: productId, before, after: updated });
      }
    }
    if (entry.plans) await applyPlans(run, i, entry.name, productId, entry.plans);
  }
}

async function applyPlans(
  run: ApplyRun,
  i: number,
  productName: string,
  productId: string,
  entries: NonNullable<ProductEntry['plans']>,
) {
  const current = await run.db.select().from(plans).where(eq(plans.productId, productId));
  const wanted = new Set(entries.map((p) => p.name));
  // A plan may lose its subscriptions later in this same apply, so its deletion waits.
  for (const plan of current.filter((p) => !wanted.has(p.name))) {
    run.defer(async () => {
      run.step(`products[${i}].plans`, await deletePlan(run.db, plan.id));
      run.record('delete', 'plan', `${productName}/${plan.name}`, { id: plan.id, before: toPlan(plan) });
    });
  }
  for (const [j, entry] of entries.entries()) {
    const existing = current.find((p) => p.name === entry.name);
    const path = `products[${i}].plans[${j}]`;
    const desired = {
      description: entry.description ?? '',
      state: entry.state ?? existing?.state ?? 'published',
      visibility: entry.visibility ?? 'public',
      default: entry.default ?? false,
      approval: entry.approval ?? 'auto',
      limits: storedLimits(entry.limits ?? []),
      disabledMetrics: entry.disabledMetrics ?? [],
      pricing: resolvePricing(entry.pricing),
    };
    if (!existing) {
      const created = run.step(path, await createPlan(run.db, { productId, name: entry.name, ...desired }));
      run.record('create', 'plan', `${productName}/${entry.name}`, { id: created.id, after: created });
      continue;
    }
    const stored = {
      description: existing.description,
      state: existing.state,
      visibility: existing.visibility,
      default: existing.isDefault,
      approval: existing.approval,
      limits: existing.limits,
      disabledMetrics: existing.disabledMetrics,
      pricing: existing.pricing ?? null,
    };
    if (!same(desired, stored)) {
      const updated = run.step(path, await updatePlan(run.db, existing.id, desired));
      run.record('update', 'plan', `${productName}/${entry.name}`, {
        id: existing.id,
        before: toPlan(existing),
        after: updated,
      });
    }
  }
}

/** With --prune: delete what the document does not name, dependants first. */
export async function pruneCatalog(run: ApplyRun, doc: ConfigDocument): Promise<void> {
  const keep = (list: { name: string }[] | undefined) => new Set((list ?? []).map((x) => x.name));
  const keepProducts = keep(doc.products);
  for (const p of await run.db.select().from(products)) {
    if (keepProducts.has(p.name)) continue;
    const before = await toProduct(run.db, p);
    run.step('products', await deleteProduct(run.db, p.id));
    run.record('delete', 'product', p.name, { id: p.id, before });
  }
  const keepApis = keep(doc.apis);
  for (const a of await run.db.select().from(apis)) {
    if (keepApis.has(a.name)) continue;
    const before = await toApi(run.db, a);
    run.step('apis', await deleteApi(run.db, a.id));
    run.record('delete', 'api', a.name, { id: a.id, before });
  }
  const keepUpstreams = keep(doc.upstreams);
  for (const u of await run.db.select().from(upstreams)) {
    if (keepUpstreams.has(u.name)) continue;
    run.step('upstreams', await deleteUpstream(run.db, u.id));
    run.record('delete', 'upstream', u.name, { id: u.id, before: toUpstream(u) });
  }
}
