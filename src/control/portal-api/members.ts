// /portal/v1/account/members and invitations: an account as an organization of developers.
// Accepting an invitation is public (the link's token is the proof); a registered developer
// accepts it signed in, a new one registers with it.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { customFieldValues } from '../model/portal-field.ts';
import { actFor } from '../services/developers.ts';
import {
  acceptInvitation,
  changeMemberRole,
  invite,
  listInvitations,
  listMembers,
  type MemberActor,
  previewInvitation,
  removeMember,
  withdrawInvitation,
} from '../services/members.ts';
import { csrfProblem, hasCsrfToken, membershipOf, sessionOf } from './auth.ts';
import type { PortalContext } from './context.ts';
import { freshSessionAnswer, sendNewSession } from './session.ts';
import { portalWrite } from './writes.ts';

const role = z.enum(['owner', 'admin', 'member']);
const memberParams = z.object({ developer: z.string().max(64) });
const invitationParams = z.object({ invitation: z.string().max(64) });
const inviteBody = z.strictObject({ email: z.email().max(254), role });
const acceptBody = z.strictObject({
  token: z.string().min(1).max(200),
  name: z.string().trim().min(1).max(100).optional(),
  password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  developerFields: customFieldValues.optional(),
});

function actorOf(request: FastifyRequest): MemberActor {
  const { account, role: actorRole } = membershipOf(request);
  return { developerId: sessionOf(request).developer.id, accountId: account.id, role: actorRole };
}

export function memberRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.get('/account/members', async (request) => ({
    data: await listMembers(ctx.db, membershipOf(request).account.id),
  }));

  app.patch(
    '/account/members/:developer',
    { schema: { params: memberParams, body: z.strictObject({ role }) } },
    async (request, reply) => {
      const { developer } = request.params as { developer: string };
      const { role: wanted } = request.body as { role: z.infer<typeof role> };
      const changed = await portalWrite(ctx, request, reply, {
        action: 'update',
        objectType: 'account-member',
        work: async (tx) => {
          const done = await changeMemberRole(tx, actorOf(request), developer, wanted);
          return done.ok ? ok({ id: developer, ...done.value }) : done;
        },
      });
      if (!changed) return undefined;
      const { id: _id, ...member } = changed;
      return member;
    },
  );

  app.delete('/account/members/:developer', { schema: { params: memberParams } }, async (request, reply) => {
    const { developer } = request.params as { developer: string };
    const removed = await portalWrite(ctx, request, reply, {
      action: developer === sessionOf(request).developer.id ? 'leave' : 'delete',
      objectType: 'account-member',
      work: (tx) => removeMember(tx, actorOf(request), developer),
    });
    return removed && reply.code(204).send();
  });

  app.get('/account/invitations', async (request, reply) => {
    const listed = await listInvitations(ctx.db, actorOf(request));
    return listed.ok ? { data: listed.value } : sendProblem(reply, listed.problem);
  });

  app.post('/account/invitations', { schema: { body: inviteBody } }, async (request, reply) => {
    const body = request.body as z.infer<typeof inviteBody>;
    let token = '';
    const made = await portalWrite(ctx, request, reply, {
      action: 'create',
      objectType: 'invitation',
      work: async (tx) => {
        const done = await invite(tx, actorOf(request), body);
        if (!done.ok) return done;
        token = done.value.token;
        return ok(done.value.invitation);
      },
    });
    if (!made) return undefined;
    const { account } = membershipOf(request);
    const from = sessionOf(request).developer;
    await ctx
      .sendMail({
        to: made.email,
        subject: `Join ${account.name} on the developer portal`,
        text: `${from.name || from.email} invites you to join ${account.name} as ${made.role === 'admin' ? 'an' : 'a'} ${made.role}. Open this link within 7 days to accept:\n\n${ctx.portalUrl()}/accept-invitation?token=${encodeURIComponent(token)}\n\nIf you did not expect this, ignore this e-mail.\n`,
      })
      .catch((error: unknown) =>
        app.log.error({ err: error, to: made.email }, 'sending an invitation failed'),
      );
    return reply.code(201).send(made);
  });

  app.delete(
    '/account/invitations/:invitation',
    { schema: { params: invitationParams } },
    async (request, reply) => {
      const { invitation } = request.params as { invitation: string };
      const gone = await portalWrite(ctx, request, reply, {
        action: 'delete',
        objectType: 'invitation',
        work: (tx) => withdrawInvitation(tx, actorOf(request), invitation),
      });
      return gone && reply.code(204).send();
    },
  );

  app.get(
    '/invitations/:token',
    { config: { portalPublic: true }, schema: { params: z.object({ token: z.string().max(200) }) } },
    async (request, reply) => {
      const preview = await previewInvitation(ctx.db, (request.params as { token: string }).token);
      return preview.ok ? preview.value : sendProblem(reply, preview.problem);
    },
  );

  // Public: a new developer has no session (nor a CSRF token) yet. A registered one must be
  // signed in, and then proves the write is theirs with the CSRF token as any write does.
  app.post(
    '/invitations/accept',
    { config: { portalPublic: true }, schema: { body: acceptBody } },
    async (request, reply) => {
      const session = request.developerSession;
      if (session && !hasCsrfToken(request, session)) return sendProblem(reply, csrfProblem);
      const accepted = await acceptInvitation(
        ctx.db,
        request.body as z.infer<typeof acceptBody>,
        session ? { id: session.developer.id, email: session.developer.email } : undefined,
      );
      if (!accepted.ok) return sendProblem(reply, accepted.problem);
      await ctx.changed();
      if (accepted.value.kind === 'joined') {
        // Joined with the session that accepted: it now acts for the new account.
        if (session) await actFor(ctx.db, session.sessionId, accepted.value.accountId);
        return freshSessionAnswer(ctx, request);
      }
      return sendNewSession(ctx, request, reply, accepted.value.session.token);
    },
  );
}
