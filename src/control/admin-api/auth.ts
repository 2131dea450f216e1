// Admin API authentication: `Authorization: Bearer <admin token>`. The bootstrap token from
// TURNPIKE_ADMIN_TOKEN is held only as a hash in memory; generated tokens only as hashes in the
// store. Comparison is by hash, and the env token's hash is compared in constant time.
import { eq } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '../../shared/crypto.ts';
import { problem } from '../../shared/errors.ts';
import { hashSecret, isWellFormedAdminToken } from '../../shared/secrets.ts';
import type { Db } from '../../store/db.ts';
import { adminTokens } from '../../store/schema/index.ts';
import { sendProblem } from '../http/problems.ts';

export interface AdminAuthOptions {
  db: Db;
  /** SHA-256 of TURNPIKE_ADMIN_TOKEN, when set. */
  envTokenHash?: string | undefined;
}

export function adminAuthHook(options: AdminAuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    // The scheme name is case-insensitive (RFC 9110 section 11.1).
    const match = /^bearer +(\S+)\s*$/i.exec(request.headers.authorization ?? '');
    const token = match?.[1];
    if (!token) return deny(reply, 'send the admin token as "Authorization: Bearer <token>"');
    const hash = hashSecret(token);
    if (options.envTokenHash && constantTimeEqual(hash, options.envTokenHash)) return;
    // Generated tokens carry a checksum: anything else is refused without a database query.
    if (!isWellFormedAdminToken(token)) return deny(reply, 'the admin token is not valid');
    const [row] = await options.db
      .select({ id: adminTokens.id })
      .from(adminTokens)
      .where(eq(adminTokens.hash, hash));
    if (!row) return deny(reply, 'the admin token is not valid');
  };
}

function deny(reply: FastifyReply, detail: string) {
  reply.header('www-authenticate', 'Bearer realm="turnpike-admin"');
  return sendProblem(reply, problem('unauthorized', detail));
}
