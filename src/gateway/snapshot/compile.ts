// Validates a snapshot and compiles it into what the hot path reads: a router whose entries carry
// everything a request needs (API, route, policy chain, balancer), and the credential indexes.
// Any problem refuses the snapshot whole; nothing here runs per request.
import type { ApiInfo, RouteInfo } from '../../policies/context.ts';
import { type FieldError, fail, formatPath, ok, type Result } from '../../shared/errors.ts';
import { validateBasePath } from '../../shared/path-pattern.ts';
import { parseTargetUrl } from '../../shared/target-url.ts';
import { type CompiledPipeline, PipelineBuilder } from '../pipeline/chain.ts';
import { placeRoutes } from '../router/placement.ts';
import { normalizePercentEncoding } from '../router/request-target.ts';
import { Router } from '../router/router.ts';
import { Balancer, type Target } from '../upstream/balancer.ts';
import type { UpstreamPools } from '../upstream/pools.ts';
import { CredentialIndex } from './credentials.ts';
import { snapshotSchema } from './schema.ts';
import type { Snapshot, SnapshotApi } from './types.ts';

export interface CompiledRoute {
  readonly api: ApiInfo;
  readonly route: RouteInfo;
  readonly pipeline: CompiledPipeline;
  readonly upstream: Balancer;
  /** Characters of the request path to drop before going upstream (the base path, when stripped). */
  readonly stripLength: number;
}

export interface CompiledSnapshot {
  readonly version: number;
  readonly router: Router<CompiledRoute>;
  readonly credentials: CredentialIndex;
  /** Origins of every target, so pools no longer used can be closed. */
  readonly origins: ReadonlySet<string>;
}

/** `pools` supplies (and creates) the pool of each target origin; the caller reconciles them. */
export function compileSnapshot(input: unknown, pools: UpstreamPools): Result<CompiledSnapshot> {
  const parsed = snapshotSchema.safeParse(input);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      message: issue.message,
    }));
    return fail('snapshot-invalid', 'The snapshot does not have the expected shape.', errors);
  }
  const snapshot = parsed.data;
  const errors: FieldError[] = [];
  const upstreams = compileUpstreams(snapshot, pools, errors);
  const credentials = CredentialIndex.compile(snapshot, new Set(snapshot.apis.map((a) => a.id)), errors);
  const router = compileRouter(snapshot.apis, upstreams, errors);
  if (errors.length > 0)
    return fail('snapshot-invalid', `The snapshot has ${errors.length} problem(s).`, errors);
  const origins = new Set<string>();
  for (const balancer of upstreams.values())
    for (const target of balancer.targets) origins.add(target.origin);
  return ok({ version: snapshot.version, router, credentials, origins });
}

function compileUpstreams(
  snapshot: Snapshot,
  pools: UpstreamPools,
  errors: FieldError[],
): Map<string, Balancer> {
  const balancers = new Map<string, Balancer>();
  for (const [i, upstream] of snapshot.upstreams.entries()) {
    const at = `upstreams[${i}]`;
    if (balancers.has(upstream.id))
      errors.push({ path: `${at}.id`, message: `duplicate upstream id ${upstream.id}` });
    const targets: Target[] = [];
    for (const [j, target] of upstream.targets.entries()) {
      const parts = parseTargetUrl(target.url);
      if (typeof parts === 'string') errors.push({ path: `${at}.targets[${j}].url`, message: parts });
      else if (target.weight > 0)
        targets.push({ ...parts, weight: target.weight, pool: pools.get(parts.origin) });
    }
    if (targets.length === 0) {
      errors.push({
        path: `${at}.targets`,
        message: 'needs at least one valid target with a positive weight',
      });
      continue;
    }
    balancers.set(upstream.id, new Balancer(targets));
  }
  return balancers;
}

function compileRouter(
  apis: readonly SnapshotApi[],
  upstreams: ReadonlyMap<string, Balancer>,
  errors: FieldError[],
): Router<CompiledRoute> {
  const router = new Router<CompiledRoute>();
  const pipelines = new PipelineBuilder();
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
  const compiled = new Map<
    string,
    { api: ApiInfo; pipeline: CompiledPipeline; upstream: Balancer; stripLength: number }
  >();
  for (const placement of placeRoutes(usable, errors)) {
    const { api } = placement;
    let shared = compiled.get(api.id);
    if (shared === undefined) {
      const upstream = upstreams.get(api.upstreamId);
      if (upstream === undefined) continue; // unusable APIs have no routes left; this cannot happen
      shared = {
        api: { id: api.id, name: api.name, basePath: api.basePath },
        pipeline: pipelines.forApi(api),
        upstream,
        // The router matches normalized paths, so the length to strip is the normalized one.
        stripLength: api.stripBasePath && api.basePath !== '/' ? normalizedLength(api.basePath) : 0,
      };
      compiled.set(api.id, shared);
    }
    const { route } = placement;
    const value: CompiledRoute = {
      ...shared,
      route: { id: route.id, name: route.name, metric: route.metric },
    };
    const clash = router.add(placement.hosts, placement.segments, placement.methods, value);
    if (clash !== undefined) {
      const other = `route ${clash.other.route.name} of API ${clash.other.api.name}`;
      errors.push({ path: `${placement.at}.path`, message: `${clash.reason} (${other})` });
    }
  }
  return router;
}

function normalizedLength(basePath: string): number {
  return (normalizePercentEncoding(basePath) ?? basePath).length;
}
