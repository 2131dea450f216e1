// /admin/v1/outbox: the mails the control plane wrote to its development outbox instead of
// sending them (no SMTP server configured), so a developer or a test can read the links in them.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { listOutbox, outboxEntry, outboxMessage, outboxSize, readOutboxMessage } from '../mail/outbox.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';

const outboxQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(outboxSize)
    .optional()
    .meta({ default: 100 })
    .describe('How many of the newest messages to list.'),
});

const outboxList = z
  .object({
    data: z.array(outboxEntry.meta({ id: 'OutboxEntry', description: 'A message, without its body.' })),
    smtp: z.boolean().describe('True when mails go out through an SMTP server; the outbox then stays empty.'),
  })
  .meta({ id: 'OutboxList', description: 'The newest messages in the outbox, newest first.' });

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

export function outboxRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/outbox', {
    schema: {
      operationId: 'listOutbox',
      summary: 'List the outbox',
      description: `Mails written to the development outbox, newest first (it keeps the newest ${outboxSize}). Empty when mails go out through SMTP.`,
      tags: ['Outbox'],
      querystring: outboxQuery,
      response: {
        200: json('The newest messages.', outboxList),
        400: problemResponse('The request is invalid.'),
        ...authErrors,
      },
    },
    handler: async (request) => {
      const { limit } = request.query as z.infer<typeof outboxQuery>;
      const mail = ctx.mail;
      if (!mail || mail.smtp) return { data: [], smtp: mail?.smtp ?? false };
      return { data: await listOutbox(mail.outboxDir, { limit: limit ?? 100 }), smtp: false };
    },
  });

  app.get('/outbox/:message', {
    schema: {
      operationId: 'getOutboxMessage',
      summary: 'Read a message in the outbox',
      description: 'The whole message, bodies included.',
      tags: ['Outbox'],
      params: z.object({ message: z.string().min(1).max(200).describe('Id of the message (`msg_…`).') }),
      response: {
        200: json('The message.', outboxMessage.meta({ id: 'OutboxMessage', description: 'A mail.' })),
        ...authErrors,
        404: problemResponse('No such message.'),
      },
    },
    handler: async (request, reply) => {
      const { message } = request.params as { message: string };
      const found =
        ctx.mail && !ctx.mail.smtp ? await readOutboxMessage(ctx.mail.outboxDir, message) : undefined;
      return found ?? sendProblem(reply, problem('not-found', `no message ${message} in the outbox`));
    },
  });
}
