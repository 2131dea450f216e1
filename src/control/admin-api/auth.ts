// Admin API authentication and authorization. A caller is one of:
// - `Authorization: Bearer <token>`: TURNPIKE_ADMIN_TOKEN (an owner, held only as a hash in
//   memory) or an admin token from the store (by hash; its role, expiry and last use);
// - the console's session cookie, for an admin user signed in with a password; a write made
//   with it must also carry the session's CSRF token in `X-CSRF-Token`.
// Then the route's role is checked: viewer for reads, editor for writes, unless it says more.
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../shared/crypto.ts';
import { problem } from '../../shared/errors.ts';
import { hashSecret, isWellFormedAdminToken } from '../../shared/secrets.ts';
import type { Db } from '../../store/db.ts';
import { adminTokens } from '../../store/schema/index.ts';
import { sendProblem } from '../http/problems.ts';
import { findSession } from '../services/admin-sessions.ts';
import { mayCall, type Principal, requiredRole } from './roles.ts';

export interface AdminAuthOptions {
  db: Db;
  /** SHA-256 of TURNPIKE_ADMIN_TOKEN, when set. */
  envTokenHash?: string | undefined;
}

export const sessionCookie = 'tp_admin_session';

/** A token's last use is written at most this often. */
const lastUsedResolutionMs = 60_000;

type Found = Principal | { denied: string } | { badCsrf: true };

export function adminAuthHook(options: AdminAuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.routeOptions.config.public) return;
    const found = await identify(options, request);
    if ('badCsrf' in found) {
      return sendProblem(
        reply,
        problem('csrf-token-invalid', 'a write made with the session cookie needs its X-CSRF-Token header'),
      );
    }
    if ('denied' in found) {
      reply.header('www-authenticate', 'Bearer realm="turnpike-admin"');
      return sendProblem(reply, problem('unauthorized', found.denied));
    }
    request.principal = found;
    const needed = requiredRole(request);
    if (!mayCall(found.role, needed, request.routeOptions.config.gateway === true)) {
      return sendProblem(
        reply,
        problem('forbidden', `this needs the ${needed} role; ${describe(found)} has the ${found.role} role`),
      );
    }
  };
}

async function identify(options: AdminAuthOptions, request: FastifyRequest): Promise<Found> {
  const via = /^turnpike-cli\//.test(request.headers['user-agent'] ?? '') ? 'cli' : 'admin-api';
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    // The scheme name is case-insensitive (RFC 9110 section 11.1).
    const token = /^bearer +(\S+)\s*$/i.exec(authorization)?.[1];
    if (!token) return { denied: 'send the admin token as "Authorization: Bearer <token>"' };
    const hash = hashSecret(token);
    if (options.envTokenHash && constantTimeEqual(hash, options.envTokenHash))
      return { kind: 'env-token', id: null, name: 'TURNPIKE_ADMIN_TOKEN', role: 'owner', via };
    // Generated tokens carry a checksum: anything else is refused without a database query.
    if (!isWellFormedAdminToken(token)) return { denied: 'the admin token is not valid' };
    const [row] = await options.db.select().from(adminTokens).where(eq(adminTokens.hash, hash));
    if (!row) return { denied: 'the admin token is not valid' };
    const now = Date.now();
    if (row.expiresAt !== null && row.expiresAt.getTime() <= now)
      return { denied: 'the admin token has expired' };
    if (row.lastUsedAt === null || now - row.lastUsedAt.getTime() >= lastUsedResolutionMs)
      await options.db
        .update(adminTokens)
        .set({ lastUsedAt: new Date(now) })
        .where(eq(adminTokens.id, row.id));
    return { kind: 'token', id: row.id, name: row.name, role: row.role, via };
  }
  const cookie = readCookie(request.headers.cookie, sessionCookie);
  if (cookie === undefined) return { denied: 'send the admin token as "Authorization: Bearer <token>"' };
  const session = await findSession(options.db, cookie);
  if (!session) return { denied: 'the session has ended; sign in again' };
  // Cookies ride along on requests other sites make the browser send; a write must prove it
  // comes from the console by echoing the token only the console was given.
  if (!['GET', 'HEAD', 'OPTIONS'].includes(request.method)) {
    const csrf = request.headers['x-csrf-token'];
    if (typeof csrf !== 'string' || !constantTimeEqual(hashSecret(csrf), session.csrfHash)) {
      return { badCsrf: true };
    }
  }
  const { user } = session;
  return {
    kind: 'user',
    id: user.id,
    name: user.email,
    role: user.role,
    via: 'console',
    sessionId: session.sessionId,
  };
}

function describe(principal: Principal): string {
  if (principal.kind === 'env-token') return 'TURNPIKE_ADMIN_TOKEN';
  return principal.kind === 'token' ? `the token "${principal.name}"` : `the user ${principal.name}`;
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
