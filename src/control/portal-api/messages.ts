// /portal/v1/messages: questions and bug reports to the provider, from signed-in developers (the
// sender is the developer and their account; the CSRF token is needed, as for any write) or from
// anyone who gives an e-mail address. At most 5 per sender and hour, counted in this process's
// memory: a restart or another control-plane process starts its own count.
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import { ok, problem } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { SignInThrottle } from '../http/sign-in-throttle.ts';
import { supportMessageInput } from '../model/support-message.ts';
import { normalizeEmail } from '../services/admin-users.ts';
import { createSupportMessage, type Sender } from '../services/support-messages.ts';
import { write } from '../services/write.ts';
import { csrfProblem, hasCsrfToken } from './auth.ts';
import type { PortalContext } from './context.ts';

export const messagesPerHour = 5;

const noEmail = 'give an e-mail address to be answered at, or sign in';
const emailMissing = problem('validation-failed', `body.email: ${noEmail}`, {
  errors: [{ path: 'body.email', message: noEmail }],
});

export function messageRoutes(app: FastifyInstance, ctx: PortalContext): void {
  // The sign-in throttle's fixed window, counting every message instead of failures.
  const limit = new SignInThrottle({ maxFailures: messagesPerHour, windowMs: 3_600_000 });

  app.post(
    '/messages',
    { config: { portalPublic: true }, schema: { body: supportMessageInput } },
    async (request, reply) => {
      const { email, ...message } = request.body as z.infer<typeof supportMessageInput>;
      const session = request.developerSession;
      if (session && !hasCsrfToken(request, session)) return sendProblem(reply, csrfProblem);
      let sender: Sender;
      if (session)
        sender = {
          email: session.developer.email,
          developerId: session.developer.id,
          accountId: session.membership?.account.id ?? null,
        };
      else if (email) sender = { email: normalizeEmail(email), developerId: null, accountId: null };
      else return sendProblem(reply, emailMissing);
      const verdict = limit.attempt(sender.developerId ?? `email:${sender.email}`);
      if (!verdict.allowed)
        return sendProblem(
          reply.header('retry-after', String(verdict.retryAfterSeconds)),
          problem(
            'rate-limited',
            `at most ${messagesPerHour} messages an hour; try again in ${verdict.retryAfterSeconds} s`,
          ),
        );
      // Not configuration: no new revision, nothing for the gateways to wait for.
      const created = await write(ctx.db, async (tx) => ok(await createSupportMessage(tx, message, sender)), {
        changed: () => false,
      });
      if (!created.ok) return sendProblem(reply, created.problem);
      return reply.code(201).send({ id: created.value.id, createdAt: created.value.createdAt });
    },
  );
}
