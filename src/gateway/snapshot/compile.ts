// Validates a snapshot and compiles it into what the hot path reads: a router whose entries carry
// everything a request needs (API, route, policy chain, balancer), and the credential indexes.
// Any problem refuses the snapshot whole; nothing here runs per request.
import type { z } from 'zod';
import type { ApiInfo, RouteInfo } from '../../policies/context.ts';
import type { UsageRecorder } from '../../policies/counters.ts';
import { policyNamed } from '../../policies/index.ts';
import type { RequestLogSink } from '../../policies/request-log-entry.ts';
import { type FieldError, fail, formatPath, ok, type Result } from '../../shared/errors.ts';
import { validateBasePath } from '../../shared/path-pattern.ts';
import type { CounterStore } from '../limits/store.ts';
import { type CompiledPipeline, PipelineBuilder } from '../pipeline/chain.ts';
import { placeRoutes } from '../router/placement.ts';
import { normalizePercentEncoding } from '../router/request-target.ts';
import { Router } from '../router/router.ts';
import { compileUpstreams } from '../upstream/compile.ts';
import type { UpstreamPools } from '../upstream/pools.ts';
import type { Upstream } from '../upstream/upstream.ts';
import { CredentialIndex } from './credentials.ts';
import type { SnapshotDelta } from './delta.ts';
import { snapshotDeltaSchema, snapshotSchema } from './schema.ts';
import type { Snapshot, SnapshotApi, SnapshotPolicy } from './types.ts';

export interface CompiledRoute {
  readonly api: ApiInfo;
  readonly route: RouteInfo;
  readonly pipeline: CompiledPipeline;
  readonly upstream: Upstream;
  /** Characters of the request path to drop before going upstream (the base path, when stripped). */
  readonly stripLength: number;
  /** Largest request body the API accepts (413 above), or null for no limit. */
  readonly maxBodyBytes: number | null;
}

export interface CompiledSnapshot {
  readonly version: number;
  readonly router: Router<CompiledRoute>;
  readonly credentials: CredentialIndex;
  /** Ids of the APIs, which grants in later credential changes must name. */
  readonly apiIds: ReadonlySet<string>;
  /**
   * Origins of every target; the set is an UpstreamUsage, so `UpstreamPools.retainOnly` also
   * knows which pools, health records and retry budgets to keep.
   */
  readonly origins: ReadonlySet<string>;
}

/** Checks the shape of a snapshot from outside the process (a file, the network). */
export function validateSnapshot(input: unknown): Result<Snapshot> {
  return validateShape(snapshotSchema, input, 'The snapshot does not have the expected shape.');
}

/** Checks the shape of a delta from outside the process; references are checked on loading. */
export function validateDelta(input: unknown): Result<SnapshotDelta> {
  return validateShape(snapshotDeltaSchema, input, 'The changes do not have the expected shape.');
}

function validateShape<T>(schema: z.ZodType<T>, input: unknown, detail: string): Result<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const errors = parsed.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  return fail('snapshot-invalid', detail, errors);
}

/** Where policies count, meter and log: the same across snapshots. */
interface Sinks {
  counters?: CounterStore;
  meter?: UsageRecorder;
  requestLog?: RequestLogSink;
}

/**
 * `pools` supplies (and creates) the pool of each target origin; the caller reconciles them.
 * A `trusted` snapshot comes from this process's builder or from a primary that validated it,
 * so its shape is not checked again (that check is the slowest part with many keys).
 */
export function compileSnapshot(
  input: unknown,
  pools: UpstreamPools,
  options: { trusted?: boolean } & Sinks = {},
): Result<CompiledSnapshot> {
  let snapshot: Snapshot;
  if (options.trusted) snapshot = input as Snapshot;
  else {
    const validated = validateSnapshot(input);
    if (!validated.ok) return validated;
    snapshot = validated.value;
  }
  const errors: FieldError[] = [];
  const { upstreams, usage } = compileUpstreams(snapshot.upstreams, pools, errors);
  const apiIds = new Set(snapshot.apis.map((a) => a.id));
  const credentials = CredentialIndex.compile(snapshot, apiIds, errors);
  const router = compileRouter(snapshot, upstreams, errors, options);
  if (errors.length > 0)
    return fail('snapshot-invalid', `The snapshot has ${errors.length} problem(s).`, errors);
  return ok({ version: snapshot.version, router, credentials, apiIds, origins: usage });
}

