// /admin/v1/applications/{application}/keys — the plaintext of a new key is in the create (and
// rotate) response only. Beside the five operations: rotate (a new key, the old one kept for a
// grace period) and revoke (refused by every gateway within a second, kept for the record).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { createdKey, key, keyCreate, keyRotate, keyUpdate } from '../model/key.ts';
import { recordAudit } from '../services/audit.ts';
import { createKey, deleteKey, getKey, listKeys, revokeKey, rotateKey, updateKey } from '../services/keys.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors, registerResource } from './resource.ts';
import { actorOf } from './roles.ts';

const params = z.object({
  application: z.string().min(1).max(200).describe('Id of the application.'),
  key: z.string().min(1).max(200).describe('Id of the key.'),
});
const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const errors = {
  ...authErrors,
  404: problemResponse('No such key.'),
  409: problemResponse('The key is revoked.'),
};

export function keyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Keys',
    singular: 'Key',
    plural: 'Keys',
    path: '/applications/:application/keys',
    idParam: 'key',
    idDescription: 'Id of the key.',
    parentParams: z.object({ application: z.string().min(1).max(200).describe('Id of the application.') }),
    filter: z.object({}),
    create: keyCreate,
    update: keyUpdate,
    output: key,
    created: createdKey,
    list: (db, parent, _filter, page) => listKeys(db, parent.application, page),
    get: (db, parent, id) => getKey(db, parent.application, id),
    insert: (db, parent, body) => createKey(db, parent.application, body),
    change: (db, parent, id, body) => updateKey(db, parent.application, id, body),
    remove: (db, parent, id) => deleteKey(db, parent.application, id),
  });

  app.post('/applications/:application/keys/:key/rotate', {
    schema: {
      operationId: 'rotateKey',
      summary: 'Rotate a key',
      description:
        'Issues a new key (its plaintext is in this response only) and lets the old one work for the grace period. ' +
        'The gateway accepts the new key once the call returns.',
      tags: ['Keys'],
      params,
      body: keyRotate,
      response: {
        201: json('The new key.', createdKey),
        400: problemResponse('The request is invalid.'),
        ...errors,
      },
    },
    handler: async (request, reply) => {
      const { application, key: keyId } = request.params as z.infer<typeof params>;
      const result = await write(ctx.db, async (tx) => {
        const before = await getKey(tx, application, keyId);
        const rotated = await rotateKey(tx, application, keyId, request.body as z.infer<typeof keyRotate>);
        if (rotated.ok && before.ok) {
          const actor = actorOf(request);
          const { old, issued } = rotated.value;
          await recordAudit(tx, actor, {
            action: 'rotate',
            objectType: 'key',
            objectId: old.id,
            before: before.value,
            after: old,
          });
          await recordAudit(tx, actor, {
            action: 'create',
            objectType: 'key',
            objectId: issued.id,
            after: issued,
          });
        }
        return rotated;
      });
      if (!result.ok) return sendProblem(reply, result.problem);
      await ctx.changed();
      const { issued } = result.value;
      return reply
        .code(201)
        .header('location', `/admin/v1/applications/${application}/keys/${issued.id}`)
        .send(issued);
    },
  });

  app.post('/applications/:application/keys/:key/revoke', {
    schema: {
      operationId: 'revokeKey',
      summary: 'Revoke a key',
      description:
        'The gateway refuses the key once the call returns (data-plane nodes within a second). Revocation is final; ' +
        'the key stays listed with status `revoked`.',
      tags: ['Keys'],
      params,
      response: { 200: json('The revoked key.', key), ...errors },
    },
    handler: async (request, reply) => {
      const { application, key: keyId } = request.params as z.infer<typeof params>;
      const result = await write(ctx.db, async (tx) => {
        const before = await getKey(tx, application, keyId);
        const revoked = await revokeKey(tx, application, keyId);
        if (revoked.ok && before.ok)
          await recordAudit(tx, actorOf(request), {
            action: 'revoke',
            objectType: 'key',
            objectId: keyId,
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
