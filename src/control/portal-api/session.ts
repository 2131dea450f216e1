// /portal/v1 sign-up, e-mail verification, sign-in and sign-out, and password reset. Answers to
// "is this e-mail known?" never differ (sign-in failures, reset requests), and failed sign-ins
// are throttled per e-mail and address.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csrfTokenFor } from '../../shared/crypto.ts';
import { problem } from '../../shared/errors.ts';
import { readCookie } from '../admin-api/auth.ts';
import { sendProblem } from '../http/problems.ts';
import { SignInThrottle } from '../http/sign-in-throttle.ts';
import { customFieldValues } from '../model/portal-field.ts';
import {
  developerSessionLifetimeMs,
  endDeveloperSession,
  findDeveloperSession,
  type Membership,
  requestPasswordReset,
  resendVerification,
  resetPassword,
  signInDeveloper,
  signUp,
  switchAccount,
  verifyEmail,
} from '../services/developers.ts';
import { portalCookie, portalCookieHeader, sessionOf } from './auth.ts';
import type { PortalContext } from './context.ts';

const password = z.string().min(12, 'must be at least 12 characters').max(200);
const linkToken = z.string().min(1).max(200);

const signUpBody = z.strictObject({
  email: z.email().max(254),
  password,
  name: z.string().trim().min(1).max(100),
  organization: z.string().trim().min(1).max(100),
  accountFields: customFieldValues.optional(),
  developerFields: customFieldValues.optional(),
});
const signInBody = z.strictObject({ email: z.string().max(320), password: z.string().max(200) });

