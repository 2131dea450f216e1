// /admin/v1/status: what a person or a probe wants to know about the control plane.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { version } from '../../shared/version.ts';
import { problemResponse } from '../http/problems.ts';
import { currentRevision } from '../services/write.ts';
import type { AdminContext } from './context.ts';

const statusSchema = z
  .object({
    version: z.string().describe('Turnpike version.'),
    store: z.enum(['pglite', 'postgres']).describe('Embedded PGlite or PostgreSQL.'),
    revision: z.int().describe('Configuration revision; increases with every change.'),
    snapshotVersion: z
      .int()
      .nullable()
      .describe('Revision of the configuration the local gateway is serving.'),
  })
  .meta({ id: 'Status', description: 'The state of the control plane.' });

export function statusRoutes(
  app: FastifyInstance,
  ctx: AdminContext & { store: 'pglite' | 'postgres'; snapshotVersion: () => number | undefined },
): void {
  app.get('/status', {
    schema: {
      operationId: 'getStatus',
      summary: 'Control-plane status',
      description: 'Version, store and configuration revision.',
      tags: ['Status'],
      response: { 200: statusSchema, 401: problemResponse('Missing or invalid admin token.') },
    },
    handler: async () => ({
      version,
      store: ctx.store,
      revision: await currentRevision(ctx.db),
      snapshotVersion: ctx.snapshotVersion() ?? null,
    }),
  });
}
