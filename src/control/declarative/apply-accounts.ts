// Applies the consumer side of a document: accounts, their applications, and each
// application's subscriptions, keys and credentials.
import { and, eq, getTableColumns } from 'drizzle-orm';
import { hashSecret, keyPrefix } from '../../shared/secrets.ts';
import { accounts, apiKeys, applications, plans, products, subscriptions } from '../../store/schema/index.ts';
import type { Key } from '../model/key.ts';
import { createAccount, deleteAccount, toAccount, updateAccount } from '../services/accounts.ts';
import {
  createApplication,
  deleteApplication,
  toApplication,
  updateApplication,
} from '../services/applications.ts';
import { type FieldCheck, withoutBlanks } from '../services/custom-fields.ts';
import { createKey, deleteKey, revokeKey, toKey, updateKey } from '../services/keys.ts';
import { createSubscription, toSubscription, updateSubscription } from '../services/subscriptions.ts';
import { applyCredentials } from './apply-credentials.ts';
import type { AccountEntry, ApplicationEntry, ConfigDocument } from './document.ts';
import { type ApplyRun, StepFailed, same } from './run.ts';

export async function applyAccounts(run: ApplyRun, entries: AccountEntry[]): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    const [current] = await run.db.select().from(accounts).where(eq(accounts.name, entry.name));
    // An omitted state keeps the current one: approvals and suspensions are not undone by a file.
    // So does an omitted tier: tiers are often set by people in the console; and so do omitted
    // custom fields: developers fill them in at sign-up.
    const desired = {
      email: entry.email ?? null,
      state: entry.state ?? current?.state ?? 'approved',
      tier: entry.tier ?? current?.tier ?? 'standard',
      customFields: entry.customFields ? withoutBlanks(entry.customFields) : (current?.customFields ?? {}),
    };
    const fields = fieldsAt(`accounts[${i}]`);
    let accountId: string;
    if (!current) {
      const created = run.step(
        `accounts[${i}]`,
        await createAccount(run.db, { name: entry.name, ...desired, email: entry.email }, fields),
      );
      accountId = created.id;
      run.record('create', 'account', entry.name, { id: accountId, after: created });
    } else {
      accountId = current.id;
      const { email, state, tier, customFields } = current;
      if (!same(desired, { email, state, tier, customFields })) {
        const updated = run.step(
          `accounts[${i}]`,
          await updateAccount(run.db, accountId, onlyGiven(desired, entry.customFields), fields),
        );
        run.record('update', 'account', entry.name, {
          id: accountId,
          before: toAccount(current),
          after: updated,
        });
      }
    }
    if (entry.applications)
      await applyApplications(run, `accounts[${i}]`, entry.name, accountId, entry.applications);
  }
}

async function applyApplications(
  run: ApplyRun,
  at: string,
  accountName: string,
  accountId: string,
  entries: ApplicationEntry[],
) {
  const current = await run.db.select().from(applications).where(eq(applications.accountId, accountId));
  const wanted = new Set(entries.map((a) => a.name));
  for (const app of current.filter((a) => !wanted.has(a.name))) {
    run.step(`${at}.applications`, await deleteApplication(run.db, app.id));
    run.record('delete', 'application', `${accountName}/${app.name}`, {
      id: app.id,
      before: toApplication(app),
    });
  }
  for (const [j, entry] of entries.entries()) {
    const path = `${at}.applications[${j}]`;
    const name = `${accountName}/${entry.name}`;
    const existing = current.find((a) => a.name === entry.name);
    const desired = {
      description: entry.description ?? '',
      state: entry.state ?? existing?.state ?? 'active',
      redirectUris: entry.redirectUris ?? [],
      // Like an account's: omitted, the values developers gave in the portal stay.
      customFields: entry.customFields ? withoutBlanks(entry.customFields) : (existing?.customFields ?? {}),
    };
    let applicationId: string;
    if (!existing) {
      const created = run.step(
        path,
        await createApplication(run.db, { accountId, name: entry.name, ...desired }, fieldsAt(path)),
      );
      applicationId = created.id;
      run.record('create', 'application', name, { id: applicationId, after: created });
    } else {
      applicationId = existing.id;
      const stored = {
        description: existing.description,
        state: existing.state,
        redirectUris: existing.redirectUris,
        customFields: existing.customFields,
      };
      if (!same(desired, stored)) {
        const updated = run.step(
          path,
          await updateApplication(
            run.db,
            applicationId,
            onlyGiven(desired, entry.customFields),
            fieldsAt(path),
          ),
        );
        run.record('update', 'application', name, {
          id: applicationId,
          before: toApplication(existing),
          after: updated,
        });
      }
    }
    if (entry.subscriptions) await applySubscriptions(run, path, name, applicationId, entry.subscriptions);
    if (entry.keys) await applyKeys(run, path, name, applicationId, entry.keys);
    if (entry.credentials) await applyCredentials(run, path, name, applicationId, entry.credentials);
  }
}

