// upstream-secret: adds a shared secret header to every upstream request, so the upstream can
// refuse calls that bypass the gateway. A client can never send the header through.
import type { PolicyContext } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type UpstreamSecretConfig, upstreamSecretSchema } from './schema.ts';

export const upstreamSecret = {
  name: 'upstream-secret',
  description:
    'Adds a secret header to upstream requests so the upstream can refuse calls that bypass the gateway.',
  phase: 'request',
  priority: 800,
  schema: upstreamSecretSchema,
  create(config: UpstreamSecretConfig): PolicyHandler {
    const { header, secret } = config;
    // Setting a header replaces any incoming copy; without a secret, only the removal is left.
    if (secret === null) {
      return function upstreamSecretHandler(ctx: PolicyContext): undefined {
        ctx.removeUpstreamHeader(header);
      };
    }
    return function upstreamSecretHandler(ctx: PolicyContext): undefined {
      ctx.setUpstreamHeader(header, secret);
    };
  },
} satisfies PolicyDefinition<UpstreamSecretConfig>;
