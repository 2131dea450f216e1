// /admin/v1/applications/{application}/keys — the plaintext of a new key is in the create
// response only.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createdKey, key, keyCreate, keyUpdate } from '../model/key.ts';
import { createKey, deleteKey, getKey, listKeys, updateKey } from '../services/keys.ts';
import type { AdminContext } from './context.ts';
import { registerResource } from './resource.ts';

export function keyRoutes(app: FastifyInstance, ctx: AdminContext): void {
  registerResource(app, ctx, {
    tag: 'Keys',
    singular: 'Key',
    plural: 'Keys',
    path: '/applications/:application/keys',
    idParam: 'key',
    idDescription: 'Id of the key.',
    parentParams: z.object({ application: z.string().min(1).max(200).describe('Id of the application.') }),
    filter: z.object({}),
    create: keyCreate,
    update: keyUpdate,
    output: key,
    created: createdKey,
    list: (db, parent, _filter, page) => listKeys(db, parent.application, page),
    get: (db, parent, id) => getKey(db, parent.application, id),
    insert: (db, parent, body) => createKey(db, parent.application, body),
    change: (db, parent, id, body) => updateKey(db, parent.application, id, body),
    remove: (db, parent, id) => deleteKey(db, parent.application, id),
  });
}
