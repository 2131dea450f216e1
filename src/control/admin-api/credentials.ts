// /admin/v1/applications/{application}/credentials — HTTP Basic and mutual-TLS credentials. A basic
// credential's password is generated and in the create response only. Beside the five operations:
// revoke (refused by every gateway within a second, kept for the record). The gateway sees them,
// so writes make a new configuration revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemResponse, sendProblem } from '../http/problems.ts';
import {
  createdCredential,
  credential,
  credentialCreate,
  credentialFilter,
  credentialUpdate,
} from '../model/credential.ts';
import { recordAudit } from '../services/audit.ts';
import {
  createCredential,
  deleteCredential,
  getCredential,
  listCredentials,
  revokeCredential,
  updateCredential,
} from '../services/credentials.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors, registerResource } from './resource.ts';
import { actorOf } from './roles.ts';

const application = z.string().min(1).max(200).describe('Id of the application.');
const params = z.object({
  application,
  credential: z.string().min(1).max(200).describe('Id of the credential (`crd_…`).'),
});

export function credentialRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Credentials',
    singular: 'Credential',
    plural: 'Credentials',
    path: '/applications/:application/credentials',
    idParam: 'credential',
    idDescription: 'Id of the credential (`crd_…`).',
    parentParams: z.object({ application }),
    filter: credentialFilter,
    create: credentialCreate,
    update: credentialUpdate,
    output: credential,
    created: createdCredential,
    list: (db, parent, filter, page) => listCredentials(db, parent.application, filter, page),
    get: (db, parent, id) => getCredential(db, parent.application, id),
    insert: (db, parent, body) => createCredential(db, parent.application, body),
    change: (db, parent, id, body) => updateCredential(db, parent.application, id, body),
    remove: (db, parent, id) => deleteCredential(db, parent.application, id),
  });

  app.post('/applications/:application/credentials/:credential/revoke', {
    schema: {
      operationId: 'revokeCredential',
      summary: 'Revoke a credential',
      description:
        'The gateway refuses the credential once the call returns (data-plane nodes within a second). ' +
        'Revocation is final; the credential stays listed with status `revoked`.',
      tags: ['Credentials'],
      params,
      response: {
        200: {
          description: 'The revoked credential.',
          content: { 'application/json': { schema: credential } },
        },
        ...authErrors,
        404: problemResponse('No such credential.'),
        409: problemResponse('The credential is already revoked.'),
      },
    },
    handler: async (request, reply) => {
      const { application: applicationId, credential: credentialId } = request.params as z.infer<
        typeof params
      >;
      const result = await write(ctx.db, async (tx) => {
        const before = await getCredential(tx, applicationId, credentialId);
        const revoked = await revokeCredential(tx, applicationId, credentialId);
        if (revoked.ok && before.ok)
          await recordAudit(tx, actorOf(request), {
            action: 'revoke',
            objectType: 'credential',
            objectId: revoked.value.id,
            before: before.value,
            after: revoked.value,
          });
        return revoked;
      });
      if (!result.ok) return sendProblem(reply, result.problem);
      await ctx.changed();
      return result.value;
    },
  });
}
