// /admin/v1/tokens — admin API tokens with roles. Managing them needs the admin role, and only
// owners manage owner tokens. The secret is in the create response only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { adminToken, adminTokenCreate, adminTokenUpdate, createdAdminToken } from '../model/admin.ts';
import {
  createAdminToken,
  deleteAdminToken,
  getAdminToken,
  listAdminTokens,
  updateAdminToken,
} from '../services/admin-tokens.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function tokenRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Admin tokens',
    singular: 'AdminToken',
    plural: 'AdminTokens',
    noun: 'admin token',
    nouns: 'admin tokens',
    path: '/tokens',
    idParam: 'token',
    idDescription: 'Id of the admin token (`atk_…`).',
    filter: z.object({}),
    create: adminTokenCreate,
    update: adminTokenUpdate,
    output: adminToken,
    created: createdAdminToken,
    writeRole: 'admin',
    configuration: false,
    list: async (db, _parent, _filter, page) => ok(await listAdminTokens(db, page)),
    get: (db, _parent, id) => getAdminToken(db, id),
    insert: (db, _parent, body, actor) => createAdminToken(db, actor.role, body),
    change: (db, _parent, id, body, actor) => updateAdminToken(db, actor.role, id, body),
    remove: (db, _parent, id, actor) => deleteAdminToken(db, actor.role, id),
  });
}
