// /admin/v1/admin-users — people who sign in to the console, with roles. Managing them needs the
// admin role, and only owners manage owners. Passwords go in, never out.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { adminUser, adminUserCreate, adminUserUpdate } from '../model/admin.ts';
import {
  createAdminUser,
  deleteAdminUser,
  getAdminUser,
  listAdminUsers,
  updateAdminUser,
} from '../services/admin-users.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function adminUserRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Admin users',
    singular: 'AdminUser',
    plural: 'AdminUsers',
    noun: 'admin user',
    nouns: 'admin users',
    path: '/admin-users',
    idParam: 'user',
    idDescription: 'Id of the admin user (`adu_…`).',
    filter: z.object({}),
    create: adminUserCreate,
    update: adminUserUpdate,
    output: adminUser,
    writeRole: 'admin',
    configuration: false,
    list: async (db, _parent, _filter, page) => ok(await listAdminUsers(db, page)),
    get: (db, _parent, id) => getAdminUser(db, id),
    insert: (db, _parent, body, actor) => createAdminUser(db, actor.role, body),
    change: (db, _parent, id, body, actor) => updateAdminUser(db, actor.role, id, body),
    remove: (db, _parent, id, actor) => deleteAdminUser(db, actor.role, id),
  });
}
