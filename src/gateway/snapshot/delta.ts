// Changes between two snapshots, by id (keys by hash): what the control plane sends after the
// first full snapshot, so a change to one key does not ship a hundred thousand. Pure functions,
// shared by the control plane (diff) and the gateways (apply).
import type {
  Snapshot,
  SnapshotApi,
  SnapshotApplication,
  SnapshotAuthorizationServer,
  SnapshotCredential,
  SnapshotKey,
  SnapshotPlan,
  SnapshotPolicy,
  SnapshotUpstream,
} from './types.ts';

export interface Changes<T> {
  /** Added or changed, whole. */
  put: T[];
  /** Ids (hashes for keys) of what is gone. */
  remove: string[];
}

export interface SnapshotDelta {
  kind: 'delta';
  from: number;
  to: number;
  createdAt: string;
  upstreams: Changes<SnapshotUpstream>;
  apis: Changes<SnapshotApi>;
  applications: Changes<SnapshotApplication>;
  keys: Changes<SnapshotKey>;
  /** Absent from a control plane that predates configurable policies. */
  policies?: Changes<SnapshotPolicy>;
  /** Absent from a control plane that predates basic and mTLS credentials. */
  credentials?: Changes<SnapshotCredential>;
  /** Present only when it changed: the new one, or null when there is none any more. */
  authorizationServer?: SnapshotAuthorizationServer | null;
  /** Absent from a control plane that predates plan limits. */
  plans?: Changes<SnapshotPlan>;
}

const noChanges: Changes<never> = { put: [], remove: [] };
const byId = (x: { id: string }) => x.id;
const byHash = (k: SnapshotKey) => k.hash;

export function diffSnapshots(from: Snapshot, to: Snapshot): SnapshotDelta {
  return {
    kind: 'delta',
    from: from.version,
    to: to.version,
    createdAt: to.createdAt,
    upstreams: diff(from.upstreams, to.upstreams, byId),
    apis: diff(from.apis, to.apis, byId),
    applications: diff(from.applications, to.applications, byId),
    keys: diff(from.keys, to.keys, byHash),
    policies: diff(from.policies ?? [], to.policies ?? [], byId),
    credentials: diff(from.credentials ?? [], to.credentials ?? [], byId),
    plans: diff(from.plans ?? [], to.plans ?? [], byId),
    ...(!sameJson(from.authorizationServer, to.authorizationServer) && {
      authorizationServer: to.authorizationServer ?? null,
    }),
  };
}

/** The snapshot `delta` leads to from `base`; the caller checks `delta.from === base.version`. */
export function applyDelta(base: Snapshot, delta: SnapshotDelta): Snapshot {
  const authorizationServer =
    delta.authorizationServer === undefined
      ? base.authorizationServer
      : (delta.authorizationServer ?? undefined);
  return {
    ...(authorizationServer && { authorizationServer }),
    version: delta.to,
    createdAt: delta.createdAt,
    upstreams: apply(base.upstreams, delta.upstreams, byId),
    apis: apply(base.apis, delta.apis, byId),
    applications: apply(base.applications, delta.applications, byId),
    keys: apply(base.keys, delta.keys, byHash),
    policies: apply(base.policies ?? [], delta.policies ?? noChanges, byId),
    credentials: apply(base.credentials ?? [], delta.credentials ?? noChanges, byId),
    // Absent stays absent (a control plane from before plan limits), as the snapshot came.
    ...((base.plans !== undefined || (delta.plans?.put.length ?? 0) > 0) && {
      plans: apply(base.plans ?? [], delta.plans ?? noChanges, byId),
    }),
  };
}

/** One delta with the effect of applying `deltas` in order (each following the previous). */
export function composeDeltas(deltas: SnapshotDelta[]): SnapshotDelta {
  const first = deltas[0];
  const last = deltas.at(-1);
  if (first === undefined || last === undefined) throw new Error('nothing to compose');
  const changedServer = deltas.findLast((d) => d.authorizationServer !== undefined);
  return {
    ...(changedServer && { authorizationServer: changedServer.authorizationServer ?? null }),
    kind: 'delta',
    from: first.from,
    to: last.to,
    createdAt: last.createdAt,
    upstreams: compose(
      deltas.map((d) => d.upstreams),
      byId,
    ),
    apis: compose(
      deltas.map((d) => d.apis),
      byId,
    ),
    applications: compose(
      deltas.map((d) => d.applications),
      byId,
    ),
    keys: compose(
      deltas.map((d) => d.keys),
      byHash,
    ),
    policies: compose(
      deltas.map((d) => d.policies ?? noChanges),
      byId,
    ),
    credentials: compose(
      deltas.map((d) => d.credentials ?? noChanges),
      byId,
    ),
    plans: compose(
      deltas.map((d) => d.plans ?? noChanges),
      byId,
    ),
  };
}

function compose<T>(steps: Changes<T>[], id: (x: T) => string): Changes<T> {
  const put = new Map<string, T>();
  const remove = new Set<string>();
  for (const step of steps) {
    for (const gone of step.remove) {
      put.delete(gone);
      remove.add(gone);
    }
    for (const item of step.put) {
      put.set(id(item), item);
      remove.delete(id(item));
    }
  }
  return { put: [...put.values()], remove: [...remove] };
}

/** True when the delta changes nothing the router or the upstreams are built from. */
export function onlyCredentialsChange(delta: SnapshotDelta): boolean {
  return (
    isEmpty(delta.upstreams) &&
    isEmpty(delta.apis) &&
    isEmpty(delta.policies ?? noChanges) &&
    isEmpty(delta.plans ?? noChanges) &&
    delta.authorizationServer === undefined
  );
}

export function deltaSize(delta: SnapshotDelta): number {
  return [
    delta.upstreams,
    delta.apis,
    delta.applications,
    delta.keys,
    delta.policies ?? noChanges,
    delta.credentials ?? noChanges,
    delta.plans ?? noChanges,
  ].reduce((n, c) => n + c.put.length + c.remove.length, 0);
}

function isEmpty<T>(changes: Changes<T>): boolean {
  return changes.put.length === 0 && changes.remove.length === 0;
}

function diff<T>(before: T[], after: T[], id: (x: T) => string): Changes<T> {
  const old = new Map(before.map((x) => [id(x), x]));
  const put: T[] = [];
  for (const item of after) {
    const previous = old.get(id(item));
    old.delete(id(item));
    if (previous === undefined || !sameJson(previous, item)) put.push(item);
  }
  return { put, remove: [...old.keys()] };
}

function apply<T>(base: T[], changes: Changes<T>, id: (x: T) => string): T[] {
  if (isEmpty(changes)) return base;
  const items = new Map(base.map((x) => [id(x), x]));
  for (const gone of changes.remove) items.delete(gone);
  for (const item of changes.put) items.set(id(item), item);
  return [...items.values()];
}

// Snapshots are built the same way every time, so key order is stable and JSON compares them.
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
