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

/** Two routes the router could not tell apart; `path` is the second one's place in the input. */
export interface RouteConflict extends FieldError {
  api: string;
  route: string;
  otherApi: string;
  otherRoute: string;
}

/** Every pair of routes the router could not tell apart (and routes it could not place at all). */
export function routeConflicts(apis: readonly PlaceableApi[]): RouteConflict[] {
  const unplaceable: FieldError[] = [];
  const conflicts: RouteConflict[] = [];
  const router = new Router<Placement>();
  for (const placement of placeRoutes(apis, unplaceable)) {
    const clash = router.add(placement.hosts, placement.segments, placement.methods, placement);
    if (clash === undefined) continue;
    const names = {
      api: placement.api.name,
      route: placement.route.name,
      otherApi: clash.other.api.name,
      otherRoute: clash.other.route.name,
    };
    const how = clash.reason.replace('another route already matches this path ', '');
    const message = `route ${names.route} of API ${names.api} and route ${names.otherRoute} of API ${names.otherApi} match the same requests (${how})`;
    conflicts.push({ path: placement.at, message, ...names });
  }
  const named = (e: FieldError) => ({ ...e, api: '', route: '', otherApi: '', otherRoute: '' });
  return [...unplaceable.map(named), ...conflicts];
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
