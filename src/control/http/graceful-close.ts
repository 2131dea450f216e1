// Fastify's close() closes idle keep-alive connections once, when it starts. A connection whose
// request is in flight at that moment stays open after its answer, idle, until the keep-alive
// timeout (72 s), and close() waits for it: a stop during an admin call took over a minute.
// While closing, answers say `Connection: close` and connections are closed as they turn idle.
import type { FastifyInstance } from 'fastify';

export function closeConnectionsWhenIdle(app: FastifyInstance): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (request, reply) => {
    if (closing && request.raw.httpVersionMajor === 1) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async () => {
    // An answer that was already on its way when closing began went out as keep-alive.
    if (closing) setImmediate(() => app.server.closeIdleConnections());
  });
}