function compileRouter(
  snapshot: Snapshot,
  upstreams: ReadonlyMap<string, Upstream>,
  errors: FieldError[],
  { counters, meter, requestLog }: Sinks,
): Router<CompiledRoute> {
  const { apis } = snapshot;
  const policies = snapshot.policies ?? [];
  const router = new Router<CompiledRoute>();
  checkPolicies(policies, apis, errors);
  const pipelines = new PipelineBuilder(errors.length === 0 ? policies : [], {
    authorizationServer: snapshot.authorizationServer,
    plans: new Map((snapshot.plans ?? []).map((plan) => [plan.id, plan])),
    counters,
    meter,
    requestLog,
  });
  const seenApis = new Set<string>();
  const seenRoutes = new Set<string>();
  const usable: SnapshotApi[] = [];
  for (const [i, api] of apis.entries()) {
    const at = `apis[${i}]`;
    if (seenApis.has(api.id)) errors.push({ path: `${at}.id`, message: `duplicate API id ${api.id}` });
    seenApis.add(api.id);
    for (const [j, route] of api.routes.entries()) {
      if (seenRoutes.has(route.id))
        errors.push({ path: `${at}.routes[${j}].id`, message: `duplicate route id ${route.id}` });
      seenRoutes.add(route.id);
    }
    const baseProblem = validateBasePath(api.basePath);
    if (baseProblem !== undefined) errors.push({ path: `${at}.basePath`, message: baseProblem });
    if (!upstreams.has(api.upstreamId))
      errors.push({ path: `${at}.upstreamId`, message: `no upstream with id ${api.upstreamId}` });
    // Unusable APIs are left out but keep their place, so error paths still match the input.
    usable.push(baseProblem === undefined && upstreams.has(api.upstreamId) ? api : { ...api, routes: [] });
  }
  const compiled = new Map<string, Omit<CompiledRoute, 'route' | 'pipeline'>>();
  for (const placement of placeRoutes(usable, errors)) {
    const { api, route } = placement;
    let shared = compiled.get(api.id);
    if (shared === undefined) {
      const upstream = upstreams.get(api.upstreamId);
      if (upstream === undefined) continue; // unusable APIs have no routes left; this cannot happen
      shared = {
        api: { id: api.id, name: api.name, basePath: api.basePath },
        upstream,
        // The router matches normalized paths, so the length to strip is the normalized one.
        stripLength: api.stripBasePath && api.basePath !== '/' ? normalizedLength(api.basePath) : 0,
        maxBodyBytes: api.maxBodyBytes,
      };
      compiled.set(api.id, shared);
    }
    const value: CompiledRoute = {
      ...shared,
      route: {
        id: route.id,
        name: route.name,
        metric: route.metric,
        metrics: metricChain(api, route.metric),
        delta: route.delta ?? 1,
      },
      pipeline: pipelines.forRoute(api, route),
    };
    const clash = router.add(placement.hosts, placement.segments, placement.methods, value);
    if (clash !== undefined) {
      const other = `route ${clash.other.route.name} of API ${clash.other.api.name}`;
      errors.push({ path: `${placement.at}.path`, message: `${clash.reason} (${other})` });
    }
  }
  return router;
}

/** Every policy must be known, fit its schema and name an API and route that exist. */
function checkPolicies(
  policies: readonly SnapshotPolicy[],
  apis: readonly SnapshotApi[],
  errors: FieldError[],
): void {
  const apiOfRoute = new Map<string, string>();
  for (const api of apis) for (const route of api.routes) apiOfRoute.set(route.id, api.id);
  const apiIds = new Set(apis.map((a) => a.id));
  const seen = new Set<string>();
  for (const [i, policy] of policies.entries()) {
    const at = `policies[${i}]`;
    if (seen.has(policy.id)) errors.push({ path: `${at}.id`, message: `duplicate policy id ${policy.id}` });
    seen.add(policy.id);
    const definition = policyNamed(policy.name);
    // A switched-off entry runs nothing: its name and config need not make sense to this gateway
    // (a newer control plane's policy, a config an upgrade tightened).
    if (definition === undefined && policy.enabled) {
      errors.push({ path: `${at}.name`, message: `no policy named ${policy.name}` });
      continue;
    }
    const parsed =
      definition === undefined || !policy.enabled ? undefined : definition.schema.safeParse(policy.config);
    if (parsed !== undefined && !parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.push({ path: `${at}.${formatPath(['config', ...issue.path])}`, message: issue.message });
      }
    }
    if (policy.apiId !== null && !apiIds.has(policy.apiId))
      errors.push({ path: `${at}.apiId`, message: `no API with id ${policy.apiId}` });
    if (policy.routeId !== null) {
      const owner = apiOfRoute.get(policy.routeId);
      if (owner === undefined)
        errors.push({ path: `${at}.routeId`, message: `no route with id ${policy.routeId}` });
      else if (policy.apiId !== null && owner !== policy.apiId)
        errors.push({
          path: `${at}.routeId`,
          message: `route ${policy.routeId} is not a route of ${policy.apiId}`,
        });
    }
  }
}

function normalizedLength(basePath: string): number {
  return (normalizePercentEncoding(basePath) ?? basePath).length;
}

/** Longest parent chain followed; the control plane refuses deeper ones and cycles. */
const maxMetricDepth = 8;

/** The metric, then its parent, and so on up to `hits` (every metric's parent unless declared). */
function metricChain(api: SnapshotApi, metric: string): string[] {
  const parents = new Map((api.metrics ?? []).map((m) => [m.name, m.parent]));
  const chain = [metric];
  let current = metric;
  while (current !== 'hits' && chain.length < maxMetricDepth) {
    current = parents.get(current) ?? 'hits';
    if (chain.includes(current)) break;
    chain.push(current);
  }
  return chain;
}
