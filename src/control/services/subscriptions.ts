// Subscriptions: an application holds at most one open (pending, active or suspended)
// subscription per product, closed plans take no new ones, states move only along the allowed
// transitions, and an open subscription may move to another published plan of its product.
import { and, eq, inArray } from 'drizzle-orm';
import { fail, ok, type Result } from '../../shared/errors.ts';
import { isId, newId } from '../../shared/ids.ts';
import { applications, plans, type SubscriptionState, subscriptions } from '../../store/schema/index.ts';
import type { Subscription, SubscriptionCreate, SubscriptionUpdate } from '../model/subscription.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findById } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof subscriptions.$inferSelect;

const openStates: SubscriptionState[] = ['pending', 'active', 'suspended'];

/** Where each state may go; cancelled and rejected are final. */
const transitions: Record<SubscriptionState, SubscriptionState[]> = {
  pending: ['active', 'rejected', 'cancelled'],
  active: ['suspended', 'cancelled'],
  suspended: ['active', 'cancelled'],
  cancelled: [],
  rejected: [],
};

export function toSubscription(row: Row): Subscription {
  return {
    id: row.id,
    applicationId: row.applicationId,
    planId: row.planId,
    state: row.state,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export interface SubscriptionFilter {
  applicationId?: string | undefined;
  planId?: string | undefined;
  state?: SubscriptionState | undefined;
}

export function listSubscriptions(
  db: Db,
  filter: SubscriptionFilter,
  page: PageRequest,
): Promise<Page<Subscription>> {
  return listPage(
    db,
    subscriptions,
    [
      filter.applicationId ? eq(subscriptions.applicationId, filter.applicationId) : undefined,
      filter.planId ? eq(subscriptions.planId, filter.planId) : undefined,
      filter.state ? eq(subscriptions.state, filter.state) : undefined,
    ],
    page,
    toSubscription,
  );
}

async function findSubscription(db: Db, id: string): Promise<Row | undefined> {
  return isId('subscription', id) ? findById(db, subscriptions, id) : undefined;
}

export async function getSubscription(db: Db, id: string): Promise<Result<Subscription>> {
  const row = await findSubscription(db, id);
  return row ? ok(toSubscription(row)) : fail('not-found', `no subscription ${id}`);
}

export async function createSubscription(db: Db, input: SubscriptionCreate): Promise<Result<Subscription>> {
  if (!(await findById(db, applications, input.applicationId))) {
    return fail('reference-not-found', `no application ${input.applicationId}`);
  }
  const plan = await findById(db, plans, input.planId);
  if (!plan) return fail('reference-not-found', `no plan ${input.planId}`);
  if (plan.state === 'closed') return fail('conflict', `plan ${plan.name} is closed to new subscriptions`);
  const state = input.state ?? (plan.approval === 'manual' ? 'pending' : 'active');
  if (openStates.includes(state)) {
    const clash = await openSubscriptionOnProduct(db, input.applicationId, plan.productId);
    if (clash) return clash;
  }
  const row = only(
    await db
      .insert(subscriptions)
      .values({ id: newId('subscription'), applicationId: input.applicationId, planId: input.planId, state })
      .returning(),
  );
  return ok(toSubscription(row));
}

export async function updateSubscription(
  db: Db,
  id: string,
  patch: SubscriptionUpdate,
): Promise<Result<Subscription>> {
  const current = await findSubscription(db, id);
  if (!current) return fail('not-found', `no subscription ${id}`);
  const state = patch.state ?? current.state;
  if (state !== current.state && !transitions[current.state].includes(state)) {
    const allowed = transitions[current.state];
    return fail(
      'invalid-transition',
      `${current.state === 'active' ? 'an' : 'a'} ${current.state} subscription cannot become ${state}${allowed.length ? `; it can become ${allowed.join(' or ')}` : '; the state is final'}`,
    );
  }
  const planId = patch.planId ?? current.planId;
  if (planId !== current.planId) {
    const problem = await checkPlanChange(db, current, planId);
    if (problem) return problem;
  }
  const row = only(
    await db
      .update(subscriptions)
      .set({ state, planId, updatedAt: new Date() })
      .where(eq(subscriptions.id, current.id))
      .returning(),
  );
  return ok(toSubscription(row));
}

/**
 * A plan change keeps the subscription (and so its id, which keys its usage): only an open
 * subscription moves, only to a published plan of the same product, and at once, whatever the
 * new plan's approval says; an admin asked for it.
 */
async function checkPlanChange(db: Db, current: Row, planId: string): Promise<Result<never> | undefined> {
  if (!openStates.includes(current.state))
    return fail(
      'invalid-transition',
      `a ${current.state} subscription is final and cannot change plan; create a new subscription instead`,
    );
  const plan = await findById(db, plans, planId);
  if (!plan) return fail('reference-not-found', `no plan ${planId}`);
  const [from] = await db
    .select({ productId: plans.productId })
    .from(plans)
    .where(eq(plans.id, current.planId));
  if (plan.productId !== from?.productId)
    return fail(
      'conflict',
      `plan ${plan.name} belongs to another product; a subscription changes plan only within its product`,
    );
  if (plan.state !== 'published')
    return fail(
      'conflict',
      `plan ${plan.name} is ${plan.state}; a subscription changes only to a published plan`,
    );
  return undefined;
}

export async function deleteSubscription(db: Db, id: string): Promise<Result<void>> {
  const current = await findSubscription(db, id);
  if (!current) return fail('not-found', `no subscription ${id}`);
  await db.delete(subscriptions).where(eq(subscriptions.id, current.id));
  return ok(undefined);
}

async function openSubscriptionOnProduct(
  db: Db,
  applicationId: string,
  productId: string,
): Promise<Result<never> | undefined> {
  const [clash] = await db
    .select({ id: subscriptions.id, plan: plans.name })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .where(
      and(
        eq(subscriptions.applicationId, applicationId),
        eq(plans.productId, productId),
        inArray(subscriptions.state, openStates),
      ),
    )
    .limit(1);
  return clash
    ? fail(
        'conflict',
        `the application already has subscription ${clash.id} on plan ${clash.plan} of this product`,
      )
    : undefined;
}
