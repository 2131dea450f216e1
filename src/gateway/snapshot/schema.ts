// The shape of a snapshot as the gateway accepts it. The control plane builds snapshots from
// validated data, but a gateway that may run for weeks on a file from disk checks anyway:
// a snapshot that does not fit is refused whole. Unknown fields are ignored, so an older
// gateway can load a snapshot from a newer control plane, and fields added since a snapshot
// was written take their defaults, so a newer gateway can start from an older one on disk.
import { z } from 'zod';
import {
  balancingAlgorithms,
  defaultUpstreamSettings as defaults,
  hashSources,
} from '../../shared/upstream-settings.ts';
import { periods } from '../limits/store.ts';
import type { SnapshotDelta } from './delta.ts';
import type { Snapshot } from './types.ts';

// Ids and names go into logs and headers as they are, so they keep to a safe alphabet.
const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.-]+$/, 'must be letters, digits, "_", "." or "-"');
const ms = z.number().int().min(1).max(86_400_000);
const count = z.number().int().min(0).max(100_000);

const upstreamSettings = {
  balancing: z
    .object({
      algorithm: z.enum(balancingAlgorithms),
      hashOn: z.enum(hashSources),
      hashHeader: z.string().max(100).nullable(),
    })
    .default(defaults.balancing),
  healthChecks: z
    .object({
      active: z
        .object({
          path: z.string().startsWith('/').max(1000),
          intervalMs: ms,
          timeoutMs: ms,
          healthyThreshold: count,
          unhealthyThreshold: count,
        })
        .nullable(),
      passive: z.object({ failures: count, ejectMs: ms }).nullable(),
    })
    .default(defaults.healthChecks),
  timeouts: z.object({ connectMs: ms, responseMs: ms, idleMs: ms }).default(defaults.timeouts),
  retries: z
    .object({ attempts: z.number().int().min(0).max(10), budgetPercent: count, minPerSecond: count })
    .default(defaults.retries),
};
const name = z
  .string()
  .min(1)
  .max(256)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'must be letters, digits, ".", "_" or "-", starting with a letter or digit',
  );
/** Upper-case HTTP method token. */
const method = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/, 'must be an upper-case HTTP method');
/** A DNS name or an IP literal, without a port. */
const host = z
  .string()
  .max(253)
  .regex(
    /^((\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$/,
    'must be a host name without a port',
  );

const upstream = z.object({
  id,
  name,
  targets: z
    .array(z.object({ url: z.string().max(2048), weight: z.number().int().min(0).max(100_000) }))
    .min(1)
    .max(1000),
  ...upstreamSettings,
});
const api = z.object({
  id,
  name,
  basePath: z.string().max(2048),
  hosts: z.array(host).max(100),
  upstreamId: id,
  keyless: z.boolean(),
  stripBasePath: z.boolean(),
  maxBodyBytes: z.number().int().min(0).nullable().default(null),
  routes: z.array(
    z.object({
      id,
      name,
      methods: z.array(method).max(32),
      path: z.string().max(2048),
      metric: z.string().max(256),
      delta: z.number().int().min(0).max(1_000_000).optional(),
    }),
  ),
  metrics: z
    .array(z.object({ name: z.string().max(256), parent: z.string().max(256) }))
    .max(10_000)
    .optional(),
});
const application = z.object({
  id,
  accountId: id,
  // Added with policies; a disk copy from before loads with every account on the default tier.
  tier: z.string().max(256).default('standard'),
  active: z.boolean(),
  grants: z.array(z.object({ apiId: id, planId: id, subscriptionId: id.optional() })),
});
const plan = z.object({
  id,
  limits: z
    .array(
      z.object({
        metric: z.string().max(256),
        period: z.enum(periods),
        max: z.number().int().min(0),
        per: z.enum(['subscription', 'end-user']).default('subscription'),
      }),
    )
    .max(1000),
  disabledMetrics: z.array(z.string().max(256)).max(1000).default([]),
});
const keyHash = z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case SHA-256 hex digest');
// `id` came later: a disk copy written before it still loads (its keys' use is not reported).
const key = z.object({
  id: id.optional(),
  hash: keyHash,
  applicationId: id,
  expiresAt: z.string().nullable(),
});

const policy = z.object({
  id,
  name,
  apiId: id.nullable(),
  routeId: id.nullable(),
  enabled: z.boolean(),
  config: z.record(z.string(), z.unknown()),
});

const credential = z.object({
  id,
  kind: z.enum(['basic', 'mtls', 'hmac']),
  identifier: z.string().min(1).max(256),
  applicationId: id,
  hash: keyHash.nullable(),
  secret: z.string().min(16).max(256).optional(),
  expiresAt: z.string().nullable(),
});

const authorizationServer = z.object({
  issuer: z.string().max(2048),
  audience: z.string().max(2048),
  keys: z.array(z.record(z.string(), z.unknown())).max(1000),
  revokedGrants: z.array(z.string().max(256)).max(1_000_000).optional(),
});

export const snapshotSchema: z.ZodType<Snapshot> = z.object({
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  upstreams: z.array(upstream),
  apis: z.array(api),
  applications: z.array(application),
  keys: z.array(key),
  policies: z.array(policy).default([]),
  credentials: z.array(credential).default([]),
  authorizationServer: authorizationServer.optional(),
  plans: z.array(plan).default([]),
});

function changes<T extends z.ZodType>(item: T, itemId: z.ZodType<string>) {
  return z.object({ put: z.array(item), remove: z.array(itemId) });
}

/** The shape of a delta: each change has the shape of what it puts in the snapshot. */
export const snapshotDeltaSchema: z.ZodType<SnapshotDelta> = z.object({
  kind: z.literal('delta'),
  from: z.number().int().nonnegative(),
  to: z.number().int().nonnegative(),
  createdAt: z.string(),
  upstreams: changes(upstream, id),
  apis: changes(api, id),
  applications: changes(application, id),
  keys: changes(key, keyHash),
  policies: changes(policy, id).default({ put: [], remove: [] }),
  credentials: changes(credential, id).default({ put: [], remove: [] }),
  authorizationServer: authorizationServer.nullable().optional(),
  plans: changes(plan, id).default({ put: [], remove: [] }),
});
