// /admin/v1/applications/{application}/client-secrets — OAuth client secrets (the client id is
// the application id). The plaintext is in the create (and rotate) response only. Beside the
// five operations: rotate (a new secret, the old one kept for a grace period) and revoke (final,
// kept for the record). Only the authorization server reads them, never the gateway: writes make
// no new configuration revision, but are audited like any other.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemResponse, sendProblem } from '../http/problems.ts';
import {
  clientSecret,
  clientSecretCreate,
  clientSecretRotate,
  clientSecretUpdate,
  createdClientSecret,
} from '../model/client-secret.ts';
import { recordAudit } from '../services/audit.ts';
import {
  createClientSecret,
  deleteClientSecret,
  getClientSecret,
  listClientSecrets,
  revokeClientSecret,
  rotateClientSecret,
  updateClientSecret,
} from '../services/client-secrets.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors, registerResource } from './resource.ts';
import { actorOf } from './roles.ts';

const application = z.string().min(1).max(200).describe('Id of the application (the OAuth client id).');
const params = z.object({
  application,
  secret: z.string().min(1).max(200).describe('Id of the client secret (`ocs_…`).'),
});
const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  ...authErrors,
  404: problemResponse('No such client secret.'),
  409: problemResponse('The client secret is revoked.'),
};
const tags = ['Client secrets'];
const notConfiguration = { changed: () => false };

export function clientSecretRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Client secrets',
    singular: 'ClientSecret',
    plural: 'ClientSecrets',
    noun: 'client secret',
    nouns: 'client secrets',
    path: '/applications/:application/client-secrets',
    idParam: 'secret',
    idDescription: 'Id of the client secret (`ocs_…`).',
    parentParams: z.object({ application }),
    filter: z.object({}),
    create: clientSecretCreate,
    update: clientSecretUpdate,
    output: clientSecret,
    created: createdClientSecret,
    configuration: false,
    list: (db, parent, _filter, page) => listClientSecrets(db, parent.application, page),
    get: (db, parent, id) => getClientSecret(db, parent.application, id),
    insert: (db, parent, body) => createClientSecret(db, parent.application, body),
    change: (db, parent, id, body) => updateClientSecret(db, parent.application, id, body),
    remove: (db, parent, id) => deleteClientSecret(db, parent.application, id),
  });

  app.post('/applications/:application/client-secrets/:secret/rotate', {
    schema: {
      operationId: 'rotateClientSecret',
      summary: 'Rotate a client secret',
      description:
        'Issues a new client secret (its plaintext is in this response only) and lets the old one work for ' +
        'the grace period.',
      tags,
      params,
      body: clientSecretRotate,
      response: {
        201: json('The new client secret.', createdClientSecret),
        400: problemResponse('The request is invalid.'),
        ...errors,
      },
    },
    handler: async (request, reply) => {
      const { application: applicationId, secret } = request.params as z.infer<typeof params>;
      const result = await write(
        ctx.db,
        async (tx) => {
          const before = await getClientSecret(tx, applicationId, secret);
          const body = request.body as z.infer<typeof clientSecretRotate>;
          const rotated = await rotateClientSecret(tx, applicationId, secret, body);
          if (rotated.ok && before.ok) {
            const actor = actorOf(request);
            const { old, issued } = rotated.value;
            await recordAudit(tx, actor, {
              action: 'rotate',
              objectType: 'client-secret',
              objectId: old.id,
              before: before.value,
              after: old,
            });
            await recordAudit(tx, actor, {
              action: 'create',
              objectType: 'client-secret',
              objectId: issued.id,
              after: issued,
            });
          }
          return rotated;
        },
        notConfiguration,
      );
      if (!result.ok) return sendProblem(reply, result.problem);
      const { issued } = result.value;
      return reply
        .code(201)
        .header('location', `/admin/v1/applications/${applicationId}/client-secrets/${issued.id}`)
        .send(issued);
    },
  });

  app.post('/applications/:application/client-secrets/:secret/revoke', {
    schema: {
      operationId: 'revokeClientSecret',
      summary: 'Revoke a client secret',
      description:
        'The authorization server refuses the secret from now on. Revocation is final; the secret stays ' +
        'listed with status `revoked`.',
      tags,
      params,
      response: { 200: json('The revoked client secret.', clientSecret), ...errors },
    },
    handler: async (request, reply) => {
      const { application: applicationId, secret } = request.params as z.infer<typeof params>;
      const result = await write(
        ctx.db,
        async (tx) => {
          const before = await getClientSecret(tx, applicationId, secret);
          const revoked = await revokeClientSecret(tx, applicationId, secret);
          if (revoked.ok && before.ok)
            await recordAudit(tx, actorOf(request), {
              action: 'revoke',
              objectType: 'client-secret',
              objectId: revoked.value.id,
              before: before.value,
              after: revoked.value,
            });
          return revoked;
        },
        notConfiguration,
      );
      if (!result.ok) return sendProblem(reply, result.problem);
      return result.value;
    },
  });
}
