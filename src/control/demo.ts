// `turnpike start --demo`: a sample API behind the built-in echo upstream, a product with a
// plan, a developer account whose application is subscribed, a fresh key and a console user, so
// a newcomer can make a first successful call and look around the console at once. Seeding again is harmless: the same declarative document
// is applied, and the demo key is replaced by a new one (the old one is known only as a hash).
import { and, eq } from 'drizzle-orm';
import { randomBase62 } from '../shared/crypto.ts';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Db } from '../store/db.ts';
import { accounts, adminUsers, apiKeys, applications } from '../store/schema/index.ts';
import { applyDocument } from './declarative/apply.ts';
import type { ConfigDocument } from './declarative/document.ts';
import { createAdminUser, updateAdminUser } from './services/admin-users.ts';
import { createKey } from './services/keys.ts';
import { write } from './services/write.ts';

export const demoPath = '/demo/v1/hello';

const demoOverview = `The demo API answers every call with the request it received, so you can see what the
gateway sends upstream: the path, the query, the headers it added (\`X-Request-Id\`,
\`X-Forwarded-For\`, the consumer headers) and the body.

Create an application, subscribe it to the **free** plan, make a key, and try \`GET /hello\`.`;

/** The demo API's OpenAPI document, for the portal's reference and try-it. */
const demoOpenApi = {
  openapi: '3.1.0',
  info: { title: 'Demo', version: 'v1', description: 'Echoes the request it received.' },
  paths: {
    '/hello': {
      get: {
        operationId: 'hello',
        summary: 'Say hello',
        description: 'Answers with the request as the upstream received it.',
        parameters: [{ name: 'name', in: 'query', required: false, schema: { type: 'string' } }],
        responses: { '200': { description: 'The request, echoed.' } },
      },
    },
    '/echo': {
      post: {
        operationId: 'echo',
        summary: 'Echo a body',
        requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        responses: { '200': { description: 'The request, echoed.' } },
      },
    },
  },
  components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' } } },
  security: [{ apiKey: [] }],
};

export function demoDocument(echoUrl: string): ConfigDocument {
  return {
    upstreams: [
      {
        name: 'demo-echo',
        description: 'The built-in echo upstream on the status port.',
        targets: [{ url: echoUrl }],
      },
    ],
    apis: [
      {
        name: 'demo',
        description: 'A sample API: the echo upstream answers with the request it received.',
        version: 'v1',
        basePath: '/demo/v1',
        upstream: 'demo-echo',
        overview: demoOverview,
        openapi: demoOpenApi,
        routes: [
          { name: 'hello', methods: ['GET'], path: '/hello' },
          { name: 'anything', path: '/*' },
        ],
      },
    ],
    products: [
      {
        name: 'demo',
        description: 'Everything in the demo API.',
        apis: ['demo'],
        plans: [{ name: 'free', description: 'Open to everyone.', default: true, approval: 'auto' }],
      },
    ],
    accounts: [
      {
        name: 'demo-developer',
        email: 'developer@example.com',
        applications: [{ name: 'demo-app', subscriptions: [{ product: 'demo', plan: 'free' }] }],
      },
    ],
  };
}

export const demoConsoleUser = 'admin@example.com';

export async function seedDemo(
  db: Db,
  echoUrl: string,
): Promise<Result<{ key: string; consolePassword: string }>> {
  const applied = await applyDocument(db, demoDocument(echoUrl));
  if (!applied.ok) return applied;
  // A console user with a new password each time, printed once like the key.
  const consolePassword = randomBase62(20);
  const [user] = await db
    .select({ id: adminUsers.id })
    .from(adminUsers)
    .where(eq(adminUsers.email, demoConsoleUser));
  const signIn = user
    ? await updateAdminUser(db, 'owner', user.id, { password: consolePassword })
    : await createAdminUser(db, 'owner', {
        email: demoConsoleUser,
        password: consolePassword,
        role: 'admin',
      });
  if (!signIn.ok) return signIn;
  const keyed = await write(db, async (tx) => {
    const [app] = await tx
      .select({ id: applications.id })
      .from(applications)
      .innerJoin(accounts, eq(accounts.id, applications.accountId))
      .where(and(eq(accounts.name, 'demo-developer'), eq(applications.name, 'demo-app')));
    if (!app) return fail('not-found', 'the demo application is missing');
    await tx.delete(apiKeys).where(and(eq(apiKeys.applicationId, app.id), eq(apiKeys.label, 'demo')));
    const created = await createKey(tx, app.id, { label: 'demo' });
    if (!created.ok) return created;
    return ok(created.value.key ?? '');
  });
  return keyed.ok ? ok({ key: keyed.value, consolePassword }) : keyed;
}
