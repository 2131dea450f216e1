// Policy: one of the gateway's policies configured globally, on an API or on one route.
import { z } from 'zod';
import { policies } from '../../policies/index.ts';
import { id, timestamp } from './fields.ts';

export const policyName = z
  .enum(policies.map((p) => p.name) as [string, ...string[]])
  .describe('Which policy; `GET /admin/v1/policy-types` lists them with their config schemas.');

export const policyScope = z.enum(['global', 'api', 'route']);

const config = z
  .record(z.string(), z.unknown())
  .describe("The policy's settings, checked against its schema; omitted fields take their defaults.");
const enabled = z
  .boolean()
  .describe('False: the policy is off here, and switches off one of the same name configured more broadly.');

export const policyCreate = z
  .strictObject({
    name: policyName,
    apiId: id('api').optional().describe('The API it applies to; omit (with routeId) for a global policy.'),
    routeId: id('rte').optional().describe('The route it applies to; its API is implied.'),
    enabled: enabled.optional().meta({ default: true }),
    config: config.optional().meta({ default: {} }),
  })
  .meta({ id: 'PolicyCreate', description: 'A policy to configure.' });

export const policyUpdate = z.strictObject({ enabled, config }).partial().meta({
  id: 'PolicyUpdate',
  description:
    'Fields to change; `config` is replaced whole. Name and scope are fixed: delete and create to move a policy.',
});

export const policy = z
  .strictObject({
    id: id('pol'),
    name: z.string(),
    scope: policyScope.describe('Where it applies: `global`, `api` or `route`.'),
    apiId: id('api').nullable(),
    routeId: id('rte').nullable(),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Policy', description: 'A configured policy.' });

export const policyType = z
  .strictObject({
    name: z.string(),
    description: z.string(),
    phase: z
      .string()
      .describe('When it runs: pre-auth, authenticate, authorize, limit, request, response, log.'),
    priority: z.int().describe('Within a phase, higher runs first.'),
    configSchema: z.record(z.string(), z.unknown()).describe('JSON Schema of `config`.'),
  })
  .meta({ id: 'PolicyType', description: 'A policy the gateway knows.' });

export type PolicyCreate = z.infer<typeof policyCreate>;
export type PolicyUpdate = z.infer<typeof policyUpdate>;
export type Policy = z.infer<typeof policy>;
