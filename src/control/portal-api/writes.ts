// How the portal API changes configuration: in one transaction with an audit event naming the
// developer (via `portal`), then waiting until the gateways serve the change, as admin writes do.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { type DeveloperAuditActor, recordAudit } from '../services/audit.ts';
import type { Db } from '../services/context.ts';
import { write } from '../services/write.ts';
import { membershipOf, sessionOf } from './auth.ts';
import type { PortalContext } from './context.ts';

export function developerActor(request: FastifyRequest): DeveloperAuditActor {
  const { developer } = sessionOf(request);
  return {
    kind: 'developer',
    id: developer.id,
    name: developer.email,
    role: membershipOf(request).role,
    via: 'portal',
    requestId: String(request.id),
    clientIp: request.ip,
  };
}

export interface PortalWrite<T> {
  action: string;
  objectType: string;
  /** The change; its value's `id` names the object in the audit event. */
  work: (tx: Db) => Promise<Result<T>>;
  before?: unknown;
  /** False for what gateways do not need (client secrets): no new revision, no waiting. */
  configuration?: boolean;
}

/** Runs the write, records it, waits for the gateways; sends the problem when it fails. */
export async function portalWrite<T extends { id: string }>(
  ctx: PortalContext,
  request: FastifyRequest,
  reply: FastifyReply,
  change: PortalWrite<T>,
): Promise<T | undefined> {
  const configuration = change.configuration ?? true;
  const result = await write(
    ctx.db,
    async (tx) => {
      const done = await change.work(tx);
      if (done.ok)
        await recordAudit(tx, developerActor(request), {
          action: change.action,
          objectType: change.objectType,
          objectId: done.value.id,
          before: change.before,
          after: change.action === 'delete' ? null : done.value,
        });
      return done;
    },
    configuration ? {} : { changed: () => false },
  );
  if (!result.ok) {
    sendProblem(reply, result.problem);
    return undefined;
  }
  if (configuration) await ctx.changed();
  return result.value;
}
