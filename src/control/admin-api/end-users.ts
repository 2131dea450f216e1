// /admin/v1/end-users — people who sign in at the authorization server. Passwords go in, never
// out. Not configuration: the gateway never sees them, so writes make no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { endUser, endUserCreate, endUserState, endUserUpdate } from '../model/end-user.ts';
import {
  createEndUser,
  deleteEndUser,
  getEndUser,
  listEndUsers,
  updateEndUser,
} from '../services/end-users.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function endUserRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'End users',
    singular: 'EndUser',
    plural: 'EndUsers',
    noun: 'end user',
    nouns: 'end users',
    path: '/end-users',
    idParam: 'user',
    idDescription: 'Id of the end user (`usr_…`).',
    filter: z.object({
      email: z.string().max(254).optional().describe('Only the user with this email (any case).'),
      state: endUserState.optional(),
    }),
    create: endUserCreate,
    update: endUserUpdate,
    output: endUser,
    configuration: false,
    list: async (db, _parent, filter, page) => ok(await listEndUsers(db, filter, page)),
    get: (db, _parent, id) => getEndUser(db, id),
    insert: (db, _parent, body) => createEndUser(db, body),
    change: (db, _parent, id, body) => updateEndUser(db, id, body),
    remove: (db, _parent, id) => deleteEndUser(db, id),
  });
}
