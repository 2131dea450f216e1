// GET /metrics on the admin port: the control plane's metrics for Prometheus. Unlike the
// gateway's status port, the admin port serves the configuration, so the scrape needs an admin
// token (any role: a `viewer` token is the least it takes) and is kept out of the OpenAPI document
// like the port's other paths outside /admin/v1.
import type { FastifyInstance, onRequestHookHandler } from 'fastify';
import type { ControlMetrics } from './control-metrics.ts';

/** Prometheus text exposition format 0.0.4, as the gateway's status port answers. */
export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsRoute(
  app: FastifyInstance,
  metrics: ControlMetrics,
  authenticate: onRequestHookHandler,
): void {
  app.get('/metrics', {
    // The least role, and gateway tokens too: the metrics hold no configuration.
    config: { role: 'viewer', gateway: true },
    schema: { hide: true },
    onRequest: authenticate,
    handler: async (_request, reply) =>
      reply
        .type(metricsContentType)
        .header('cache-control', 'no-store')
        .send(await metrics.render()),
  });
}
