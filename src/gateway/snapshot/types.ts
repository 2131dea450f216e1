import type { UpstreamSettings } from '../../shared/upstream-settings.ts';
import type { Period } from '../limits/store.ts';

// The snapshot: everything a gateway needs, as plain JSON. It is the only thing that crosses
// from the control plane to the data plane (in process, over IPC or over HTTP), so it holds
// ids and hashes, and the gateway never reads the database. One exception: HMAC secrets, which
// the gateway needs to compute a signature (ADR 0008); everything else secret is a hash.

export interface Snapshot {
  /** The configuration revision this snapshot was built from; increases with every change. */
  version: number;
  createdAt: string;
  upstreams: SnapshotUpstream[];
  apis: SnapshotApi[];
  applications: SnapshotApplication[];
  keys: SnapshotKey[];
  /**
   * Configured policies at every scope; the gateway resolves each route's chain from them.
   * Absent in snapshots from before policies were configurable (none then).
   */
  policies?: SnapshotPolicy[];
  /** HTTP Basic and mutual-TLS credentials; absent in snapshots from before them. */
  credentials?: SnapshotCredential[];
  /** Turnpike's own authorization server, whose access tokens the oauth policy checks. */
  authorizationServer?: SnapshotAuthorizationServer;
  /** Plans with limits or disabled metrics (others need no entry); absent before plan limits. */
  plans?: SnapshotPlan[];
}

export interface SnapshotPlan {
  id: string;
  limits: SnapshotLimit[];
  /** Metrics the plan does not allow at all (403); a disabled parent disables its children. */
  disabledMetrics: string[];
}

export interface SnapshotLimit {
  metric: string;
  period: Period;
  max: number;
  /** Counted per subscription (the default) or per end user within it (a token's `sub`). */
  per: 'subscription' | 'end-user';
}

export interface SnapshotCredential {
  id: string;
  kind: 'basic' | 'mtls' | 'hmac';
  /** The username (basic, hmac) or the certificate's SHA-256 fingerprint in lower-case hex (mtls). */
  identifier: string;
  applicationId: string;
  /** SHA-256 (hex) of the password for basic; null for mtls. */
  hash: string | null;
  /** The signing secret (hmac only). */
  secret?: string;
  expiresAt: string | null;
}

export interface SnapshotAuthorizationServer {
  issuer: string;
  /** The `aud` its access tokens carry. */
  audience: string;
  /** Public JWKs: the signing key, the next one and recently retired ones. */
  keys: Record<string, unknown>[];
  /** Grants revoked while tokens issued under them may be unexpired; such tokens are refused. */
  revokedGrants?: string[];
}

/**
 * A configured policy: global when neither `apiId` nor `routeId` is set. A more specific one
 * replaces a less specific one of the same name; a disabled one switches it off there.
 */
export interface SnapshotPolicy {
  id: string;
  /** The policy's name, e.g. `jwt`, `cors`. */
  name: string;
  apiId: string | null;
  routeId: string | null;
  enabled: boolean;
  /** As the operator wrote it; the gateway parses it with the policy's schema (defaults apply). */
  config: Record<string, unknown>;
}

export interface SnapshotUpstream extends UpstreamSettings {
  id: string;
  name: string;
  targets: { url: string; weight: number }[];
}

export interface SnapshotApi {
  id: string;
  name: string;
  /** Literal path prefix, `/` or `/a/b`. */
  basePath: string;
  /** Exact host names; empty means any host. */
  hosts: string[];
  upstreamId: string;
  /** True: no credential is needed and no consumer headers are sent. */
  keyless: boolean;
  /** True: the base path is removed before the request goes upstream. */
  stripBasePath: boolean;
  /** Largest request body accepted (413 above), or null for no limit. */
  maxBodyBytes: number | null;
  routes: SnapshotRoute[];
  /** Metrics with a parent other than `hits`; any other metric's parent is `hits`. */
  metrics?: { name: string; parent: string }[];
}

export interface SnapshotRoute {
  id: string;
  name: string;
  /** Upper-case methods; empty means every method. */
  methods: string[];
  /** Pattern relative to the API's base path (see src/shared/path-pattern.ts). */
  path: string;
  metric: string;
  /** Units a call adds to its metric (and its parents); 1 when absent. */
  delta?: number;
}

export interface SnapshotApplication {
  id: string;
  accountId: string;
  /** The account's trust tier; absent in snapshots from before tiers (`standard` then). */
  tier?: string;
  /** False when the application or its account is suspended or not approved. */
  active: boolean;
  /** One entry per API the application may call, from its active subscriptions. */
  grants: { apiId: string; planId: string; subscriptionId?: string }[];
}

export interface SnapshotKey {
  /** Id of the key (`key_…`), to report its use; absent in snapshots from before 0.2. */
  id?: string;
  /** SHA-256 (hex) of the key. */
  hash: string;
  applicationId: string;
  /** ISO time after which the key no longer works, or null. */
  expiresAt: string | null;
}
