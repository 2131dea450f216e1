// API: a base path (and hosts) served from one upstream, with routes under it, and what the
// developer portal's catalog shows of it.
import { z } from 'zod';
import { tier } from './account.ts';
import { basePath, description, host, id, name, timestamp, uniqueItems } from './fields.ts';
import { apiMetrics } from './metric.ts';
import { openapiDocument, openapiSummary } from './openapi-document.ts';

export const apiVisibility = z
  .enum(['public', 'partner', 'internal'])
  .describe(
    'Who sees the API in the developer portal: public, everyone; partner, approved accounts; internal, nobody.',
  );
export const apiLifecycle = z
  .enum(['draft', 'published', 'deprecated', 'retired'])
  .describe('Where the API is in its life; the portal lists published and deprecated APIs.');

/** Text for people, where PostgreSQL's text type cannot hold NUL characters. */
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((v) => !v.includes('\0'), 'must not contain NUL characters');

const fields = {
  name,
  description: description.optional().meta({ default: '' }),
  basePath,
  hosts: uniqueItems(host, 'host')
    .max(100)
    .optional()
    .meta({ default: [] })
    .describe('Hosts the API answers on; empty for any.'),
  upstreamId: id('ups').describe('Upstream the API proxies to.'),
  keyless: z
    .boolean()
    .optional()
    .meta({ default: false })
    .describe('True: calls need no credential (an open API).'),
  stripBasePath: z
    .boolean()
    .optional()
    .meta({ default: true })
    .describe('True: the base path is removed from the path sent upstream.'),
  maxBodyBytes: z
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .optional()
    .meta({ default: null })
    .describe('Largest request body the gateway accepts (413 above); null for no limit.'),
  identityProvider: name
    .nullable()
    .optional()
    .meta({ default: null })
    .describe(
      "Name of the identity provider where end users of OAuth clients sign in for this API; null: Turnpike's end-user directory.",
    ),
  metrics: apiMetrics.optional().meta({ default: [] }),
  version: text(50)
    .optional()
    .meta({ default: '' })
    .describe('Version label shown in the portal, such as `v1`; empty for none.'),
  visibility: apiVisibility.optional().meta({ default: 'public' }),
  partnerTiers: uniqueItems(tier, 'tier')
    .max(20)
    .optional()
    .meta({ default: [] })
    .describe(
      'With visibility `partner`: only approved accounts in these trust tiers see the API in the portal; empty: every approved account.',
    ),
  lifecycle: apiLifecycle.optional().meta({ default: 'published' }),
  overview: text(100_000)
    .optional()
    .meta({ default: '' })
    .describe("Markdown for the API's page in the developer portal."),
  openapi: openapiDocument.nullable().optional().meta({ default: null }),
  changelog: text(500_000)
    .optional()
    .meta({ default: '' })
    .describe("Markdown: the API's changelog in the developer portal."),
};

export const apiCreate = z.strictObject(fields).meta({ id: 'ApiCreate', description: 'A new API.' });
export const apiUpdate = apiCreate.partial().meta({ id: 'ApiUpdate', description: 'Fields to change.' });

export const api = z
  .strictObject({
    id: id('api'),
    name,
    description,
    basePath: z.string(),
    hosts: z.array(z.string()),
    upstreamId: id('ups'),
    keyless: z.boolean(),
    stripBasePath: z.boolean(),
    maxBodyBytes: z.int().nullable(),
    identityProvider: z
      .string()
      .nullable()
      .describe("Name of the identity provider end users sign in at; null: Turnpike's end-user directory."),
    metrics: z.array(z.strictObject({ name: z.string(), parent: z.string() })),
    version: z.string(),
    visibility: apiVisibility,
    partnerTiers: z.array(z.string()),
    lifecycle: apiLifecycle,
    overview: z.string(),
    changelog: z.string(),
    openapiSummary: openapiSummary
      .nullable()
      .describe('The stored OpenAPI document in brief; null when there is none.'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Api', description: 'An API served by the gateway.' });

export type ApiCreate = z.infer<typeof apiCreate>;
export type ApiUpdate = z.infer<typeof apiUpdate>;
export type Api = z.infer<typeof api>;
export type ApiVisibility = z.infer<typeof apiVisibility>;
export type ApiLifecycle = z.infer<typeof apiLifecycle>;
