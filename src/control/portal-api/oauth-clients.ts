// /portal/v1 OAuth client credentials of a developer's own application: the client id (the
// application's id), its redirect URIs, and client secrets (shown once, rotated with a grace
// period, revoked). For APIs protected by the oauth policy, a backend gets tokens with these.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { redirectUris } from '../model/application.ts';
import { updateApplication } from '../services/applications.ts';
import {
  createClientSecret,
  listClientSecrets,
  revokeClientSecret,
  rotateClientSecret,
} from '../services/client-secrets.ts';
import type { PortalContext } from './context.ts';
import { ownedApplication } from './owned.ts';
import { portalWrite } from './writes.ts';

const appParams = z.object({ application: z.string().max(64) });
const secretParams = appParams.extend({ secret: z.string().max(64) });
const secretBody = z.strictObject({ label: z.string().max(100).optional() });
const rotateBody = z.strictObject({
  graceSeconds: z
    .int()
    .min(0)
    .max(90 * 86_400)
    .optional(),
});

export function oauthClientRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get('/applications/:application/oauth', { schema: { params: appParams } }, async (request, reply) => {
    const row = ownedApplication(request);
    const secrets = await listClientSecrets(ctx.db, row.id, { limit: 1000 });
    if (!secrets.ok) return sendProblem(reply, secrets.problem);
    const issuer = `${ctx.portalUrl()}/oauth`;
    return {
      clientId: row.id,
      redirectUris: row.redirectUris,
      secrets: secrets.value.data,
      issuer,
      discovery: `${issuer}/.well-known/openid-configuration`,
    };
  });

  app.put(
    '/applications/:application/redirect-uris',
    { schema: { params: appParams, body: z.strictObject({ redirectUris }) } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const { redirectUris: uris } = request.body as { redirectUris: string[] };
      const changed = await portalWrite(ctx, request, reply, {
        action: 'update',
        objectType: 'application',
        before: { id: row.id, redirectUris: row.redirectUris },
        work: (tx) => updateApplication(tx, row.id, { redirectUris: uris }),
      });
      return changed && { redirectUris: changed.redirectUris };
    },
  );

  app.post(
    '/applications/:application/client-secrets',
    { schema: { params: appParams, body: secretBody } },
    async (request, reply) => {
      const row = ownedApplication(request);
      const { label } = request.body as z.infer<typeof secretBody>;
      const created = await portalWrite(ctx, request, reply, {
        action: 'create',
        objectType: 'client-secret',
        configuration: false,
        work: (tx) => createClientSecret(tx, row.id, { ...(label !== undefined && { label }) }),
      });
      return created && reply.code(201).header('cache-control', 'no-store').send(created);
    },
  );

  app.post(
    '/applications/:application/client-secrets/:secret/rotate',
    { schema: { params: secretParams, body: rotateBody } },
    async (request, reply) => {
      const params = request.params as z.infer<typeof secretParams>;
      const row = ownedApplication(request);
      const { graceSeconds } = request.body as z.infer<typeof rotateBody>;
      const rotated = await portalWrite(ctx, request, reply, {
        action: 'rotate',
        objectType: 'client-secret',
        configuration: false,
        work: async (tx) => {
          const done = await rotateClientSecret(tx, row.id, params.secret, {
            ...(graceSeconds !== undefined && { gracePeriodSeconds: graceSeconds }),
          });
          return done.ok ? ok(done.value.issued) : done;
        },
      });
      return rotated && reply.code(201).header('cache-control', 'no-store').send(rotated);
    },
  );

  app.post(
    '/applications/:application/client-secrets/:secret/revoke',
    { schema: { params: secretParams } },
    async (request, reply) => {
      const params = request.params as z.infer<typeof secretParams>;
      const row = ownedApplication(request);
      return portalWrite(ctx, request, reply, {
        action: 'revoke',
        objectType: 'client-secret',
        configuration: false,
        work: (tx) => revokeClientSecret(tx, row.id, params.secret),
      });
    },
  );
}
