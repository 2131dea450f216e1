// /admin/v1/audit-events — the audit trail, newest first. Read-only: nobody edits history.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { auditEvent, auditFilter } from '../model/audit.ts';
import { getAuditEvent, listAuditEvents } from '../services/audit.ts';
import type { AdminContext } from './context.ts';
import { authErrors, pageQuery } from './resource.ts';

const page = z
  .object({
    data: z.array(auditEvent),
    next: z.string().nullable().describe('Cursor for the next (older) page; null on the last.'),
  })
  .meta({ id: 'AuditEventPage', description: 'A page of audit events, newest first.' });

export function auditEventRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/audit-events', {
    schema: {
      operationId: 'listAuditEvents',
      summary: 'List audit events',
      description:
        'Every write through the admin API, the CLI and the console, newest first; filters combine with AND.',
      tags: ['Audit'],
      querystring: auditFilter.extend(pageQuery),
      response: {
        200: { description: 'A page of audit events.', content: { 'application/json': { schema: page } } },
        400: problemResponse('The request is invalid.'),
        ...authErrors,
      },
    },
    handler: async (request) => {
      const { limit, cursor, ...filter } = request.query as z.infer<typeof auditFilter> & {
        limit?: number;
        cursor?: string;
      };
      return listAuditEvents(ctx.db, filter, { limit: limit ?? 50, cursor });
    },
  });

  app.get('/audit-events/:event', {
    schema: {
      operationId: 'getAuditEvent',
      summary: 'Get an audit event',
      description: 'Returns one audit event.',
      tags: ['Audit'],
      params: z.object({ event: z.string().min(1).max(200).describe('Id of the event (`aud_…`).') }),
      response: {
        200: { description: 'The event.', content: { 'application/json': { schema: auditEvent } } },
        ...authErrors,
        404: problemResponse('No such event.'),
      },
    },
    handler: async (request, reply) => {
      const { event } = request.params as { event: string };
      const found = await getAuditEvent(ctx.db, event);
      return found ?? sendProblem(reply, problem('not-found', `no audit event ${event}`));
    },
  });
}
