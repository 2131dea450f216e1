// The developer portal (port 8002): the authorization server under /oauth, and for now a page
// saying what runs where; the portal app and its API grow here.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { version } from '../../shared/version.ts';
import { closeConnectionsWhenIdle } from '../http/graceful-close.ts';
import { frameworkErrorHandler, installProblemHandlers } from '../http/problems.ts';
import { type AuthorizationServer, oauthPrefix } from '../oauth/authorization-server.ts';

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
  links: () => PortalLinks,
  oauth: () => AuthorizationServer | undefined = () => undefined,
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
  app.get('/', async (_request, reply) => reply.type('text/html; charset=utf-8').send(page(links())));
  return app;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

function page(links: PortalLinks): string {
  const row = (name: string, url: string, what: string) =>
    `<tr><th scope="row">${name}</th><td><code>${escapeHtml(url)}</code></td><td>${what}</td></tr>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Turnpike developer portal</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 46rem; margin: 3rem auto; padding: 0 1rem; color: #1d2433; line-height: 1.5; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #dde2ea; vertical-align: top; }
  code { background: #f1f4f8; padding: .1rem .3rem; border-radius: 4px; }
</style>
</head>
<body>
<main>
<h1>Turnpike developer portal</h1>
<p>Turnpike ${escapeHtml(version)} is running. The self-service portal (sign-up, API documentation with try-it, applications and keys, plans, usage) will live on this page.</p>
<h2>What runs here</h2>
<table>
${row('Gateway', links.gateway, 'Calls to your APIs, with an <code>X-API-Key</code> header.')}
${row('Admin API', `${links.admin}/admin/v1`, `For providers; described at <code>${escapeHtml(links.admin)}/admin/v1/openapi.json</code>.`)}
${row('Status', links.status, '<code>/health</code> and <code>/ready</code> for probes.')}
</table>
</main>
</body>
</html>
`;
}
