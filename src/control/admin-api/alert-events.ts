// /admin/v1/alert-events — the history of alerts, newest first, with each notification's fate.
// Read-only: events are made by the evaluator.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { alertEvent, alertEventFilter } from '../model/alert-event.ts';
import { getAlertEvent, listAlertEvents } from '../services/alert-events.ts';
import type { AdminContext } from './context.ts';
import { authErrors, pageQuery } from './resource.ts';

const page = z
  .object({
    data: z.array(alertEvent),
    next: z.string().nullable().describe('Cursor for the next (older) page; null on the last.'),
  })
  .meta({ id: 'AlertEventPage', description: 'A page of alert events, newest first.' });

export function alertEventRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/alert-events', {
    schema: {
      operationId: 'listAlertEvents',
      summary: 'List alert events',
      description: 'Rules that started firing or resolved, newest first; filters combine with AND.',
      tags: ['Alerts'],
      querystring: alertEventFilter.extend(pageQuery),
      response: {
        200: { description: 'A page of alert events.', content: { 'application/json': { schema: page } } },
        400: problemResponse('The request is invalid.'),
        ...authErrors,
      },
    },
    handler: async (request) => {
      const { limit, cursor, ...filter } = request.query as z.infer<typeof alertEventFilter> & {
        limit?: number;
        cursor?: string;
      };
      return listAlertEvents(ctx.db, filter, { limit: limit ?? 50, cursor });
    },
  });

  app.get('/alert-events/:event', {
    schema: {
      operationId: 'getAlertEvent',
      summary: 'Get an alert event',
      description: 'Returns one event with its deliveries as they stand.',
      tags: ['Alerts'],
      params: z.object({ event: z.string().min(1).max(200).describe('Id of the event (`ale_…`).') }),
      response: {
        200: { description: 'The event.', content: { 'application/json': { schema: alertEvent } } },
        ...authErrors,
        404: problemResponse('No such event.'),
      },
    },
    handler: async (request, reply) => {
      const { event } = request.params as { event: string };
      const found = await getAlertEvent(ctx.db, event);
      return found ?? sendProblem(reply, problem('not-found', `no alert event ${event}`));
    },
  });
}
