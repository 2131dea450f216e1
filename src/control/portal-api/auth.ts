// Portal API authentication: the developer's session cookie. A write made with it must carry the
// session's CSRF token in `X-CSRF-Token`, so another site cannot make the browser write for it.
// Routes marked `portalPublic` (sign-up, sign-in, links from e-mails) need no session.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../shared/crypto.ts';
import { problem } from '../../shared/errors.ts';
import { hashSecret } from '../../shared/secrets.ts';
import { readCookie } from '../admin-api/auth.ts';
import { sendProblem } from '../http/problems.ts';
import { type DeveloperSession, findDeveloperSession, type Membership } from '../services/developers.ts';
import type { PortalContext } from './context.ts';

export const portalCookie = 'tp_portal';

declare module 'fastify' {
  interface FastifyRequest {
    developerSession: DeveloperSession | null;
  }
  interface FastifyContextConfig {
    /** No developer session needed. */
    portalPublic?: boolean;
    /** A session is needed, but not an account (a developer removed from every account). */
    portalNoAccount?: boolean;
  }
}

export function portalAuthHook(ctx: PortalContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const token = readCookie(request.headers.cookie, portalCookie);
    const session = token === undefined ? undefined : await findDeveloperSession(ctx.db, token);
    request.developerSession = session ?? null;
    if (request.routeOptions.config.portalPublic) return;
    if (!session) return sendProblem(reply, problem('unauthorized', 'sign in to the portal first'));
    if (!session.membership && !request.routeOptions.config.portalNoAccount)
      return sendProblem(
        reply,
        problem('forbidden', 'you belong to no account any more; ask an account owner for an invitation'),
      );
    if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method) && !hasCsrfToken(request, session))
      return sendProblem(reply, csrfProblem);
  };
}

export const csrfProblem = problem(
  'csrf-token-invalid',
  'a write made with the portal session needs its X-CSRF-Token header',
);

/** Does the request carry the session's CSRF token? For writes made with the cookie. */
export function hasCsrfToken(request: FastifyRequest, session: DeveloperSession): boolean {
  const csrf = request.headers['x-csrf-token'];
  return typeof csrf === 'string' && constantTimeEqual(hashSecret(csrf), session.csrfHash);
}

/** The signed-in developer's session; only called behind the hook, where there is one. */
export function sessionOf(request: FastifyRequest): DeveloperSession {
  const session = request.developerSession;
  if (!session) throw new Error('no developer session behind the portal auth hook');
  return session;
}

/** The account the developer acts for; a developer always has one (sign-up makes it). */
export function membershipOf(request: FastifyRequest): Membership {
  const membership = sessionOf(request).membership;
  if (!membership) throw new Error(`developer ${sessionOf(request).developer.id} belongs to no account`);
  return membership;
}

/** The cookie, marked Secure when the portal is reached over HTTPS (behind a TLS proxy). */
export function portalCookieHeader(request: FastifyRequest, value: string, maxAgeSeconds: number): string {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  return `${portalCookie}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}
