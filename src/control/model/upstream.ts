// Upstream: the service behind an API, as weighted targets.
import { z } from 'zod';
import { description, id, name, targetUrl, timestamp, weight } from './fields.ts';

export const upstreamTarget = z
  .strictObject({ url: targetUrl, weight: weight.optional().meta({ default: 100 }) })
  .meta({ id: 'UpstreamTarget', description: 'One address of an upstream.' });

const targets = z
  .array(upstreamTarget)
  .min(1)
  .max(100)
  .refine((ts) => ts.some((t) => (t.weight ?? 100) > 0), 'at least one target must have a weight above 0')
  .describe('Where requests go; weighted round-robin among them.');

export const upstreamCreate = z
  .strictObject({ name, description: description.optional().meta({ default: '' }), targets })
  .meta({ id: 'UpstreamCreate', description: 'A new upstream.' });

export const upstreamUpdate = upstreamCreate
  .partial()
  .meta({ id: 'UpstreamUpdate', description: 'Fields to change.' });

export const upstream = z
  .strictObject({
    id: id('ups'),
    name,
    description,
    targets: z.array(z.strictObject({ url: z.string(), weight: z.int() })),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Upstream', description: 'An upstream service.' });

export type UpstreamCreate = z.infer<typeof upstreamCreate>;
export type UpstreamUpdate = z.infer<typeof upstreamUpdate>;
export type Upstream = z.infer<typeof upstream>;
