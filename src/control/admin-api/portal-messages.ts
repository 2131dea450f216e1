// /admin/v1/portal/messages — the support inbox: questions and bug reports from the portal,
// newest first. Editors mark them read or archived; nobody edits or deletes what was sent.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { supportMessage, supportMessageState, supportMessageUpdate } from '../model/support-message.ts';
import { recordAudit } from '../services/audit.ts';
import {
  getSupportMessage,
  listSupportMessages,
  setSupportMessageState,
} from '../services/support-messages.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { authErrors, pageQuery } from './resource.ts';
import { actorOf } from './roles.ts';

const tags = ['Portal messages'];
const page = z
  .object({
    data: z.array(supportMessage),
    next: z.string().nullable().describe('Cursor for the next (older) page; null on the last.'),
  })
  .meta({ id: 'SupportMessagePage', description: 'A page of support messages, newest first.' });
const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const params = z.object({ message: z.string().min(1).max(200).describe('Id of the message (`sup_…`).') });
const filter = z.object({ state: supportMessageState.optional() });
const notFound = problemResponse('No such message.');

export function portalMessageRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/portal/messages', {
    schema: {
      operationId: 'listSupportMessages',
      summary: 'List support messages',
      description: 'Messages developers and visitors sent from the portal, newest first.',
      tags,
      querystring: filter.extend(pageQuery),
      response: {
        200: json('A page of messages.', page),
        400: problemResponse('The request is invalid.'),
        ...authErrors,
      },
    },
    handler: async (request) => {
      const { limit, cursor, ...rest } = request.query as z.infer<typeof filter> & {
        limit?: number;
        cursor?: string;
      };
      return listSupportMessages(ctx.db, rest, { limit: limit ?? 50, cursor });
    },
  });

  app.get('/portal/messages/:message', {
    schema: {
      operationId: 'getSupportMessage',
      summary: 'Get a support message',
      description: 'Returns one message.',
      tags,
      params,
      response: { 200: json('The message.', supportMessage), ...authErrors, 404: notFound },
    },
    handler: async (request, reply) => {
      const found = await getSupportMessage(ctx.db, (request.params as z.infer<typeof params>).message);
      return found.ok ? found.value : sendProblem(reply, found.problem);
    },
  });

  app.patch('/portal/messages/:message', {
    schema: {
      operationId: 'updateSupportMessage',
      summary: 'Mark a support message',
      description: 'Sets its state: `new`, `read` or `archived`.',
      tags,
      params,
      body: supportMessageUpdate,
      response: {
        200: json('The message as changed.', supportMessage),
        400: problemResponse('The request is invalid; `errors` names each bad field.'),
        ...authErrors,
        404: notFound,
        409: problemResponse('A concurrent change conflicted; try again.'),
      },
    },
    handler: async (request, reply) => {
      const { message } = request.params as z.infer<typeof params>;
      const { state } = request.body as z.infer<typeof supportMessageUpdate>;
      const actor = actorOf(request);
      const result = await write(
        ctx.db,
        async (tx) => {
          const before = await getSupportMessage(tx, message);
          if (!before.ok) return before;
          const after = await setSupportMessageState(tx, before.value.id, state);
          if (after.ok)
            await recordAudit(tx, actor, {
              action: 'update',
              objectType: 'support-message',
              objectId: before.value.id,
              // The state is what changed; the message itself stays out of the audit trail.
              before: { state: before.value.state },
              after: { state: after.value.state },
            });
          return after;
        },
        { changed: () => false },
      );
      return result.ok ? result.value : sendProblem(reply, result.problem);
    },
  });
}
