// /admin/v1/portal/signup — how the portal takes new developers: whether their accounts are
// approved at once or wait in the approvals. Not gateway configuration: no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { recordAudit } from '../services/audit.ts';
import { getSignupSettings, replaceSignupSettings, type SignupSettings } from '../services/portal-signup.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';
import { actorOf } from './roles.ts';

export const signupSettings = z
  .strictObject({
    accountApproval: z
      .enum(['auto', 'manual'])
      .describe(
        '`auto`: a new account from the portal is approved at once; `manual`: it is `pending` until approved, and its applications cannot call APIs.',
      ),
  })
  .meta({ id: 'PortalSignup', description: 'How the portal takes new developers.' });

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: signupSettings } },
});

export function portalSignupRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/portal/signup', {
    schema: {
      operationId: 'getPortalSignup',
      summary: 'Get the sign-up settings',
      tags: ['Portal fields'],
      response: { 200: json('The settings.'), ...authErrors },
    },
    handler: async () => getSignupSettings(ctx.db),
  });

  app.put('/portal/signup', {
    schema: {
      operationId: 'replacePortalSignup',
      summary: 'Replace the sign-up settings',
      tags: ['Portal fields'],
      body: signupSettings,
      response: {
        200: json('The settings as stored.'),
        400: problemResponse('The request is invalid.'),
        ...authErrors,
        409: problemResponse('A concurrent change conflicted; try again.'),
      },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const result = await write(
        ctx.db,
        async (tx) => {
          const before = await getSignupSettings(tx);
          const after = await replaceSignupSettings(tx, request.body as SignupSettings);
          await recordAudit(tx, actor, {
            action: 'update',
            objectType: 'portal-signup',
            objectId: null,
            before,
            after,
          });
          return ok(after);
        },
        { changed: () => false },
      );
      return result.ok ? result.value : sendProblem(reply, result.problem);
    },
  });
}
