// /admin/v1/sync: how data-plane nodes (`turnpike gateway`) get their configuration. A node
// sends the version it serves and waits (long poll); the answer is nothing new, the changes
// since its version, or the whole snapshot when it is too far behind or has none.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemResponse } from '../http/problems.ts';
import type { Db } from '../services/context.ts';
import { recordKeyUse } from '../services/keys.ts';
import type { SnapshotDistributor } from '../sync/distributor.ts';

const answer = z
  .object({
    kind: z
      .enum(['full', 'delta'])
      .describe('full: `snapshot` holds everything; delta: the changes from `from` to `to`.'),
  })
  .catchall(z.unknown())
  .meta({ id: 'SyncAnswer', description: 'A configuration snapshot, or the changes since a version.' });

export function syncRoutes(app: FastifyInstance, distributor: SnapshotDistributor, db: Db): void {
  app.post('/sync/key-usage', {
    // Telemetry from the node, not a change of configuration: the node's gateway token sends it.
    config: { role: 'admin', gateway: true },
    schema: {
      operationId: 'reportKeyUsage',
      summary: 'Report keys a data-plane node accepted',
      description: 'Sets the last-used time of these keys to now. Sent by `turnpike gateway` every 15 s.',
      tags: ['Sync'],
      body: z.strictObject({
        ids: z.array(z.string().max(40)).max(100_000).describe('Ids of the keys (`key_…`).'),
      }),
      response: {
        204: z.undefined().describe('Recorded.'),
        400: problemResponse('The request is invalid.'),
        401: problemResponse('Missing or invalid token.'),
      },
    },
    handler: async (request, reply) => {
      await recordKeyUse(db, (request.body as { ids: string[] }).ids);
      return reply.code(204).send();
    },
  });

  // The whole snapshot is serialized once per version however many nodes ask for it.
  let cached: { version: number; body: string } | undefined;
  const full = () => {
    const latest = distributor.latest;
    if (latest === undefined) return undefined;
    if (cached?.version !== latest.version) {
      cached = { version: latest.version, body: JSON.stringify({ kind: 'full', snapshot: latest }) };
    }
    return cached.body;
  };

  app.get('/sync', {
    // The snapshot holds HMAC signing secrets: gateway tokens and admins only, not viewers.
    config: { role: 'admin', gateway: true },
    schema: {
      operationId: 'syncConfiguration',
      summary: 'Configuration for a data-plane node',
      description:
        'Long poll: answers at once when there is a newer configuration than `version`, else waits up to `wait` ms and answers 204.',
      tags: ['Sync'],
      querystring: z.object({
        version: z.coerce
          .number()
          .int()
          .min(0)
          .optional()
          .describe('The version the node serves; none for the whole snapshot.'),
        wait: z.coerce
          .number()
          .int()
          .min(0)
          .max(60_000)
          .optional()
          .meta({ default: 0 })
          .describe('Longest wait, ms.'),
      }),
      response: {
        200: {
          description: 'The configuration, whole or as changes.',
          content: { 'application/json': { schema: answer } },
        },
        204: z.undefined().describe('Nothing newer within the wait.'),
        401: problemResponse('Missing or invalid token.'),
      },
    },
    handler: async (request, reply) => {
      const { version, wait } = request.query as { version?: number; wait?: number };
      const closed = new AbortController();
      request.raw.once('close', () => closed.abort());
      const changed = await distributor.waitForChange(version, wait ?? 0, closed.signal);
      if (!changed) return reply.code(204).send();
      const catchup = distributor.changesSince(version);
      if (catchup.kind === 'none') return reply.code(204).send();
      const body = catchup.kind === 'full' ? full() : JSON.stringify(catchup);
      return reply.type('application/json').send(body);
    },
  });
}
