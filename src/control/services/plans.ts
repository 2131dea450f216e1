// Plans: names unique within a product, at most one default per product (making one default
// clears the others), and no deletion while subscriptions use the plan. A limit is stored
// without `per` when it counts per subscription, so both spellings compare equal. Pricing is
// stored with its defaults filled in, and `null` when the plan is free or not priced.
import { and, eq, ne } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { type PlanLimit, plans, products, subscriptions } from '../../store/schema/index.ts';
import type { Plan, PlanCreate, PlanUpdate } from '../model/plan.ts';
import { resolvePricing } from '../model/pricing.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findById } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof plans.$inferSelect;

export function toPlan(row: Row): Plan {
  return {
    id: row.id,
    productId: row.productId,
    name: row.name,
    description: row.description,
    state: row.state,
    visibility: row.visibility,
    default: row.isDefault,
    approval: row.approval,
    limits: row.limits.map((l) => ({
      metric: l.metric,
      period: l.period,
      max: l.max,
      per: l.per ?? 'subscription',
    })),
    disabledMetrics: row.disabledMetrics,
    pricing: row.pricing ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface PlanFilter {
  name?: string | undefined;
  productId?: string | undefined;
  state?: Row['state'] | undefined;
}

export function listPlans(db: Db, filter: PlanFilter, page: PageRequest): Promise<Page<Plan>> {
  return listPage(
    db,
    plans,
    [
      filter.name ? eq(plans.name, filter.name) : undefined,
      filter.productId ? eq(plans.productId, filter.productId) : undefined,
      filter.state ? eq(plans.state, filter.state) : undefined,
    ],
    page,
    toPlan,
  );
}

export async function getPlan(db: Db, id: string): Promise<Result<Plan>> {
  const row = isId('plan', id) ? await findById(db, plans, id) : undefined;
  return row ? ok(toPlan(row)) : fail('not-found', `no plan ${id}`);
}

export async function createPlan(db: Db, input: PlanCreate): Promise<Result<Plan>> {
  if (!(await findById(db, products, input.productId)))
    return fail('reference-not-found', `no product ${input.productId}`);
  const taken = await nameTaken(db, input.productId, input.name, undefined);
  if (taken) return taken;
  if (input.default) await clearDefault(db, input.productId);
  const row = only(
    await db
      .insert(plans)
      .values({
        id: newId('plan'),
        productId: input.productId,
        name: input.name,
        description: input.description ?? '',
        state: input.state ?? 'published',
        visibility: input.visibility ?? 'public',
        isDefault: input.default ?? false,
        approval: input.approval ?? 'auto',
        limits: storedLimits(input.limits ?? []),
        disabledMetrics: input.disabledMetrics ?? [],
        pricing: resolvePricing(input.pricing),
      })
      .returning(),
  );
  return ok(toPlan(row));
}

export async function updatePlan(db: Db, id: string, patch: PlanUpdate): Promise<Result<Plan>> {
  const current = isId('plan', id) ? await findById(db, plans, id) : undefined;
  if (!current) return fail('not-found', `no plan ${id}`);
  if (patch.name !== undefined && patch.name !== current.name) {
    const taken = await nameTaken(db, current.productId, patch.name, current.id);
    if (taken) return taken;
  }
  if (patch.default && !current.isDefault) await clearDefault(db, current.productId);
  const { default: isDefault, limits, pricing, ...rest } = patch;
  const row = only(
    await db
      .update(plans)
      .set({
        ...rest,
        isDefault,
        limits: limits && storedLimits(limits),
        // Absent: unchanged; null: no longer priced; an object replaces the whole pricing.
        pricing: pricing === undefined ? undefined : resolvePricing(pricing),
        updatedAt: new Date(),
      })
      .where(eq(plans.id, current.id))
      .returning(),
  );
  return ok(toPlan(row));
}

export async function deletePlan(db: Db, id: string): Promise<Result<void>> {
  const current = isId('plan', id) ? await findById(db, plans, id) : undefined;
  if (!current) return fail('not-found', `no plan ${id}`);
  const [used] = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(eq(subscriptions.planId, current.id))
    .limit(1);
  if (used) return fail('conflict', `plan ${current.name} has subscriptions; delete or move them first`);
  await db.delete(plans).where(eq(plans.id, current.id));
  return ok(undefined);
}

/** Limits as stored: `per` only when it is not the default. */
export function storedLimits(limits: NonNullable<PlanCreate['limits']>): PlanLimit[] {
  return limits.map(({ metric, period, max, per }) => ({
    metric,
    period,
    max,
    ...(per === 'end-user' && { per }),
  }));
}

async function clearDefault(db: Db, productId: string): Promise<void> {
  await db
    .update(plans)
    .set({ isDefault: false, updatedAt: new Date() })
    .where(and(eq(plans.productId, productId), eq(plans.isDefault, true)));
}

async function nameTaken(
  db: Db,
  productId: string,
  name: string,
  exceptId: string | undefined,
): Promise<Result<never> | undefined> {
  const [row] = await db
    .select({ id: plans.id })
    .from(plans)
    .where(
      and(
        eq(plans.productId, productId),
        eq(plans.name, name),
        exceptId ? ne(plans.id, exceptId) : undefined,
      ),
    );
  return row ? fail('conflict', `the product already has a plan named ${name}`) : undefined;
}
