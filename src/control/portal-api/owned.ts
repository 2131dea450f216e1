// The developer's own application or subscription that a route names (`:application`,
// `:subscription`): looked up once, before the handler, and answered 404 when it belongs to
// another account, as if it did not exist, so ids of other accounts cannot be probed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import type { Subscription } from '../model/subscription.ts';
import { findApplication } from '../services/applications.ts';
import { getSubscription } from '../services/subscriptions.ts';
import { membershipOf } from './auth.ts';
import type { PortalContext } from './context.ts';

type ApplicationRow = NonNullable<Awaited<ReturnType<typeof findApplication>>>;

declare module 'fastify' {
  interface FastifyRequest {
    ownedApplication: ApplicationRow | null;
    ownedSubscription: Subscription | null;
  }
}

/** A preHandler: runs after the params are validated, before every portal API handler. */
export function ownedResourcesHook(ctx: PortalContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const params = (request.params ?? {}) as { application?: string; subscription?: string };
    if (params.application === undefined && params.subscription === undefined) return;
    // Routes with these params are behind the session and account checks of the auth hook.
    const accountId = membershipOf(request).account.id;
    if (params.application !== undefined) {
      const row = await findApplication(ctx.db, params.application);
      if (row?.accountId !== accountId)
        return sendProblem(reply, problem('not-found', `no application ${params.application}`));
      request.ownedApplication = row;
    }
    if (params.subscription !== undefined) {
      const found = await getSubscription(ctx.db, params.subscription);
      const application = found.ok ? await findApplication(ctx.db, found.value.applicationId) : undefined;
      if (!found.ok || application?.accountId !== accountId)
        return sendProblem(reply, problem('not-found', `no subscription ${params.subscription}`));
      request.ownedSubscription = found.value;
    }
  };
}

/** The route's application, checked by the hook; a handler of a route without one is a bug. */
export function ownedApplication(request: FastifyRequest): ApplicationRow {
  if (!request.ownedApplication) throw new Error('no :application on this route');
  return request.ownedApplication;
}

/** The route's subscription, checked by the hook. */
export function ownedSubscription(request: FastifyRequest): Subscription {
  if (!request.ownedSubscription) throw new Error('no :subscription on this route');
  return request.ownedSubscription;
}
