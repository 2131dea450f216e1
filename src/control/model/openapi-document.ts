// An API's OpenAPI document as the admin API and declarative files take it: any JSON object that
// says it is OpenAPI 3.x and has an `info` object. The check is structural on purpose: the portal
// renders what it is given, and a full validator would refuse real documents over details.
import { z } from 'zod';

/** Largest document accepted, as UTF-8 JSON. */
export const maxOpenapiBytes = 5 * 1024 * 1024;

const shape = z.looseObject({
  openapi: z
    .string('must be the OpenAPI version, a string such as "3.1.0"')
    .regex(/^3\./, 'must be an OpenAPI 3.x version such as "3.1.0" (Swagger 2.0 is not accepted)'),
  info: z.record(z.string(), z.unknown(), 'must be an object with the title and version of the API'),
});

// A record, not the loose object itself, so the document keeps its keys in the order written.
export const openapiDocument = z
  .record(z.string(), z.unknown(), 'must be an OpenAPI 3.x document (a JSON object)')
  .superRefine((document, ctx) => {
    const parsed = shape.safeParse(document);
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(document));
    if (bytes > maxOpenapiBytes)
      ctx.addIssue({
        code: 'custom',
        message: `is ${bytes} bytes as JSON; at most ${maxOpenapiBytes} (5 MiB) are accepted`,
      });
  })
  .describe(
    'OpenAPI 3.x document of the API, as a JSON object: its `openapi` starts with `3.` and it has an ' +
      '`info` object; at most 5 MiB as JSON. Stored as written and shown in the developer portal.',
  );

export const openapiSummary = z
  .strictObject({
    openapi: z.string().describe('The document’s `openapi` version, such as `3.1.0`.'),
    title: z.string().nullable().describe('`info.title`; null when it is not a string.'),
    version: z.string().nullable().describe('`info.version`; null when it is not a string.'),
    bytes: z.int().describe('Size of the document as JSON, in bytes.'),
  })
  .meta({
    id: 'OpenApiSummary',
    description:
      'What the stored OpenAPI document is; `GET /apis/{api}/openapi` returns the document itself.',
  });

export type OpenapiSummary = z.infer<typeof openapiSummary>;

/** A stored document in brief, so listings and audit records do not carry megabytes. */
export function summarizeOpenapi(document: Record<string, unknown> | null): OpenapiSummary | null {
  if (document === null) return null;
  const info = (document.info ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    openapi: String(document.openapi),
    title: text(info.title),
    version: text(info.version),
    bytes: Buffer.byteLength(JSON.stringify(document)),
  };
}
