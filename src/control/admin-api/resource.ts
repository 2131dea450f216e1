// Registers the five operations of a resource (list, create, get, update, delete) from its
// schemas and service functions, so every resource has the same URLs, pagination, errors and
// OpenAPI description. One call per resource file.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Result } from '../../shared/errors.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { type AuditActor, recordAudit } from '../services/audit.ts';
import type { Db, Page, PageRequest } from '../services/context.ts';
import { isCursor } from '../services/pagination.ts';
import { write } from '../services/write.ts';
import type { AdminContext } from './context.ts';
import { type AdminRole, actorOf } from './roles.ts';

type Obj = z.ZodObject;

export interface ResourceSpec<
  P extends Obj,
  F extends Obj,
  C extends z.ZodType,
  U extends z.ZodType,
  O extends z.ZodType,
> {
  /** OpenAPI tag, such as `Upstreams`. */
  tag: string;
  /** Operation id stems: `Upstream` gives listUpstreams, createUpstream, … */
  singular: string;
  plural: string;
  /** Words for people when they differ from the stems (`API`, `APIs`). */
  noun?: string;
  nouns?: string;
  /** Collection URL under /admin/v1, with `:param` for parents: `/apis/:api/routes`. */
  path: string;
  /** URL parameter naming one item, and what it accepts. */
  idParam: string;
  idDescription: string;
  parentParams?: P;
  filter: F;
  create: C;
  update: U;
  output: O;
  /** Writes can move routes, so the gateway's placement of every route is checked before commit. */
  touchesRoutes?: boolean;
  /** Shape of the create response when it differs from `output` (a new key shows its secret). */
  created?: z.ZodType;
  /** Largest create or update body in bytes, when the server's 1 MiB is too little. */
  bodyLimit?: number;
  /** The least role that may write; editor unless given. */
  writeRole?: AdminRole;
  /** False for objects the gateway does not see (admin users and tokens): no new revision. */
  configuration?: boolean;
  list(db: Db, parent: z.infer<P>, filter: z.infer<F>, page: PageRequest): Promise<Result<Page<z.infer<O>>>>;
  get(db: Db, parent: z.infer<P>, id: string): Promise<Result<z.infer<O>>>;
  insert(db: Db, parent: z.infer<P>, body: z.infer<C>, actor: AuditActor): Promise<Result<{ id: string }>>;
  change(
    db: Db,
    parent: z.infer<P>,
    id: string,
    body: z.infer<U>,
    actor: AuditActor,
  ): Promise<Result<z.infer<O>>>;
  remove(db: Db, parent: z.infer<P>, id: string, actor: AuditActor): Promise<Result<void>>;
}

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(200).optional().meta({ default: 50 }).describe('Items per page.'),
  cursor: z
    .string()
    .max(200)
    .refine(isCursor, 'is not a cursor from a previous page')
    .optional()
    .describe('The `next` value of the previous page.'),
};

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});
const a = (noun: string) => (/^[aeiou]/i.test(noun) ? `an ${noun}` : `a ${noun}`);

export const authErrors = {
  401: problemResponse('Missing or invalid admin token.'),
  403: problemResponse('The caller’s role does not allow this.'),
};

const errors = {
  400: problemResponse('The request is invalid; `errors` names each bad field.'),
  ...authErrors,
};

export function registerResource<
  P extends Obj,
  F extends Obj,
  C extends z.ZodType,
  U extends z.ZodType,
  O extends z.ZodType,
