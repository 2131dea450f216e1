// /admin/v1/apis, and /admin/v1/apis/{api}/openapi: the API's OpenAPI document as stored.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { ok } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { api, apiCreate, apiLifecycle, apiUpdate, apiVisibility } from '../model/api.ts';
import { createApi, deleteApi, getApi, getApiOpenapi, listApis, updateApi } from '../services/apis.ts';
import type { AdminContext } from './context.ts';
import { byId, byName } from './filters.ts';
import { authErrors, registerResource } from './resource.ts';

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
    // Room for a 5 MiB OpenAPI document with the overview and changelog beside it.
    bodyLimit: 16 * 1024 * 1024,
    filter: z.object({
      name: byName,
      upstreamId: byId('upstream'),
      visibility: apiVisibility.optional().describe('Only APIs with this visibility.'),
      lifecycle: apiLifecycle.optional().describe('Only APIs at this point of their lifecycle.'),
    }),
    create: apiCreate,
    update: apiUpdate,
    output: api,
    list: async (db, _parent, filter, page) => ok(await listApis(db, filter, page)),
    get: (db, _parent, id) => getApi(db, id),
    insert: (db, _parent, body) => createApi(db, body),
    change: (db, _parent, id, body) => updateApi(db, id, body),
    remove: (db, _parent, id) => deleteApi(db, id),
  });

  app.get('/apis/:api/openapi', {
    schema: {
      operationId: 'getApiOpenapi',
      summary: "Get an API's OpenAPI document",
      description:
        'Returns the OpenAPI document stored with the API, as it was written, for download ' +
        '(`Content-Disposition: attachment`).',
      tags: ['APIs'],
      params: z.object({ api: z.string().min(1).max(200).describe('Id or name of the API.') }),
      response: {
        200: {
          description: 'The OpenAPI document.',
          content: {
            'application/json': {
              schema: z.record(z.string(), z.unknown()).describe('An OpenAPI 3.x document.'),
            },
          },
        },
        400: problemResponse('The request is invalid; `errors` names each bad field.'),
        ...authErrors,
        404: problemResponse('No such API, or the API has no OpenAPI document.'),
      },
    },
    handler: async (request, reply) => {
      const { api: idOrName } = request.params as { api: string };
      const result = await getApiOpenapi(ctx.db, idOrName);
      if (!result.ok) return sendProblem(reply, result.problem);
      // Names are letters, digits, ".", "_" and "-": safe in a quoted file name.
      return reply
        .header('content-disposition', `attachment; filename="${result.value.name}.openapi.json"`)
        .send(result.value.document);
    },
  });
}
