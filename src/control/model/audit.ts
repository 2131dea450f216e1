// Audit events: one per write, with the caller and the object before and after.
import { z } from 'zod';
import { id, timestamp } from './fields.ts';

export const auditEvent = z
  .strictObject({
    id: id('aud'),
    at: timestamp.describe('When the write committed.'),
    actor: z
      .strictObject({
        kind: z
          .enum(['env-token', 'token', 'user', 'developer'])
          .describe(
            'An admin token, an admin user signed in to the console, TURNPIKE_ADMIN_TOKEN, or a developer signed in to the portal.',
          ),
        id: z
          .string()
          .nullable()
          .describe('Id of the token, user or developer; null for TURNPIKE_ADMIN_TOKEN.'),
        name: z.string().describe('Name of the token, or email of the user, at the time.'),
        role: z.string().describe('The role it acted in.'),
      })
      .describe('Who made the change.'),
    via: z.string().describe('admin-api, cli (turnpike apply and other commands), console or portal.'),
    action: z.string().describe('create, update, delete, apply, rotate, revoke, sign-in, sign-out.'),
    objectType: z.string().describe('upstream, api, route, product, plan, account, application, key, …'),
    objectId: z.string().nullable(),
    before: z.unknown().nullable().describe('The object before the change; null for a create.'),
    after: z.unknown().nullable().describe('The object after the change; null for a delete.'),
    requestId: z.string().nullable(),
    clientIp: z.string().nullable(),
  })
  .meta({ id: 'AuditEvent', description: 'One write through the admin API, the console or the CLI.' });

export const auditFilter = z.object({
  objectType: z.string().max(50).optional().describe('Only events on objects of this type.'),
  objectId: z.string().max(200).optional().describe('Only events on this object.'),
  actorId: z.string().max(200).optional().describe('Only events by this token or user.'),
  action: z.string().max(50).optional().describe('Only events with this action.'),
  since: timestamp.optional().describe('Only events at or after this time.'),
  until: timestamp.optional().describe('Only events at or before this time.'),
});

export type AuditEvent = z.infer<typeof auditEvent>;
export type AuditFilter = z.infer<typeof auditFilter>;
