// The shape of a snapshot as the gateway accepts it. The control plane builds snapshots from
// validated data, but a gateway that may run for weeks on a file from disk checks anyway:
// a snapshot that does not fit is refused whole. Unknown fields are ignored, so an older
// gateway can load a snapshot from a newer control plane.
import { z } from 'zod';
import type { Snapshot } from './types.ts';

const id = z.string().min(1).max(128);
const name = z.string().min(1).max(256);
/** Upper-case HTTP method token. */
const method = z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Z]+$/, 'must be an upper-case HTTP method');
/** A DNS name or an IP literal, without a port. */
const host = z
  .string()
  .max(253)
  .regex(/^([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*\.?|\[[0-9A-Fa-f:.]+\])$/, 'must be a host name without a port');

export const snapshotSchema: z.ZodType<Snapshot> = z.object({
  version: z.number().int().nonnegative(),
  createdAt: z.string(),
  upstreams: z.array(
    z.object({
      id,
      name,
      targets: z
        .array(z.object({ url: z.string().max(2048), weight: z.number().int().min(0).max(100_000) }))
        .min(1)
        .max(1000),
    }),
  ),
  apis: z.array(
    z.object({
      id,
      name,
      basePath: z.string().max(2048),
      hosts: z.array(host).max(100),
      upstreamId: id,
      keyless: z.boolean(),
      stripBasePath: z.boolean(),
      routes: z.array(
        z.object({
          id,
          name,
          methods: z.array(method).max(32),
          path: z.string().max(2048),
          metric: z.string().max(256),
        }),
      ),
    }),
  ),
  applications: z.array(
    z.object({
      id,
      accountId: id,
      active: z.boolean(),
      grants: z.array(z.object({ apiId: id, planId: id })),
    }),
  ),
  keys: z.array(
    z.object({
      hash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lower-case SHA-256 hex digest'),
      applicationId: id,
      expiresAt: z.string().nullable(),
    }),
  ),
});
