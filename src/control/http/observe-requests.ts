// Publishes every answered request of a control-plane server on the request channel, for its
// metrics. The route is Fastify's template (`/admin/v1/apis/:api`), never the URL, so the number
// of series stays bounded by the routes the server has.
import type { FastifyInstance } from 'fastify';
import { type ControlRequestEvent, controlRequestChannel } from '../metrics/channels.ts';

/** Every route of `app` and of its plugins; requests no route matched count under route ''. */
export function observeRequests(app: FastifyInstance, server: ControlRequestEvent['server']): void {
  app.addHook('onResponse', async (request, reply) => {
    if (!controlRequestChannel.hasSubscribers) return;
    controlRequestChannel.publish({
      server,
      method: request.method,
      route: request.routeOptions.url ?? '',
      status: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    } satisfies ControlRequestEvent);
  });
}
