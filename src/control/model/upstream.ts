// Upstream: the service behind an API, as weighted targets, with how the gateway balances,
// checks, times out and retries them.
import { z } from 'zod';
import { description, id, name, targetUrl, timestamp, weight } from './fields.ts';
import { settingsInput, settingsOutput } from './upstream-settings.ts';

export const upstreamTarget = z
  .strictObject({ url: targetUrl, weight: weight.optional().meta({ default: 100 }) })
  .meta({ id: 'UpstreamTarget', description: 'One address of an upstream.' });

const targets = z
  .array(upstreamTarget)
  .min(1)
  .max(100)
  .refine((ts) => ts.some((t) => (t.weight ?? 100) > 0), 'at least one target must have a weight above 0')
  .describe('Where requests go, spread by the balancing algorithm.');

/** Consistent hashing on a header needs the header's name. */
function hashHeaderGiven(input: {
  balancing?: { algorithm?: string; hashOn?: string; hashHeader?: string | null } | undefined;
}) {
  const b = input.balancing;
  return !(b?.algorithm === 'consistent-hash' && b.hashOn === 'header' && !b.hashHeader);
}
const hashHeaderIssue = { message: 'hashOn header needs hashHeader', path: ['balancing', 'hashHeader'] };

export const upstreamCreate = z
  .strictObject({
    name,
    description: description.optional().meta({ default: '' }),
    targets,
    ...settingsInput,
  })
  .refine(hashHeaderGiven, hashHeaderIssue)
  .meta({ id: 'UpstreamCreate', description: 'A new upstream.' });

export const upstreamUpdate = z
  .strictObject({ name, description, targets, ...settingsInput })
  .partial()
  .refine(hashHeaderGiven, hashHeaderIssue)
  .meta({
    id: 'UpstreamUpdate',
    description: 'Fields to change; a settings block given replaces only the fields it names.',
  });

export const upstream = z
  .strictObject({
    id: id('ups'),
    name,
    description,
    targets: z.array(z.strictObject({ url: z.string(), weight: z.int() })),
    ...settingsOutput,
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Upstream', description: 'An upstream service.' });

export type UpstreamCreate = z.infer<typeof upstreamCreate>;
export type UpstreamUpdate = z.infer<typeof upstreamUpdate>;
export type Upstream = z.infer<typeof upstream>;
