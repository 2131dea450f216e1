// /admin/v1/oauth — the authorization server: where it is, and its signing keys, which an admin
// rotates (the next key is already published, so no token is refused during a rotation).
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { listSigningKeys } from '../oauth/signing-keys.ts';
import { recordAudit } from '../services/audit.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';
import { actorOf } from './roles.ts';

const signingKey = z
  .object({
    kid: z.string(),
    alg: z.string(),
    state: z
      .enum(['next', 'active', 'retired'])
      .describe(
        'next: published, not signing yet; active: signs; retired: published until its tokens expire.',
      ),
    createdAt: z.string(),
    retiredAt: z.string().nullable(),
  })
  .meta({ id: 'SigningKey', description: 'A signing key of the authorization server (public facts only).' });

const summary = z
  .object({
    issuer: z.string(),
    audience: z.string().describe('The `aud` of every access token: the gateway.'),
    discoveryUrl: z.string(),
    accessTokenSeconds: z.int(),
    signingKeys: z.array(signingKey),
  })
  .meta({ id: 'AuthorizationServer', description: 'The OAuth 2.0 / OpenID Connect authorization server.' });

const ok = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const notRunning = problemResponse('The authorization server is not running in this process.');

export function oauthRoutes(app: FastifyInstance, ctx: AdminContext): void {
  const server = () => ctx.authorizationServer?.();

  app.get('/oauth', {
    schema: {
      operationId: 'getAuthorizationServer',
      summary: 'Get the authorization server',
      description: 'Its issuer, discovery URL, token audience and lifetime, and signing keys.',
      tags: ['OAuth'],
      response: { 200: ok('The authorization server.', summary), ...authErrors, 503: notRunning },
    },
    handler: async (_request, reply) => {
      const running = server();
      if (running === undefined)
        return sendProblem(reply, problem('service-unavailable', 'the authorization server is not running'));
      const { issuer, audience, accessTokenSeconds } = running.settings;
      return {
        issuer,
        audience,
        discoveryUrl: `${issuer}/.well-known/openid-configuration`,
        accessTokenSeconds,
        signingKeys: await listSigningKeys(ctx.db),
      };
    },
  });

  app.post('/oauth/signing-keys/rotate', {
    config: { role: 'admin' },
    schema: {
      operationId: 'rotateSigningKeys',
      summary: 'Rotate the signing keys',
      description:
        'The next key (published since the last rotation) starts signing, the active one retires (still published until the tokens it signed expire) and a new next key is made. Gateways get the new key set with the next configuration snapshot.',
      tags: ['OAuth'],
      response: {
        200: ok('The signing keys after the rotation.', z.object({ signingKeys: z.array(signingKey) })),
        ...authErrors,
        503: notRunning,
      },
    },
    handler: async (request, reply) => {
      const running = server();
      if (running === undefined)
        return sendProblem(reply, problem('service-unavailable', 'the authorization server is not running'));
      const actor = actorOf(request);
      const signingKeys = await running.rotateKeys((tx, before, after) =>
        recordAudit(tx, actor, {
          action: 'rotate',
          objectType: 'signing-key',
          objectId: null,
          before,
          after,
        }),
      );
      await ctx.changed();
      return { signingKeys };
    },
  });
}
