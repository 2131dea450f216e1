// /admin/v1/upstreams
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { upstream, upstreamCreate, upstreamUpdate } from '../model/upstream.ts';
import {
  createUpstream,
  deleteUpstream,
  getUpstream,
  listUpstreams,
  updateUpstream,
} from '../services/upstreams.ts';
import type { AdminContext } from './context.ts';
import { byName } from './filters.ts';
import { registerResource } from './resource.ts';

export function upstreamRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Upstreams',
    singular: 'Upstream',
    plural: 'Upstreams',
    path: '/upstreams',
    idParam: 'upstream',
    idDescription: 'Id or name of the upstream.',
    filter: z.object({ name: byName }),
    create: upstreamCreate,
    update: upstreamUpdate,
    output: upstream,
    list: async (db, _parent, filter, page) => ok(await listUpstreams(db, filter, page)),
    get: (db, _parent, id) => getUpstream(db, id),
    insert: (db, _parent, body) => createUpstream(db, body),
    change: (db, _parent, id, body) => updateUpstream(db, id, body),
    remove: (db, _parent, id) => deleteUpstream(db, id),
  });
}
