// /admin/v1/developers: who signed up on the portal, with their accounts and roles and the
// answers to the sign-up fields. Read-only: developers manage themselves in the portal.
import { and, asc, eq, gt, inArray, type SQL } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { isId } from '../../shared/ids.ts';
import { accountMembers, accounts, developers } from '../../store/schema/index.ts';
import { problemResponse, sendProblem } from '../http/problems.ts';
import { timestamp } from '../model/fields.ts';
import type { AdminContext } from './context.ts';
import { byId } from './filters.ts';
import { authErrors } from './resource.ts';

const developer = z
  .strictObject({
    id: z.string().describe('`dev_…`'),
    email: z.string(),
    name: z.string(),
    emailVerified: z.boolean(),
    customFields: z.record(z.string(), z.string()).describe('Answers to the developer sign-up fields.'),
    accounts: z.array(
      z.strictObject({ id: z.string(), name: z.string(), role: z.enum(['owner', 'admin', 'member']) }),
    ),
    lastLoginAt: timestamp.nullable(),
    createdAt: timestamp,
  })
  .meta({ id: 'Developer', description: 'A developer who signed up on the portal.' });

const query = z.object({
  accountId: byId('account'),
  email: z.string().max(320).optional().describe('Only the developer with this e-mail (any case).'),
  limit: z.coerce.number().int().min(1).max(500).optional().meta({ default: 100 }),
  after: z.string().max(64).optional().describe('Id of the last developer of the previous page.'),
});

const json = (description: string, schema: z.ZodType) => ({
  description,
  content: { 'application/json': { schema } },
});

type Row = typeof developers.$inferSelect;

async function withAccounts(ctx: AdminContext, rows: Row[]) {
  const memberships = rows.length
    ? await ctx.db
        .select({
          developerId: accountMembers.developerId,
          id: accounts.id,
          name: accounts.name,
          role: accountMembers.role,
        })
        .from(accountMembers)
        .innerJoin(accounts, eq(accounts.id, accountMembers.accountId))
        .where(
          inArray(
            accountMembers.developerId,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(asc(accountMembers.createdAt))
    : [];
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    name: row.name,
    emailVerified: row.emailVerifiedAt !== null,
    customFields: row.customFields,
    accounts: memberships
      .filter((m) => m.developerId === row.id)
      .map(({ id, name, role }) => ({ id, name, role })),
    lastLoginAt: row.lastLoginAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  }));
}

export function developerRoutes(app: FastifyInstance, ctx: AdminContext): void {
  app.get('/developers', {
    schema: {
      operationId: 'listDevelopers',
      summary: 'List developers',
      description: 'Developers who signed up on the portal, oldest first; filters combine with AND.',
      tags: ['Developers'],
      querystring: query,
      response: {
        200: json(
          'A page of developers.',
          z.object({ data: z.array(developer), next: z.string().nullable() }),
        ),
        400: problemResponse('The query is invalid.'),
        ...authErrors,
      },
    },
    handler: async (request) => {
      const q = request.query as z.infer<typeof query>;
      const limit = q.limit ?? 100;
      const conditions: (SQL | undefined)[] = [
        q.email ? eq(developers.email, q.email.trim().toLowerCase()) : undefined,
        q.after ? gt(developers.id, q.after) : undefined,
        q.accountId
          ? inArray(
              developers.id,
              ctx.db
                .select({ id: accountMembers.developerId })
                .from(accountMembers)
                .where(eq(accountMembers.accountId, q.accountId)),
            )
          : undefined,
      ];
      const rows = await ctx.db
        .select()
        .from(developers)
        .where(and(...conditions))
        .orderBy(asc(developers.id))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return {
        data: await withAccounts(ctx, page),
        next: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      };
    },
  });

  app.get('/developers/:developer', {
    schema: {
      operationId: 'getDeveloper',
      summary: 'Get a developer',
      tags: ['Developers'],
      params: z.object({ developer: z.string().max(64).describe('Id of the developer (`dev_…`).') }),
      response: {
        200: json('The developer.', developer),
        ...authErrors,
        404: problemResponse('No such developer.'),
      },
    },
    handler: async (request, reply) => {
      const { developer: id } = request.params as { developer: string };
      const [row] = isId('developer', id)
        ? await ctx.db.select().from(developers).where(eq(developers.id, id))
        : [];
      if (!row) return sendProblem(reply, problem('not-found', `no developer ${id}`));
      return (await withAccounts(ctx, [row]))[0];
    },
  });
}
