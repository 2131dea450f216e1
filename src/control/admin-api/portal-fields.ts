// /admin/v1/portal/fields — extra fields the portal asks for on accounts and developers (at
// sign-up) and on applications. Not seen by the gateway: writes make no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { fieldTarget, portalField, portalFieldCreate, portalFieldUpdate } from '../model/portal-field.ts';
import {
  createPortalField,
  deletePortalField,
  getPortalField,
  listPortalFields,
  updatePortalField,
} from '../services/portal-fields.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function portalFieldRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Portal fields',
    singular: 'PortalField',
    plural: 'PortalFields',
    noun: 'portal field',
    nouns: 'portal fields',
    path: '/portal/fields',
    idParam: 'field',
    idDescription: 'Id of the field (`fld_…`).',
    filter: z.object({ target: fieldTarget.optional() }),
    create: portalFieldCreate,
    update: portalFieldUpdate,
    output: portalField,
    configuration: false,
    list: async (db, _parent, filter, page) => ok(await listPortalFields(db, filter, page)),
    get: (db, _parent, id) => getPortalField(db, id),
    insert: (db, _parent, body) => createPortalField(db, body),
    change: (db, _parent, id, body) => updatePortalField(db, id, body),
    remove: (db, _parent, id) => deletePortalField(db, id),
  });
}
