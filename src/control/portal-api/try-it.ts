// /portal/v1/try-it: the API page's try-it console sends a real request through the gateway, with
// the developer's own key, by way of the portal server. The browser cannot call the gateway
// itself (another origin, and APIs need not allow CORS); the portal only ever calls the gateway,
// under the base path of an API the developer may see, so it is no open proxy.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { problem } from '../../shared/errors.ts';
import { sendProblem } from '../http/problems.ts';
import { visibleApis } from './catalog.ts';
import type { PortalContext } from './context.ts';

const maxAnswerBytes = 1024 * 1024;
/** Headers the console may not set: they belong to the connection or to the portal's session. */
const refusedHeaders = new Set([
  'host',
  'connection',
  'content-length',
  'transfer-encoding',
  'cookie',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'proxy-connection',
  'x-csrf-token',
]);

const tryItBody = z.strictObject({
  api: z.string().max(100).describe('Id or name of the API.'),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']),
  path: z
    .string()
    .max(2000)
    .regex(/^\/[^\s#]*$/, 'must start with "/" and hold no spaces or "#"'),
  headers: z
    .record(
      z
        .string()
        .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be a header name')
        .max(100),
      z.string().max(8000),
    )
    .optional()
    .refine((h) => Object.keys(h ?? {}).length <= 50, 'at most 50 headers'),
  body: z.string().max(maxAnswerBytes).optional(),
});

export function tryItRoutes(app: FastifyInstance, ctx: PortalContext): void {
  app.post('/try-it', { schema: { body: tryItBody } }, async (request, reply) => {
    const input = request.body as z.infer<typeof tryItBody>;
    const api = (await visibleApis(ctx.db, request)).find((a) => a.id === input.api || a.name === input.api);
    if (!api) return sendProblem(reply, problem('not-found', `no API ${input.api}`));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(input.headers ?? {})) {
      if (refusedHeaders.has(name.toLowerCase()))
        return sendProblem(reply, problem('validation-failed', `body.headers: ${name} cannot be set here`));
      headers[name] = value;
    }
    const base = api.basePath === '/' ? '' : api.basePath;
    const url = `${ctx.gatewayUrl()}${base}${input.path}`;
    const started = performance.now();
    try {
      const answer = await fetch(url, {
        method: input.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
        ...(input.body !== undefined && !['GET', 'HEAD'].includes(input.method) && { body: input.body }),
      });
      const bytes = new Uint8Array(await answer.arrayBuffer());
      return {
        url,
        status: answer.status,
        headers: Object.fromEntries(answer.headers),
        body: new TextDecoder().decode(bytes.subarray(0, maxAnswerBytes)),
        truncated: bytes.byteLength > maxAnswerBytes,
        durationMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const detail =
        error instanceof Error && error.name === 'TimeoutError' ? 'took over 30 s' : 'could not be reached';
      return sendProblem(reply, problem('service-unavailable', `the gateway ${detail} (${url})`));
    }
  });
}
