// /admin/v1/applications
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { application, applicationCreate, applicationUpdate } from '../model/application.ts';
import { applicationState } from '../model/fields.ts';
import {
  createApplication,
  deleteApplication,
  getApplication,
  listApplications,
  updateApplication,
} from '../services/applications.ts';
import type { AdminContext } from './context.ts';
import { byId, byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function applicationRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Applications',
    singular: 'Application',
    plural: 'Applications',
    path: '/applications',
    idParam: 'application',
    idDescription: 'Id of the application.',
    filter: z.object({ name: byName, accountId: byId('account'), state: applicationState.optional() }),
    create: applicationCreate,
    update: applicationUpdate,
    output: application,
    list: async (db, _parent, filter, page) => ok(await listApplications(db, filter, page)),
    get: (db, _parent, id) => getApplication(db, id),
    insert: (db, _parent, body) => createApplication(db, body),
    change: (db, _parent, id, body) => updateApplication(db, id, body),
    remove: (db, _parent, id) => deleteApplication(db, id),
  });
}
