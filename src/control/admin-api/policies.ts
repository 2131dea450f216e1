// /admin/v1/policies — policies configured globally, on an API or on a route — and
// /admin/v1/policy-types, what the gateway offers with each config's JSON Schema (for forms).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { policies as registry } from '../../policies/index.ts';
import { ok } from '../../shared/errors.ts';
import { policy, policyCreate, policyName, policyScope, policyType, policyUpdate } from '../model/policy.ts';
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from '../services/policies.ts';
import type { AdminContext } from './context.ts';
import { byId } from './filters.ts';
import { authErrors, registerResource } from './resource.ts';

const types = registry.map((definition) => ({
  name: definition.name,
  description: definition.description,
  phase: definition.phase,
  priority: definition.priority,
  configSchema: z.toJSONSchema(definition.schema, { io: 'input' }) as Record<string, unknown>,
}));

export function policyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Policies',
    singular: 'Policy',
    plural: 'Policies',
    path: '/policies',
    idParam: 'policy',
    idDescription: 'Id of the policy (`pol_…`).',
    filter: z.object({
      name: policyName.optional().describe('Only policies of this name.'),
      apiId: byId('API'),
      routeId: byId('route'),
      scope: policyScope.optional().describe('Only global, API or route policies.'),
    }),
    create: policyCreate,
    update: policyUpdate,
    output: policy,
    list: async (db, _parent, filter, page) => ok(await listPolicies(db, filter, page)),
    get: (db, _parent, id) => getPolicy(db, id),
    insert: (db, _parent, body) => createPolicy(db, body),
    change: (db, _parent, id, body) => updatePolicy(db, id, body),
    remove: (db, _parent, id) => deletePolicy(db, id),
  });

  app.get('/policy-types', {
    schema: {
      operationId: 'listPolicyTypes',
      summary: 'List policy types',
      description: 'The policies the gateway knows, in phase order, with the JSON Schema of each config.',
      tags: ['Policies'],
      response: {
        200: {
          description: 'Every policy type.',
          content: { 'application/json': { schema: z.object({ data: z.array(policyType) }) } },
        },
        ...authErrors,
      },
    },
    handler: async () => ({ data: types }),
  });
}
