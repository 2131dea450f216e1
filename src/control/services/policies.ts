// Configured policies: a config is checked against its policy's own schema (the one the gateway
// parses it with) before it is saved, so a gateway never refuses a snapshot for a bad config.
// One policy of a name per scope; a route-level policy records its route's API too.
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { policyNamed } from '../../policies/index.ts';
import { type FieldError, fail, formatPath, ok, type Result } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { apis, policies, routes } from '../../store/schema/index.ts';
import type { Policy, PolicyCreate, PolicyUpdate } from '../model/policy.ts';
import type { Db, Page, PageRequest } from './context.ts';
import { findById } from './lookup.ts';
import { listPage } from './pagination.ts';
import { only } from './rows.ts';

type Row = typeof policies.$inferSelect;

export interface PolicyFilter {
  name?: string | undefined;
  apiId?: string | undefined;
  routeId?: string | undefined;
  scope?: Policy['scope'] | undefined;
}

export function toPolicy(row: Row): Policy {
  return {
    id: row.id,
    name: row.name,
    scope: row.routeId !== null ? 'route' : row.apiId !== null ? 'api' : 'global',
    apiId: row.apiId,
    routeId: row.routeId,
    enabled: row.enabled,
    config: row.config,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function listPolicies(db: Db, filter: PolicyFilter, page: PageRequest): Promise<Page<Policy>> {
  const scope = {
    global: and(isNull(policies.apiId), isNull(policies.routeId)),
    api: and(isNull(policies.routeId), isNotNull(policies.apiId)),
    route: isNotNull(policies.routeId),
  };
  return listPage(
    db,
    policies,
    [
      filter.name ? eq(policies.name, filter.name) : undefined,
      filter.apiId ? eq(policies.apiId, filter.apiId) : undefined,
      filter.routeId ? eq(policies.routeId, filter.routeId) : undefined,
      filter.scope ? scope[filter.scope] : undefined,
    ],
    page,
    toPolicy,
  );
}

export async function getPolicy(db: Db, id: string): Promise<Result<Policy>> {
  const row = await findById(db, policies, id);
  return row ? ok(toPolicy(row)) : fail('not-found', `no policy ${id}`);
}

/** `at` prefixes error paths: `body` for the admin API, `apis[0].policies[1]` for a file. */
export async function createPolicy(db: Db, input: PolicyCreate, at = 'body'): Promise<Result<Policy>> {
  const scope = await resolveScope(db, input, at);
  if (!scope.ok) return scope;
  const config = input.config ?? {};
  const problem = checkConfig(input.name, config, at);
  if (problem) return problem;
  const { apiId, routeId } = scope.value;
  const [taken] = await db
    .select({ id: policies.id })
    .from(policies)
    .where(
      and(
        eq(policies.name, input.name),
        apiId === null ? isNull(policies.apiId) : eq(policies.apiId, apiId),
        routeId === null ? isNull(policies.routeId) : eq(policies.routeId, routeId),
      ),
    );
  if (taken) return fail('conflict', `a ${input.name} policy is already configured here (${taken.id})`);
  const row = only(
    await db
      .insert(policies)
      .values({
        id: newId('policy'),
        name: input.name,
        apiId,
        routeId,
        enabled: input.enabled ?? true,
        config,
      })
      .returning(),
  );
  return ok(toPolicy(row));
}

export async function updatePolicy(
  db: Db,
  id: string,
  patch: PolicyUpdate,
  at = 'body',
): Promise<Result<Policy>> {
  const current = await findById(db, policies, id);
  if (!current) return fail('not-found', `no policy ${id}`);
  if (patch.config !== undefined) {
    const problem = checkConfig(current.name, patch.config, at);
    if (problem) return problem;
  }
  const row = only(
    await db
      .update(policies)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(policies.id, current.id))
      .returning(),
  );
  return ok(toPolicy(row));
}

export async function deletePolicy(db: Db, id: string): Promise<Result<void>> {
  const current = await findById(db, policies, id);
  if (!current) return fail('not-found', `no policy ${id}`);
  await db.delete(policies).where(eq(policies.id, id));
  return ok(undefined);
}

async function resolveScope(
  db: Db,
  input: { apiId?: string | undefined; routeId?: string | undefined },
  at: string,
): Promise<Result<{ apiId: string | null; routeId: string | null }>> {
  if (input.routeId !== undefined) {
    const route = await findById(db, routes, input.routeId);
    if (!route) return fail('reference-not-found', `no route ${input.routeId}`);
    if (input.apiId !== undefined && input.apiId !== route.apiId) {
      return fail('validation-failed', `${at}.routeId: route ${route.id} belongs to another API`, [
        { path: `${at}.routeId`, message: `is a route of ${route.apiId}, not of ${input.apiId}` },
      ]);
    }
    return ok({ apiId: route.apiId, routeId: route.id });
  }
  if (input.apiId !== undefined) {
    const api = await findById(db, apis, input.apiId);
    if (!api) return fail('reference-not-found', `no API ${input.apiId}`);
    return ok({ apiId: api.id, routeId: null });
  }
  return ok({ apiId: null, routeId: null });
}

/** Checks a config with the policy's own schema; the errors name each bad field. */
export function checkConfig(name: string, config: unknown, at: string): Result<never> | undefined {
  const definition = policyNamed(name);
  if (definition === undefined) return fail('validation-failed', `no policy named ${name}`);
  const parsed = definition.schema.safeParse(config);
  if (parsed.success) return undefined;
  const errors: FieldError[] = parsed.error.issues.map((issue) => ({
    path: `${at}.${formatPath(['config', ...issue.path])}`,
    message: issue.message,
  }));
  const detail = errors.map((e) => `${e.path}: ${e.message}`).join('; ');
  return fail('validation-failed', detail, errors);
}
