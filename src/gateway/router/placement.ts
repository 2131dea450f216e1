// Where each route of a set of APIs sits in the router: its hosts, its normalized full pattern
// and its methods. Shared by the snapshot compiler and by the control plane, which runs
// routeConflicts() before it commits a change, so it never hands gateways a snapshot they refuse.
import type { FieldError } from '../../shared/errors.ts';
import { joinPattern, parsePathPattern, type Segment } from '../../shared/path-pattern.ts';
import type { SnapshotApi, SnapshotRoute } from '../snapshot/types.ts';
import { normalizePercentEncoding } from './request-target.ts';
import { Router } from './router.ts';

type PlaceableApi = Pick<SnapshotApi, 'id' | 'name' | 'basePath' | 'hosts' | 'routes'>;

export interface Placement<A extends PlaceableApi = PlaceableApi> {
  /** Document path of the route, such as `apis[0].routes[1]`. */
  at: string;
  api: A;
  route: SnapshotRoute;
  hosts: string[];
  segments: Segment[];
  methods: string[];
}

/** Yields each placeable route; routes whose pattern cannot be placed are reported in `errors`. */
export function* placeRoutes<A extends PlaceableApi>(
  apis: readonly A[],
  errors: FieldError[],
): Generator<Placement<A>> {
  for (const [i, api] of apis.entries()) {
    const hosts = [...new Set(api.hosts.map((h) => (h.endsWith('.') ? h.slice(0, -1) : h).toLowerCase()))];
    for (const [j, route] of api.routes.entries()) {
      const at = `apis[${i}].routes[${j}]`;
      const pattern = parsePathPattern(route.path);
      if (!pattern.ok) {
        errors.push({ path: `${at}.path`, message: pattern.message });
        continue;
      }
      const joined = parsePathPattern(joinPattern(api.basePath, route.path));
      const segments = joined.ok ? normalizeSegments(joined.segments) : undefined;
      if (segments === undefined) {
        errors.push({ path: `${at}.path`, message: 'has a malformed percent-encoding' });
        continue;
      }
      yield { at, api, route, hosts, segments, methods: [...new Set(route.methods)] };
    }
  }
}

/** Pairs of routes the router could not tell apart, named as `API name route name`. */
export function routeConflicts(apis: readonly PlaceableApi[]): FieldError[] {
  const errors: FieldError[] = [];
  const router = new Router<Placement>();
  for (const placement of placeRoutes(apis, errors)) {
    const conflict = router.add(placement.hosts, placement.segments, placement.methods, placement);
    if (conflict !== undefined) {
      errors.push({
        path: placement.at,
        message: `API ${placement.api.name} route ${placement.route.name}: ${conflict}`,
      });
    }
  }
  return errors;
}

/** Route literals are matched in the same normalized form as request paths. */
function normalizeSegments(segments: Segment[]): Segment[] | undefined {
  const out: Segment[] = [];
  for (const segment of segments) {
    if (segment.kind !== 'literal' || !segment.value.includes('%')) {
      out.push(segment);
      continue;
    }
    const value = normalizePercentEncoding(segment.value);
    if (value === undefined) return undefined;
    out.push({ kind: 'literal', value });
  }
  return out;
}
