// The OpenAPI 3.1 description of the admin API, generated from the same Zod schemas that
// validate requests (so the document cannot drift from the behaviour).
import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { version } from '../../shared/version.ts';

const tags = [
  { name: 'Upstreams', description: 'Services behind the gateway, as weighted targets.' },
  { name: 'APIs', description: 'Base paths the gateway serves, each from one upstream.' },
  { name: 'Routes', description: 'Methods and path patterns of an API.' },
  { name: 'Products', description: 'Bundles of APIs sold together.' },
  { name: 'Plans', description: 'Terms under which applications use a product.' },
  { name: 'Accounts', description: 'Developer organizations.' },
  { name: 'Applications', description: 'What accounts register to call APIs.' },
  { name: 'Keys', description: 'API keys of an application; stored hashed, shown once.' },
  {
    name: 'Client secrets',
    description: 'OAuth client secrets of an application; stored hashed, shown once.',
  },
  {
    name: 'Credentials',
    description:
      'HTTP Basic and mutual-TLS credentials of an application; passwords stored hashed, shown once.',
  },
  { name: 'Subscriptions', description: 'Applications on plans.' },
  {
    name: 'End users',
    description: 'People who sign in at the authorization server to authorize applications.',
  },
  {
    name: 'Identity providers',
    description:
      'API providers’ own sign-in pages, used instead of the end-user directory for the APIs that name them.',
  },
  {
    name: 'OAuth',
    description: 'Scopes the authorization server grants, with their consent-page descriptions.',
  },
  { name: 'Configuration', description: 'Declarative configuration: apply a whole file, export everything.' },
  { name: 'Status', description: 'The state of the control plane.' },
  {
    name: 'Developers',
    description: 'People who signed up on the portal, their accounts and their sign-up answers (read-only).',
  },
  {
    name: 'Analytics',
    description:
      'Traffic, errors and latency over time, top lists, busiest times and the request log, from what gateways ship every second.',
  },
  {
    name: 'Alerts',
    description:
      'Rules on error rate, latency, traffic drops and quota use, checked every minute; signed webhooks and mails when they fire and resolve; their history.',
  },
  {
    name: 'Usage',
    description:
      'What gateways let through, per subscription, metric and hour; how much of each limit is left.',
  },
  {
    name: 'Sync',
    description: 'Configuration for data-plane nodes (`turnpike gateway`), and what they report back.',
  },
  { name: 'Admin tokens', description: 'Tokens for the admin API and the CLI, each with a role.' },
  { name: 'Admin users', description: 'People who sign in to the console, each with a role.' },
  { name: 'Session', description: 'Who is calling; console sign-in and sign-out.' },
  { name: 'Audit', description: 'Every write: who, what, which object, before and after.' },
  { name: 'Portal branding', description: 'How the developer portal looks: name, logo, colours, CSS.' },
  {
    name: 'Portal pages',
    description: 'Guides, FAQ entries and changelog posts shown in the developer portal.',
  },
  {
    name: 'Portal fields',
    description:
      'Extra fields the portal asks for on accounts and developers at sign-up, and on applications.',
  },
  {
    name: 'Portal messages',
    description: 'The support inbox: questions and bug reports sent from the portal.',
  },
  {
    name: 'Outbox',
    description: 'Mails written to the development outbox instead of being sent, when no SMTP server is set.',
  },
];

interface OpenApiDocument {
  paths?: unknown;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * The Zod transform emits an input and an output variant of every registered schema (`XInput`,
 * `X`); keep only the ones something refers to, and drop the `Input` suffix where the plain name
 * is free, so the document has no unused components and reads naturally.
 */
export function tidyComponents<T extends OpenApiDocument>(document: T): T {
  const schemas = document.components?.schemas ?? {};
  const used = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === '$ref' && typeof value === 'string' && value.startsWith(refPrefix)) {
          const name = value.slice(refPrefix.length);
          if (!used.has(name)) {
            used.add(name);
            visit(schemas[name]);
          }
        } else visit(value);
      }
    }
  };
  visit(document.paths);
  const rename = new Map<string, string>();
  for (const name of used) {
    const plain = name.replace(/Input$/, '');
    if (plain !== name && !used.has(plain)) rename.set(name, plain);
  }
  const renamed = JSON.parse(JSON.stringify(document), (key, value) =>
    key === '$ref' && typeof value === 'string' && rename.has(value.slice(refPrefix.length))
      ? refPrefix + rename.get(value.slice(refPrefix.length))
      : value,
  ) as T;
  const kept: Record<string, unknown> = {};
  for (const name of [...used].sort()) kept[rename.get(name) ?? name] = renamed.components?.schemas?.[name];
  return { ...renamed, components: { ...renamed.components, schemas: kept } };
}

const refPrefix = '#/components/schemas/';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Turnpike admin API',
        version,
        description:
          'Manage upstreams, APIs, products, plans, accounts, applications, keys and subscriptions. ' +
          'Authenticate with `Authorization: Bearer <admin token>`, or, from the console, with the session cookie ' +
          '(writes then also send `X-CSRF-Token`). Each token and user has a role: viewer (reads), editor (also ' +
          'changes the configuration), admin (also manages admin users and tokens), owner (everything). ' +
          'Errors are RFC 9457 problem details.',
        contact: { name: 'Turnpike', url: 'https://github.com/turnpike-gateway/turnpike' },
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [
        { url: 'http://127.0.0.1:8001', description: 'A control plane on this machine (default port).' },
      ],
      tags,
      components: {
        securitySchemes: {
          adminToken: { type: 'http', scheme: 'bearer', description: 'An admin token.' },
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'tp_admin_session',
            description:
              'The console session from `POST /admin/v1/session`; writes also need `X-CSRF-Token`.',
          },
        },
      },
      security: [{ adminToken: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    // biome-ignore lint/suspicious/noExplicitAny: the swagger plugin's document types do not line up with the transform's.
    transformObject: (document) => tidyComponents(jsonSchemaTransformObject(document) as any),
  });
  app.get('/admin/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
