// cors: answers browsers' preflights itself and adds CORS headers to responses for allowed origins.
// It runs before every other policy: a preflight carries no credential, so it must be answered
// before authentication could refuse it.
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type CorsConfig, corsSchema } from './schema.ts';

export const cors = {
  name: 'cors',
  description: 'Answers CORS preflights and lets browsers on the configured origins read API responses.',
  phase: 'pre-auth',
  priority: 2000,
  schema: corsSchema,
  create(config: CorsConfig): PolicyHandler {
    const anyOrigin = config.origins.includes('*');
    const origins = new Set(config.origins.map((origin) => origin.toLowerCase()));
    const methods = new Set(config.methods);
    // Browsers refuse "*" on a request with credentials, so then the origin itself goes back.
    const reflectOrigin = !anyOrigin || config.credentials;
    const reflectHeaders = config.headers.length === 0;
    const credentials = config.credentials ? 'true' : undefined;
    const privateNetwork = config.privateNetwork;
    const exposeHeaders = config.exposeHeaders.length > 0 ? config.exposeHeaders.join(', ') : undefined;
    const preflightHeaders: Record<string, string> = {
      'access-control-allow-methods': config.methods.join(', '),
      'access-control-max-age': String(config.maxAgeSeconds),
      vary: reflectHeaders ? 'Origin, Access-Control-Request-Headers' : 'Origin',
    };
    if (!reflectHeaders) preflightHeaders['access-control-allow-headers'] = config.headers.join(', ');
    if (credentials) preflightHeaders['access-control-allow-credentials'] = credentials;
    const originDenied = deny('cors-origin-denied', 'This origin is not allowed to call this API.');
    const methodDenied = deny(
      'cors-origin-denied',
      'The method asked for in the preflight is not allowed for cross-origin calls to this API.',
    );

    return function corsHandler(ctx: PolicyContext): PolicyResponse | undefined {
      // When the answer depends on Origin, caches must know it, for every request (with or
      // without an Origin, allowed or not), and keep the upstream's own Vary entries.
      if (reflectOrigin) ctx.appendResponseHeader('vary', 'Origin');
      const origin = ctx.header('origin');
      // Not a browser's cross-origin call (or a same-origin GET): nothing to do.
      if (origin === undefined || origin === '') return undefined;
      const allowed = anyOrigin || origins.has(origin.toLowerCase());
      const requestedMethod =
        ctx.method === 'OPTIONS' ? ctx.header('access-control-request-method') : undefined;

      if (requestedMethod !== undefined) {
        if (!allowed) return originDenied;
        if (!methods.has(requestedMethod)) return methodDenied;
        const headers: Record<string, string> = {
          ...preflightHeaders,
          'access-control-allow-origin': reflectOrigin ? origin : '*',
        };
        const requestedHeaders = ctx.header('access-control-request-headers');
        if (reflectHeaders && requestedHeaders) headers['access-control-allow-headers'] = requestedHeaders;
        if (privateNetwork && ctx.header('access-control-request-private-network') === 'true') {
          headers['access-control-allow-private-network'] = 'true';
        }
        return { kind: 'response', status: 204, headers };
      }

      // A disallowed origin gets no CORS headers: the request goes on and the browser withholds
      // the response from the page.
      if (!allowed) return undefined;
      if (reflectOrigin) {
        ctx.setResponseHeader('access-control-allow-origin', origin);
      } else {
        ctx.setResponseHeader('access-control-allow-origin', '*');
      }
      if (credentials) ctx.setResponseHeader('access-control-allow-credentials', credentials);
      if (exposeHeaders) ctx.setResponseHeader('access-control-expose-headers', exposeHeaders);
      return undefined;
    };
  },
} satisfies PolicyDefinition<CorsConfig>;
