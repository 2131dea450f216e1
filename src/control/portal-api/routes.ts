// The portal API under /portal/v1: developer sessions first, then what a signed-in developer may
// read and change of their own account.
import type { FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { zodValidatorCompiler } from '../http/validation.ts';
import { analyticsRoutes } from './analytics.ts';
import { applicationRoutes } from './applications.ts';
import { portalAuthHook } from './auth.ts';
import { catalogRoutes } from './catalog.ts';
import { contentRoutes } from './content.ts';
import type { PortalContext } from './context.ts';
import { memberRoutes } from './members.ts';
import { messageRoutes } from './messages.ts';
import { oauthClientRoutes } from './oauth-clients.ts';
import { ownedResourcesHook } from './owned.ts';
import { sessionRoutes } from './session.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { tryItRoutes } from './try-it.ts';

export const portalApiPrefix = '/portal/v1';

export async function registerPortalApi(app: FastifyInstance, ctx: PortalContext): Promise<void> {
  await app.register(
    async (scope) => {
      scope.setValidatorCompiler(zodValidatorCompiler);
      scope.setSerializerCompiler(serializerCompiler);
      scope.decorateRequest('developerSession', null);
      scope.decorateRequest('ownedApplication', null);
      scope.decorateRequest('ownedSubscription', null);
      scope.addHook('onRequest', portalAuthHook(ctx));
      scope.addHook('preHandler', ownedResourcesHook(ctx));
      for (const register of [
        sessionRoutes,
        memberRoutes,
        catalogRoutes,
        applicationRoutes,
        subscriptionRoutes,
        analyticsRoutes,
        tryItRoutes,
        oauthClientRoutes,
        contentRoutes,
        messageRoutes,
      ])
        register(scope, ctx);
    },
    { prefix: portalApiPrefix },
  );
}
