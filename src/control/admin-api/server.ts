// The admin API server (port 8001): Fastify with Zod schemas, bearer-token auth on everything
// under /admin/v1 except the OpenAPI document, problem+json errors, Prometheus metrics at /metrics.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { closeConnectionsWhenIdle } from '../http/graceful-close.ts';
import { observeRequests } from '../http/observe-requests.ts';
import { frameworkErrorHandler, installProblemHandlers } from '../http/problems.ts';
import { zodValidatorCompiler } from '../http/validation.ts';
import { serveWebApp } from '../http/web-app.ts';
import { createControlMetrics } from '../metrics/control-metrics.ts';
import { metricsRoute } from '../metrics/route.ts';
import type { SnapshotDistributor } from '../sync/distributor.ts';
import { accountRoutes } from './accounts.ts';
import { adminUserRoutes } from './admin-users.ts';
import { alertEventRoutes } from './alert-events.ts';
import { alertRoutes } from './alerts.ts';
import { analyticsRoutes } from './analytics.ts';
import { apiRoutes } from './apis.ts';
import { applicationRoutes } from './applications.ts';
import { auditEventRoutes } from './audit-events.ts';
import { adminAuthHook } from './auth.ts';
import { clientSecretRoutes } from './client-secrets.ts';
import { configRoutes } from './config.ts';
import type { AdminContext } from './context.ts';
import { credentialRoutes } from './credentials.ts';
import { developerRoutes } from './developers.ts';
import { endUserRoutes } from './end-users.ts';
import { identityProviderRoutes } from './identity-providers.ts';
import { keyRoutes } from './keys.ts';
import { oauthRoutes } from './oauth.ts';
import { oauthScopeRoutes } from './oauth-scopes.ts';
import { registerOpenApi } from './openapi.ts';
import { outboxRoutes } from './outbox.ts';
import { planRoutes } from './plans.ts';
import { policyRoutes } from './policies.ts';
import { portalBrandingRoutes } from './portal-branding.ts';
import { portalFieldRoutes } from './portal-fields.ts';
import { portalMessageRoutes } from './portal-messages.ts';
import { portalPageRoutes } from './portal-pages.ts';
import { portalSignupRoutes } from './portal-signup.ts';
import { productRoutes } from './products.ts';
import { routeRoutes } from './routes.ts';
import { sessionRoutes } from './session.ts';
import { statusRoutes } from './status.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { syncRoutes } from './sync.ts';
import { tokenRoutes } from './tokens.ts';
import { upstreamRoutes } from './upstreams.ts';
import { usageRoutes } from './usage.ts';

export interface AdminApiOptions extends AdminContext {
  /** Serves configuration to data-plane nodes at /admin/v1/sync when given. */
  distributor?: SnapshotDistributor | undefined;
  logger: Logger;
  store: 'pglite' | 'postgres';
  envTokenHash?: string | undefined;
  snapshotVersion: () => number | undefined;
}

export async function createAdminApi(options: AdminApiOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    requestIdHeader: false,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
    frameworkErrors: frameworkErrorHandler,
  }) as unknown as FastifyInstance;
  // JSON only: a text/plain body (what fetch sends by default) is a 415, not a string to validate.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  closeConnectionsWhenIdle(app);
  app.decorateRequest('principal', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const metrics = createControlMetrics({
    db: options.db,
    store: options.store,
    distributor: options.distributor,
  });
  app.addHook('onClose', async () => metrics.close());
  observeRequests(app, 'admin');
  await registerOpenApi(app);

  const authenticate = adminAuthHook({ db: options.db, envTokenHash: options.envTokenHash });
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', authenticate);
      for (const register of [
        upstreamRoutes,
        apiRoutes,
        routeRoutes,
        policyRoutes,
        productRoutes,
        planRoutes,
        accountRoutes,
        applicationRoutes,
        keyRoutes,
        clientSecretRoutes,
        credentialRoutes,
        subscriptionRoutes,
        endUserRoutes,
        oauthScopeRoutes,
        identityProviderRoutes,
        oauthRoutes,
        configRoutes,
        tokenRoutes,
        adminUserRoutes,
        auditEventRoutes,
        sessionRoutes,
        usageRoutes,
        analyticsRoutes,
        alertRoutes,
        alertEventRoutes,
        developerRoutes,
        outboxRoutes,
        portalBrandingRoutes,
        portalSignupRoutes,
        portalPageRoutes,
        portalFieldRoutes,
        portalMessageRoutes,
      ]) {
        register(scope, options);
      }
      statusRoutes(scope, options);
      if (options.distributor) syncRoutes(scope, options.distributor, options.db);
    },
    { prefix: '/admin/v1' },
  );

  app.get('/', { schema: { hide: true } }, async () => ({
    name: 'Turnpike control plane',
    adminApi: '/admin/v1',
    openapi: '/admin/v1/openapi.json',
    console: '/console/',
  }));
  metricsRoute(app, metrics, authenticate);
  // The console: the web app for providers, on the admin API's origin so its session cookie and
  // CSRF token work as they do for scripts.
  serveWebApp(app, { root: 'web/dist/console', prefix: '/console' });
  return app;
}
