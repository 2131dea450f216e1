// /portal/v1/applications and their keys: a developer's own account's applications only; another
// account's application answers 404, as if it did not exist.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { description, name } from '../model/fields.ts';
import { customFieldValues } from '../model/portal-field.ts';
import {
  createApplication,
  deleteApplication,
  listApplications,
  toApplication,
  updateApplication,
} from '../services/applications.ts';
import { portalFieldCheck } from '../services/custom-fields.ts';
import { createKey, listKeys, revokeKey, rotateKey } from '../services/keys.ts';
import { membershipOf } from './auth.ts';
import type { PortalContext } from './context.ts';
import { ownedApplication } from './owned.ts';
import { portalWrite } from './writes.ts';

const applicationBody = z.strictObject({
  name,
  description: description.optional(),
  customFields: customFieldValues.optional(),
});
const keyBody = z.strictObject({ label: z.string().max(100).optional() });
const rotateBody = z.strictObject({
  graceSeconds: z
    .int()
    .min(0)
    .max(90 * 86_400)
    .optional(),
});
const appParams = z.object({ application: z.string().max(64) });
const keyParams = appParams.extend({ key: z.string().max(64) });

/** What the portal shows of an application. */
const portalApplication = (app: ReturnType<typeof toApplication>) => ({
  id: app.id,
  name: app.name,
  description: app.description,
  state: app.state,
  customFields: app.customFields,
  createdAt: app.createdAt,
});

export function applicationRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get('/applications', async (request) => {
    const page = await listApplications(
      ctx.db,
      { accountId: membershipOf(request).account.id },
      { limit: 1000 },
    );
    return { data: page.data.map(portalApplication) };
  });

  app.post('/applications', { schema: { body: applicationBody } }, async (request, reply) => {
    const body = request.body as z.infer<typeof applicationBody>;
    const created = await portalWrite(ctx, request, reply, {
      action: 'create',
      objectType: 'application',
      work: (tx) =>
        createApplication(tx, { accountId: membershipOf(request).account.id, ...body }, portalFieldCheck),
    });
    return created && reply.code(201).send(portalApplication(created));
  });

  app.get('/applications/:application', { schema: { params: appParams } }, async (request, _reply) => {
    return portalApplication(toApplication(ownedApplication(request)));
  });

  app.patch(
    '/applications/:application',
    { schema: { params: appParams, body: applicationBody.partial() } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const changed = await portalWrite(ctx, request, reply, {
        action: 'update',
        objectType: 'application',
        before: toApplication(row),
        work: (tx) =>
          updateApplication(
            tx,
            row.id,
            request.body as Partial<z.infer<typeof applicationBody>>,
            portalFieldCheck,
          ),
      });
      return changed && portalApplication(changed);
    },
  );

  app.delete('/applications/:application', { schema: { params: appParams } }, async (request, reply) => {
    const row = ownedApplication(request);
    const deleted = await portalWrite(ctx, request, reply, {
      action: 'delete',
      objectType: 'application',
      before: toApplication(row),
      work: async (tx) => {
        const done = await deleteApplication(tx, row.id);
        return done.ok ? ok({ id: row.id }) : done;
      },
    });
    return deleted && reply.code(204).send();
  });

  app.get('/applications/:application/keys', { schema: { params: appParams } }, async (request, reply) => {
    const row = ownedApplication(request);
    const keys = await listKeys(ctx.db, row.id, { limit: 1000 });
    if (!keys.ok) return sendProblem(reply, keys.problem);
    return { data: keys.value.data };
  });

  app.post(
    '/applications/:application/keys',
    { schema: { params: appParams, body: keyBody } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const { label } = request.body as z.infer<typeof keyBody>;
      const created = await portalWrite(ctx, request, reply, {
        action: 'create',
        objectType: 'key',
        work: (tx) => createKey(tx, row.id, { ...(label !== undefined && { label }) }),
      });
      return created && reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post(
    '/applications/:application/keys/:key/rotate',
    { schema: { params: keyParams, body: rotateBody } },
    async (request, reply) => {
      const params = request.params as z.infer<typeof keyParams>;
      const row = ownedApplication(request);
      const { graceSeconds } = request.body as z.infer<typeof rotateBody>;
      const rotated = await portalWrite(ctx, request, reply, {
        action: 'rotate',
        objectType: 'key',
        work: async (tx) => {
          const done = await rotateKey(tx, row.id, params.key, {
            ...(graceSeconds !== undefined && { gracePeriodSeconds: graceSeconds }),
          });
          return done.ok ? ok(done.value.issued) : done;
        },
      });
      return rotated && reply.code(201).header('cache-control', 'no-store').send(rotated);
    },
  );

  app.post(
    '/applications/:application/keys/:key/revoke',
    { schema: { params: keyParams } },
    async (request, reply) => {
      const params = request.params as z.infer<typeof keyParams>;
      const row = ownedApplication(request);
      return portalWrite(ctx, request, reply, {
        action: 'revoke',
        objectType: 'key',
        work: (tx) => revokeKey(tx, row.id, params.key),
      });
    },
  );
}