async function applySubscriptions(
  run: ApplyRun,
  at: string,
  appName: string,
  applicationId: string,
  entries: NonNullable<ApplicationEntry['subscriptions']>,
) {
  const current = await run.db
    .select({ ...getTableColumns(subscriptions), plan: plans.name, product: products.name })
    .from(subscriptions)
    .innerJoin(plans, eq(plans.id, subscriptions.planId))
    .innerJoin(products, eq(products.id, plans.productId))
    .where(eq(subscriptions.applicationId, applicationId));
  const planIds: string[] = [];
  for (const entry of entries) {
    const [plan] = await run.db
      .select({ id: plans.id })
      .from(plans)
      .innerJoin(products, eq(products.id, plans.productId))
      .where(and(eq(products.name, entry.product), eq(plans.name, entry.plan)));
    planIds.push(plan?.id ?? '');
  }
  // The file describes each plan's current subscription (see currentPerPlan); the rest is history.
  const newest = new Map(currentPerPlan(current).map((sub) => [sub.planId, sub]));
  // Open subscriptions to plans the list leaves out are cancelled, not deleted: their history
  // stays. Done first, so moving to another plan of the same product is not a second open one.
  for (const sub of current.filter((s) => !planIds.includes(s.planId) && isOpen(s.state))) {
    const cancelled = run.step(
      `${at}.subscriptions`,
      await updateSubscription(run.db, sub.id, { state: 'cancelled' }),
    );
    run.record('update', 'subscription', `${appName}@${sub.product}/${sub.plan}`, {
      id: sub.id,
      before: toSubscription(sub),
      after: cancelled,
    });
  }
  for (const [k, entry] of entries.entries()) {
    const path = `${at}.subscriptions[${k}]`;
    const planId = planIds[k] ?? '';
    const existing = newest.get(planId);
    const name = `${appName}@${entry.product}/${entry.plan}`;
    // A cancelled or rejected subscription is final: asking for an open one means a new one.
    if (!existing || (!isOpen(existing.state) && entry.state && isOpen(entry.state))) {
      const created = run.step(
        path,
        await createSubscription(run.db, { applicationId, planId, state: entry.state }),
      );
      run.record('create', 'subscription', name, { id: created.id, after: created });
    } else if (entry.state && entry.state !== existing.state) {
      const updated = run.step(path, await updateSubscription(run.db, existing.id, { state: entry.state }));
      run.record('update', 'subscription', name, {
        id: existing.id,
        before: toSubscription(existing),
        after: updated,
      });
    }
  }
}

/** Custom fields in a file are checked as the admin API checks them, named at their place in it. */
const fieldsAt = (at: string): FieldCheck => ({ at: `${at}.customFields`, required: false });

