// /admin/v1/apis
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { api, apiCreate, apiUpdate } from '../model/api.ts';
import { createApi, deleteApi, getApi, listApis, updateApi } from '../services/apis.ts';
import type { AdminContext } from './context.ts';
import { byId, byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function apiRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'APIs',
    singular: 'Api',
    plural: 'Apis',
    noun: 'API',
    nouns: 'APIs',
    path: '/apis',
    idParam: 'api',
    idDescription: 'Id or name of the API.',
    touchesRoutes: true,
    filter: z.object({ name: byName, upstreamId: byId('upstream') }),
    create: apiCreate,
    update: apiUpdate,
    output: api,
    list: async (db, _parent, filter, page) => ok(await listApis(db, filter, page)),
    get: (db, _parent, id) => getApi(db, id),
    insert: (db, _parent, body) => createApi(db, body),
    change: (db, _parent, id, body) => updateApi(db, id, body),
    remove: (db, _parent, id) => deleteApi(db, id),
  });
}
