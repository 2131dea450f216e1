// /admin/v1/portal/branding — how the developer portal looks: one object, read by viewers and
// replaced whole by editors. The gateway never sees it: a change makes no new revision.
import type { FastifyInstance } from 'fastify';
import { ok } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { type BrandingInput, branding, brandingInput } from '../model/portal-branding.ts';
import { recordAudit } from '../services/audit.ts';
import { getBranding, replaceBranding } from '../services/portal-branding.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';
import { actorOf } from './roles.ts';

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: branding } },
});

export function portalBrandingRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/portal/branding', {
    schema: {
      operationId: 'getPortalBranding',
      summary: 'Get the portal branding',
      description:
        'The portal’s name, logo, favicon, colours, custom CSS and domain; the defaults until set.',
      tags: ['Portal branding'],
      response: { 200: json('The branding.'), ...authErrors },
    },
    handler: async () => getBranding(ctx.db),
  });

  app.put('/portal/branding', {
    // Two inline images of 200 KiB and 50,000 characters of CSS, as escaped JSON.
    bodyLimit: 2 * 1024 * 1024,
    schema: {
      operationId: 'replacePortalBranding',
      summary: 'Replace the portal branding',
      description: 'Replaces the whole branding: fields left out take their defaults.',
      tags: ['Portal branding'],
      body: brandingInput,
      response: {
        200: json('The branding as stored.'),
        400: problemResponse('The request is invalid; `errors` names each bad field.'),
        ...authErrors,
        409: problemResponse('A concurrent change conflicted; try again.'),
        413: problemResponse('The body is larger than 2 MiB.'),
      },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const result = await write(
        ctx.db,
        async (tx) => {
          const before = await getBranding(tx);
          const after = await replaceBranding(tx, request.body as BrandingInput);
          await recordAudit(tx, actor, {
            action: 'update',
            objectType: 'portal-branding',
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
