// /admin/v1/config: apply a declarative document in one transaction (POST) or export the whole
// configuration as one (GET). Errors name paths inside the document (`apis[2].routes[0].path`).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { formatPath, problem } from '../../shared/errors.ts';
import { applyDocument } from '../declarative/apply.ts';
import { type ConfigDocument, configDocument } from '../declarative/document.ts';
import { exportDocument } from '../declarative/export.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { RequestValidationError } from '../http/validation.ts';
import type { AdminContext } from './context.ts';
import { actorOf, hasRole } from './roles.ts';

const applyResult = z
  .object({
    applied: z.boolean().describe('False for a dry run, or when nothing needed to change.'),
    changes: z
      .array(
        z.object({
          action: z.enum(['create', 'update', 'delete', 'revoke']),
          kind: z
            .string()
            .describe(
              'upstream, api, route, policy, product, plan, account, application, subscription, key, credential, oauth-scope, identity-provider, portal-branding, portal-signup, portal-page, portal-field or alert-rule.',
            ),
          name: z.string().describe('Qualified name, such as `weather/forecast`.'),
        }),
      )
      .describe('What changed (or, for a dry run, would change), in order.'),
  })
  .meta({ id: 'ApplyResult', description: 'The outcome of applying a document.' });

const flag = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true');

export function configRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.post('/config', {
    bodyLimit: 64 * 1024 * 1024,
    attachValidation: true,
    schema: {
      operationId: 'applyConfig',
      summary: 'Apply a declarative document',
      description:
        'Makes the configuration match the document, in one transaction: an invalid document changes nothing. ' +
        'Objects the document names are set to what it says; nested lists, when present, are exactly the children. ' +
        'With `prune=true`, top-level objects the document does not name are deleted.',
      tags: ['Configuration'],
      querystring: z.object({
        dryRun: flag.describe('Report the changes without making them.'),
        prune: flag.describe('Delete top-level objects the document does not name.'),
      }),
      body: configDocument,
      response: {
        200: applyResult,
        400: problemResponse('The document is invalid; `errors` names each bad field by its path.'),
        401: problemResponse('Missing or invalid admin token.'),
        403: problemResponse(
          'The caller’s role does not allow this; changing identity providers needs the admin role.',
        ),
        409: problemResponse('A concurrent change conflicted; apply again.'),
        413: problemResponse('The document is larger than 64 MiB.'),
        415: problemResponse('The body is not JSON.'),
      },
    },
    handler: async (request, reply) => {
      const invalid = request.validationError;
      if (invalid instanceof RequestValidationError && invalid.validationContext === 'body') {
        const errors = invalid.issues.map((issue) => ({
          path: formatPath(issue.path),
          message: issue.message,
        }));
        return sendProblem(
          reply,
          problem('config-invalid', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors }),
        );
      }
      if (invalid) throw invalid;
      const { dryRun, prune } = request.query as { dryRun: boolean; prune: boolean };
      const actor = actorOf(request);
      const result = await applyDocument(ctx.db, request.body as ConfigDocument, {
        dryRun,
        prune,
        actor,
        // As through /identity-providers: they decide who counts as an end user.
        mayChangeIdentityProviders: hasRole(actor.role, 'admin'),
      });
      if (!result.ok) return sendProblem(reply, result.problem);
      const applied = !dryRun && result.value.changes.length > 0;
      if (applied) await ctx.changed();
      return { applied, changes: result.value.changes };
    },
  });

  app.get('/config', {
    schema: {
      operationId: 'exportConfig',
      summary: 'Export the configuration',
      description: 'Everything as one declarative document: names for references, keys as SHA-256 hashes.',
      tags: ['Configuration'],
      response: { 200: configDocument, 401: problemResponse('Missing or invalid admin token.') },
    },
    handler: async () => exportDocument(ctx.db),
  });
}