/** Values kept because the file omits them are not written again (nor checked against changed definitions). */
function onlyGiven<T extends { customFields: unknown }>(
  desired: T,
  given: unknown,
): Omit<T, 'customFields'> | T {
  if (given !== undefined) return desired;
  const { customFields: _kept, ...rest } = desired;
  return rest;
}

const isOpen = (state: string) => state === 'pending' || state === 'active' || state === 'suspended';

/**
 * An application's current subscription to each plan: the open one if there is one (at most
 * one per product can be), else the newest. Shared with export, so apply and export agree.
 */
export function currentPerPlan<T extends { id: string; planId: string; state: string }>(subs: T[]): T[] {
  const byPlan = new Map<string, T>();
  for (const sub of [...subs].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const held = byPlan.get(sub.planId);
    if (!held || !isOpen(held.state) || isOpen(sub.state)) byPlan.set(sub.planId, sub);
  }
  return [...byPlan.values()];
}

async function applyKeys(
  run: ApplyRun,
  at: string,
  appName: string,
  applicationId: string,
  entries: NonNullable<ApplicationEntry['keys']>,
) {
  const current = await run.db.select().from(apiKeys).where(eq(apiKeys.applicationId, applicationId));
  const hashes = entries.map((k) => k.hash ?? hashSecret(k.key ?? ''));
  for (const key of current.filter((k) => !hashes.includes(k.hash))) {
    run.step(`${at}.keys`, await deleteKey(run.db, applicationId, key.id));
    run.record('delete', 'key', `${appName}/${key.prefix ?? key.id}`, { id: key.id, before: toKey(key) });
  }
  for (const [k, entry] of entries.entries()) {
    const path = `${at}.keys[${k}]`;
    const existing = current.find((c) => c.hash === hashes[k]);
    const label = entry.label ?? '';
    const expiresAt = entry.expiresAt ? new Date(entry.expiresAt).toISOString() : null;
    const shown = `${appName}/${entry.key ? keyPrefix(entry.key) : (entry.prefix ?? hashes[k]?.slice(0, 12))}`;
    const { revoked, ...fields } = entry;
    if (existing?.revokedAt && !revoked)
      throw new StepFailed(
        `${path}.revoked`,
        'the key is revoked and cannot be reinstated; mark it revoked: true or remove it',
      );
    if (!existing) {
      // The plaintext goes no further than this line; the audit trail would drop it anyway.
      const { key: _plaintext, ...created } = run.step(
        path,
        await createKey(run.db, applicationId, { ...fields, label }),
      );
      let after: Key = created;
      if (!entry.key && entry.prefix) {
        await run.db.update(apiKeys).set({ prefix: entry.prefix }).where(eq(apiKeys.id, created.id));
        after = { ...after, prefix: entry.prefix };
      }
      // A key listed as revoked from the start is one change, a create: `after` is it revoked.
      if (revoked) after = run.step(path, await revokeKey(run.db, applicationId, created.id));
      run.record('create', 'key', shown, { id: created.id, after });
    } else if (revoked && !existing.revokedAt) {
      const after = run.step(path, await revokeKey(run.db, applicationId, existing.id));
      run.record('revoke', 'key', shown, { id: existing.id, before: toKey(existing), after });
    } else if (
      !existing.revokedAt &&
      !same(
        { label, expiresAt },
        { label: existing.label, expiresAt: existing.expiresAt?.toISOString() ?? null },
      )
    ) {
      const after = run.step(path, await updateKey(run.db, applicationId, existing.id, { label, expiresAt }));
      run.record('update', 'key', shown, { id: existing.id, before: toKey(existing), after });
    }
  }
}

export async function pruneAccounts(run: ApplyRun, doc: ConfigDocument): Promise<void> {
  const keep = new Set((doc.accounts ?? []).map((a) => a.name));
  for (const account of await run.db.select().from(accounts)) {
    if (keep.has(account.name)) continue;
    run.step('accounts', await deleteAccount(run.db, account.id));
    run.record('delete', 'account', account.name, { id: account.id, before: toAccount(account) });
  }
}
