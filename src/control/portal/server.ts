// The developer portal (port 8002): the web app at /, its API under /portal/v1, and the
// authorization server under /oauth.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { closeConnectionsWhenIdle } from '../http/graceful-close.ts';
import { observeRequests } from '../http/observe-requests.ts';
import { frameworkErrorHandler, installProblemHandlers } from '../http/problems.ts';
import { serveWebApp } from '../http/web-app.ts';
import { type AuthorizationServer, oauthPrefix } from '../oauth/authorization-server.ts';
import type { PortalContext } from '../portal-api/context.ts';
import { registerPortalApi } from '../portal-api/routes.ts';

export interface PortalLinks {
  gateway: string;
  admin: string;
  status: string;
}

/**
 * `oauth` gives the authorization server once it runs (it needs the portal's address for its
 * issuer, so it starts after the portal listens); /oauth answers 503 before then.
 */
export async function createPortal(
  logger: Logger,
  oauth: () => AuthorizationServer | undefined = () => undefined,
  api?: PortalContext,
): Promise<FastifyInstance> {
  // /oauth bypasses Fastify: oidc-provider reads request bodies itself and writes its own answers.
  const serverFactory = (fastify: (req: IncomingMessage, res: ServerResponse) => void) =>
    createServer((req, res) => {
      const url = req.url ?? '';
      if (url !== oauthPrefix && !url.startsWith(`${oauthPrefix}/`) && !url.startsWith(`${oauthPrefix}?`)) {
        fastify(req, res);
        return;
      }
      const server = oauth();
      if (server === undefined) {
        res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': '1' });
        res.end('The authorization server is starting.');
        return;
      }
      server.handle(req, res).catch((error: unknown) => {
        logger.error({ err: error }, 'the authorization server failed on a request');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end();
      });
    });
  const app = Fastify({
    serverFactory,
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => randomUUID(),
    frameworkErrors: frameworkErrorHandler,
  }) as unknown as FastifyInstance;
  installProblemHandlers(app);
  closeConnectionsWhenIdle(app);
  // Counted by the admin server's /metrics (the portal port serves no metrics of its own).
  observeRequests(app, 'portal');
  if (api) await registerPortalApi(app, api);
  serveWebApp(app, { root: 'web/dist/portal', prefix: '/' });
  return app;
}
