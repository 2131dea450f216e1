// /admin/v1/apis/{api}/routes
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { route, routeCreate, routeUpdate } from '../model/route.ts';
import { createRoute, deleteRoute, getRoute, listRoutes, updateRoute } from '../services/routes.ts';
import type { AdminContext } from './context.ts';
import { byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function routeRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Routes',
    singular: 'Route',
    plural: 'Routes',
    path: '/apis/:api/routes',
    idParam: 'route',
    idDescription: 'Id or name of the route.',
    parentParams: z.object({ api: z.string().min(1).max(200).describe('Id or name of the API.') }),
    touchesRoutes: true,
    filter: z.object({ name: byName }),
    create: routeCreate,
    update: routeUpdate,
    output: route,
    list: (db, parent, filter, page) => listRoutes(db, parent.api, filter, page),
    get: (db, parent, id) => getRoute(db, parent.api, id),
    insert: (db, parent, body) => createRoute(db, parent.api, body),
    change: (db, parent, id, body) => updateRoute(db, parent.api, id, body),
    remove: (db, parent, id) => deleteRoute(db, parent.api, id),
  });
}