export function sessionRoutes(app: FastifyInstance, ctx: PortalContext): void {
  const throttle = new SignInThrottle();
  const open = { config: { portalPublic: true } };

  // A mail that cannot be sent is logged (never its link), and the answer stays the same: the
  // developer can ask again, and the answer does not say whether an address is known.
  const mailLink = async (to: string, subject: string, path: string, token: string, why: string) =>
    ctx
      .sendMail({
        to,
        subject,
        text: `${why}\n\n${ctx.portalUrl()}${path}?token=${encodeURIComponent(token)}\n\nIf you did not ask for this, ignore this e-mail.\n`,
      })
      .catch((error: unknown) => app.log.error({ err: error, to }, `sending "${subject}" failed`));
  const sendVerification = (to: string, token: string) =>
    mailLink(
      to,
      'Verify your e-mail address',
      '/verify-email',
      token,
      'Open this link within 24 hours to verify your e-mail address for the developer portal:',
    );

  app.post('/signup', { ...open, schema: { body: signUpBody } }, async (request, reply) => {
    const body = request.body as z.infer<typeof signUpBody>;
    const created = await signUp(ctx.db, body);
    if (!created.ok) return sendProblem(reply, created.problem);
    await ctx.changed();
    await sendVerification(created.value.developer.email, created.value.link);
    return reply.code(201).send({ developer: created.value.developer });
  });

  app.post(
    '/verify-email/resend',
    { ...open, schema: { body: z.strictObject({ email: z.string().max(320) }) } },
    async (request, reply) => {
      const { email } = request.body as { email: string };
      const token = await resendVerification(ctx.db, email);
      if (token !== undefined) await sendVerification(email.trim().toLowerCase(), token);
      return reply.code(202).send({ sent: true });
    },
  );

  app.post(
    '/verify-email',
    { ...open, schema: { body: z.strictObject({ token: linkToken }) } },
    async (request, reply) => {
      const verified = await verifyEmail(ctx.db, (request.body as { token: string }).token);
      if (!verified.ok) return sendProblem(reply, verified.problem);
      return { developer: verified.value };
    },
  );

  app.post('/session', { ...open, schema: { body: signInBody } }, async (request, reply) => {
    const { email, password: given } = request.body as z.infer<typeof signInBody>;
    const attempt = SignInThrottle.key(email, request.ip);
    const verdict = throttle.attempt(attempt);
    if (!verdict.allowed)
      return sendProblem(
        reply.header('retry-after', String(verdict.retryAfterSeconds)),
        problem(
          'sign-in-throttled',
          `too many failed sign-ins for this e-mail from this address; try again in ${verdict.retryAfterSeconds} s`,
        ),
      );
    const signedIn = await signInDeveloper(ctx.db, email, given);
    if (!signedIn.ok) return sendProblem(reply, signedIn.problem);
    throttle.succeeded(attempt);
    return sendNewSession(ctx, request, reply, signedIn.value.token);
  });

  const anyAccount = { config: { portalNoAccount: true } };

  app.get('/session', anyAccount, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return sessionAnswer(request, csrfTokenFor(sessionCookieOf(request)));
  });

  app.put(
    '/session/account',
    { ...anyAccount, schema: { body: z.strictObject({ accountId: z.string().max(64) }) } },
    async (request, reply) => {
      const switched = await switchAccount(
        ctx.db,
        sessionOf(request),
        (request.body as { accountId: string }).accountId,
      );
      if (!switched.ok) return sendProblem(reply, switched.problem);
      return freshSessionAnswer(ctx, request);
    },
  );

  app.delete('/session', anyAccount, async (request, reply) => {
    await endDeveloperSession(ctx.db, sessionOf(request).sessionId);
    return reply
      .code(204)
      .header('set-cookie', portalCookieHeader(request, '', 0))
      .send();
  });

  app.post(
    '/password-reset',
    { ...open, schema: { body: z.strictObject({ email: z.string().max(320) }) } },
    async (request, reply) => {
      const { email } = request.body as { email: string };
      const token = await requestPasswordReset(ctx.db, email);
      if (token !== undefined)
        await mailLink(
          email.trim().toLowerCase(),
          'Reset your password',
          '/reset-password',
          token,
          'Open this link within an hour to choose a new password for the developer portal:',
        );
      return reply.code(202).send({ sent: true });
    },
  );

  app.post(
    '/password-reset/confirm',
    { ...open, schema: { body: z.strictObject({ token: linkToken, password }) } },
    async (request, reply) => {
      const { token, password: chosen } = request.body as { token: string; password: string };
      const reset = await resetPassword(ctx.db, token, chosen);
      if (!reset.ok) return sendProblem(reply, reset.problem);
      return reply.code(204).send();
    },
  );
}

const sessionCookieOf = (request: FastifyRequest) => readCookie(request.headers.cookie, portalCookie) ?? '';

/** The session answer, read again after a change: a new session, another account. */
export async function freshSessionAnswer(
  ctx: PortalContext,
  request: FastifyRequest,
  token = sessionCookieOf(request),
) {
  request.developerSession = (await findDeveloperSession(ctx.db, token)) ?? null;
  return sessionAnswer(request, csrfTokenFor(token));
}

/** A session just started (sign-in, a newcomer accepting an invitation): its cookie and answer. */
export async function sendNewSession(
  ctx: PortalContext,
  request: FastifyRequest,
  reply: FastifyReply,
  token: string,
) {
  const answer = await freshSessionAnswer(ctx, request, token);
  return reply
    .code(201)
    .header('set-cookie', portalCookieHeader(request, token, developerSessionLifetimeMs / 1000))
    .header('cache-control', 'no-store')
    .send(answer);
}

/** The session as the portal sees it; account and role are null for a developer in no account. */
export function sessionAnswer(request: FastifyRequest, csrfToken: string) {
  const { developer, membership, memberships } = sessionOf(request);
  const accountOf = (m: Membership) => ({ id: m.account.id, name: m.account.name, state: m.account.state });
  return {
    developer,
    account: membership ? accountOf(membership) : null,
    role: membership?.role ?? null,
    accounts: memberships.map((m) => ({ ...accountOf(m), role: m.role })),
    csrfToken,
  };
}
