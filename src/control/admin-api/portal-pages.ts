// /admin/v1/portal/pages — the portal's guides, FAQ and changelog in Markdown. The gateway never
// sees them: writes make no new revision.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { pageKind, portalPage, portalPageCreate, portalPageUpdate } from '../model/portal-page.ts';
import {
  createPortalPage,
  deletePortalPage,
  getPortalPage,
  listPortalPages,
  updatePortalPage,
} from '../services/portal-pages.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function portalPageRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Portal pages',
    singular: 'PortalPage',
    plural: 'PortalPages',
    noun: 'portal page',
    nouns: 'portal pages',
    path: '/portal/pages',
    idParam: 'page',
    idDescription: 'Id (`pag_…`) or slug of the page.',
    filter: z.object({ kind: pageKind.optional() }),
    create: portalPageCreate,
    update: portalPageUpdate,
    output: portalPage,
    // A body of 200,000 characters can take more than 1 MiB as escaped JSON.
    bodyLimit: 2 * 1024 * 1024,
    configuration: false,
    list: async (db, _parent, filter, page) => ok(await listPortalPages(db, filter, page)),
    get: (db, _parent, id) => getPortalPage(db, id),
    insert: (db, _parent, body) => createPortalPage(db, body),
    change: (db, _parent, id, body) => updatePortalPage(db, id, body),
    remove: (db, _parent, id) => deletePortalPage(db, id),
  });
}