>(app: FastifyInstance, ctx: AdminContext, spec: ResourceSpec<P, F, C, U, O>): void {
  const singular = spec.noun ?? spec.singular.toLowerCase();
  const plural = spec.nouns ?? spec.plural.toLowerCase();
  const parent = spec.parentParams ?? z.object({});
  const itemParams = parent.extend({
    [spec.idParam]: z.string().min(1).max(200).describe(spec.idDescription),
  });
  const itemPath = `${spec.path}/:${spec.idParam}`;
  const page = z
    .object({
      data: z.array(spec.output),
      next: z.string().nullable().describe('Cursor for the next page; null on the last.'),
    })
    .meta({ id: `${spec.singular}Page`, description: `A page of ${plural}.` });
  const notFound = problemResponse(`No such ${singular}.`);
  const tags = [spec.tag];
  const configuration = spec.configuration ?? true;
  // Admin users and tokens are not configuration: writing them makes no new revision.
  const revision = configuration ? {} : { changed: () => false };
  const writeOptions = { checkRoutes: spec.touchesRoutes ?? false, ...revision };
  const config = { role: spec.writeRole ?? 'editor' };
  const bodyLimit = spec.bodyLimit === undefined ? {} : { bodyLimit: spec.bodyLimit };
  const tooLarge = spec.bodyLimit
    ? { 413: problemResponse(`The body is larger than ${spec.bodyLimit / 1024 / 1024} MiB.`) }
    : {};
  const idOf = (params: Record<string, string>) => params[spec.idParam] ?? '';
  const objectType = spec.singular.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase(); // AdminToken → admin-token

  app.get(spec.path, {
    schema: {
      operationId: `list${spec.plural}`,
      summary: `List ${plural}`,
      description: `Pages through ${plural} in creation order; filters combine with AND.`,
      tags,
      params: parent,
      querystring: spec.filter.extend(pageQuery),
      response: { 200: json(`A page of ${plural}.`, page), ...errors, 404: notFound },
    },
    handler: async (request, reply) => {
      const { limit, cursor, ...filter } = request.query as z.infer<F> & { limit?: number; cursor?: string };
      const result = await spec.list(ctx.db, request.params as z.infer<P>, filter as z.infer<F>, {
        limit: limit ?? 50,
        cursor,
      });
      return result.ok ? result.value : sendProblem(reply, result.problem);
    },
  });

  app.post(spec.path, {
    config,
    ...bodyLimit,
    schema: {
      operationId: `create${spec.singular}`,
      summary: `Create ${a(singular)}`,
      description: `Creates ${a(singular)}; the gateway serves it once the call returns.`,
      tags,
      params: parent,
      body: spec.create,
      response: {
        201: json(`The new ${singular}.`, spec.created ?? spec.output),
        ...errors,
        404: notFound,
        409: problemResponse('Conflicts with an existing resource.'),
        ...tooLarge,
        422: problemResponse('A referenced resource does not exist.'),
      },
    },
    handler: async (request, reply) => {
      const result = await write(
        ctx.db,
        async (tx) => {
          const actor = actorOf(request);
          const created = await spec.insert(
            tx,
            request.params as z.infer<P>,
            request.body as z.infer<C>,
            actor,
          );
          if (created.ok)
            await recordAudit(tx, actor, {
              action: 'create',
              objectType,
              objectId: created.value.id,
              after: created.value,
            });
          return created;
        },
        writeOptions,
      );
      if (!result.ok) return sendProblem(reply, result.problem);
      if (configuration) await ctx.changed();
      return reply
        .code(201)
        .header('location', `${request.url.split('?')[0]}/${result.value.id}`)
        .send(result.value);
    },
  });

  app.get(itemPath, {
    schema: {
      operationId: `get${spec.singular}`,
      summary: `Get ${a(singular)}`,
      description: `Returns one ${singular}.`,
      tags,
      params: itemParams,
      response: { 200: json(`The ${singular}.`, spec.output), ...errors, 404: notFound },
    },
    handler: async (request, reply) => {
      const params = request.params as Record<string, string>;
      const result = await spec.get(ctx.db, params as z.infer<P>, idOf(params));
      return result.ok ? result.value : sendProblem(reply, result.problem);
    },
  });

  app.patch(itemPath, {
    config,
    ...bodyLimit,
    schema: {
      operationId: `update${spec.singular}`,
      summary: `Update ${a(singular)}`,
      description: 'Changes the fields given and leaves the others as they are.',
      tags,
      params: itemParams,
      body: spec.update,
      response: {
        200: json(`The ${singular} as changed.`, spec.output),
        ...errors,
        404: notFound,
        409: problemResponse('Conflicts with an existing resource or the current state.'),
        ...tooLarge,
        422: problemResponse('A referenced resource does not exist.'),
      },
    },
    handler: async (request, reply) => {
      const params = request.params as Record<string, string>;
      const result = await write(
        ctx.db,
        async (tx) => {
          const actor = actorOf(request);
          const before = await spec.get(tx, params as z.infer<P>, idOf(params));
          const body = request.body as z.infer<U>;
          const changed = await spec.change(tx, params as z.infer<P>, idOf(params), body, actor);
          if (changed.ok && before.ok)
            await recordAudit(tx, actor, {
              action: 'update',
              objectType,
              objectId: (before.value as { id: string }).id,
              before: before.value,
              after: changed.value,
            });
          return changed;
        },
        writeOptions,
      );
      return respond(reply, ctx, result, 200, configuration);
    },
  });

  app.delete(itemPath, {
    config,
    schema: {
      operationId: `delete${spec.singular}`,
      summary: `Delete ${a(singular)}`,
      description: `Deletes the ${singular}; the gateway stops serving it once the call returns.`,
      tags,
      params: itemParams,
      response: {
        204: z.undefined().describe('Deleted.'),
        ...errors,
        404: notFound,
        409: problemResponse('Other resources still depend on it.'),
      },
    },
    handler: async (request, reply) => {
      const params = request.params as Record<string, string>;
      const result = await write(
        ctx.db,
        async (tx) => {
          const actor = actorOf(request);
          const before = await spec.get(tx, params as z.infer<P>, idOf(params));
          const removed = await spec.remove(tx, params as z.infer<P>, idOf(params), actor);
          if (removed.ok && before.ok)
            await recordAudit(tx, actor, {
              action: 'delete',
              objectType,
              objectId: (before.value as { id: string }).id,
              before: before.value,
            });
          return removed;
        },
        revision,
      );
      return respond(reply, ctx, result, 204, configuration);
    },
  });
}

async function respond<T>(
  reply: FastifyReply,
  ctx: AdminContext,
  result: Result<T>,
  status: number,
  configuration: boolean,
) {
  if (!result.ok) return sendProblem(reply, result.problem);
  if (configuration) await ctx.changed();
  return reply.code(status).send(status === 204 ? undefined : result.value);
}
