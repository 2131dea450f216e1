// /admin/v1/session — who is calling (any token or session), and the console's sign-in and
// sign-out for admin users. The session cookie is HttpOnly and SameSite=Strict; writes made
// with it also need the CSRF token handed out at sign-in.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csrfTokenFor } from '../../shared/crypto.ts';
import { problem } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { SignInThrottle } from '../http/sign-in-throttle.ts';
import { session, signIn as signInBody } from '../model/admin.ts';
import { endSession, sessionLifetimeMs, signIn } from '../services/admin-sessions.ts';
import { recordAudit } from '../services/audit.ts';
import { readCookie, sessionCookie } from './auth.ts';
import type { AdminContext } from './context.ts';
import { authErrors } from './resource.ts';
import { actorOf } from './roles.ts';

const json = (description: string) => ({ description, content: { 'application/json': { schema: session } } });

/** The cookie is marked Secure when the console is reached over HTTPS (behind a TLS proxy). */
function cookie(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${sessionCookie}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`;
}

export function sessionRoutes(app: FastifyInstance, ctx: AdminContext): void {
  // Per admin API server: failed sign-ins slow down guessing (src/control/http/sign-in-throttle.ts).
  const throttle = new SignInThrottle();
  app.get('/session', {
    config: { role: 'viewer' },
    schema: {
      operationId: 'getSession',
      summary: 'Who am I',
      description: 'The token or signed-in user making the call, and its role.',
      tags: ['Session'],
      response: { 200: json('The caller.'), ...authErrors },
    },
    handler: async (request, reply) => {
      // Behind authentication: the caller is always known here.
      const { kind, id, name, role } = actorOf(request);
      // A console session gets its CSRF token again, so a reloaded console needs no stored copy.
      const cookie = request.principal?.sessionId
        ? readCookie(request.headers.cookie, sessionCookie)
        : undefined;
      reply.header('cache-control', 'no-store');
      return { kind, id, name, role, ...(cookie !== undefined && { csrfToken: csrfTokenFor(cookie) }) };
    },
  });

  app.post('/session', {
    config: { public: true },
    schema: {
      operationId: 'signIn',
      summary: 'Sign in',
      description:
        'Checks an admin user’s email and password, sets the session cookie and returns the CSRF token to send as `X-CSRF-Token` with writes.',
      tags: ['Session'],
      body: signInBody,
      response: {
        201: json('Signed in.'),
        400: problemResponse('The request is invalid.'),
        401: problemResponse('The email or the password is wrong.'),
        429: problemResponse('Too many failed sign-ins for this email from this address; see Retry-After.'),
      },
    },
    handler: async (request, reply) => {
      const { email, password } = request.body as z.infer<typeof signInBody>;
      const attempt = SignInThrottle.key(email, request.ip);
      const verdict = throttle.attempt(attempt);
      if (!verdict.allowed) {
        const detail = `too many failed sign-ins for this email from this address; try again in ${verdict.retryAfterSeconds} s`;
        return sendProblem(
          reply.header('retry-after', String(verdict.retryAfterSeconds)),
          problem('sign-in-throttled', detail),
        );
      }
      const result = await signIn(ctx.db, email, password);
      if (!result.ok) return sendProblem(reply, result.problem);
      throttle.succeeded(attempt);
      const { user, sessionId, token, csrfToken } = result.value;
      await recordAudit(
        ctx.db,
        {
          kind: 'user',
          id: user.id,
          name: user.email,
          role: user.role,
          via: 'console',
          requestId: String(request.id),
          clientIp: request.ip,
        },
        { action: 'sign-in', objectType: 'admin-session', objectId: sessionId },
      );
      return reply
        .code(201)
        .header('set-cookie', cookie(request, token, sessionLifetimeMs / 1000))
        .header('cache-control', 'no-store')
        .send({ kind: 'user', id: user.id, name: user.email, role: user.role, csrfToken });
    },
  });

  app.delete('/session', {
    config: { role: 'viewer' },
    schema: {
      operationId: 'signOut',
      summary: 'Sign out',
      description: 'Ends the console session and clears its cookie. With a token, does nothing.',
      tags: ['Session'],
      response: { 204: z.undefined().describe('Signed out.'), ...authErrors },
    },
    handler: async (request, reply) => {
      const sessionId = request.principal?.sessionId;
      if (sessionId) {
        await endSession(ctx.db, sessionId);
        await recordAudit(ctx.db, actorOf(request), {
          action: 'sign-out',
          objectType: 'admin-session',
          objectId: sessionId,
        });
      }
      return reply
        .code(204)
        .header('set-cookie', cookie(request, '', 0))
        .send();
    },
  });
}
