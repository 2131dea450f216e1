// scopes: the credential must grant the scopes a route or API requires. Only tokens carry scopes;
// an API key grants none, so a route that requires any refuses key-only callers.
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type ScopesConfig, scopesSchema } from './schema.ts';

export const scopes = {
  name: 'scopes',
  description: 'Lets a request through only when its credential grants the required scopes (all or any).',
  phase: 'authorize',
  priority: 940,
  schema: scopesSchema,
  create(config: ScopesConfig): PolicyHandler {
    const required = [...new Set(config.required)];
    if (required.length === 0) return (): undefined => undefined;

    const list = required.join(' ');
    // RFC 6750 section 3.1; scope tokens hold no `"` or `\`, so they need no escaping here.
    const challenge = {
      'www-authenticate': `Bearer realm="turnpike", error="insufficient_scope", scope="${list}"`,
    };
    const needs =
      required.length === 1
        ? `the scope ${list}`
        : config.match === 'all'
          ? `the scopes ${list}`
          : `one of the scopes ${list}`;
    const anonymous = deny('scope-insufficient', `This request needs a token with ${needs}.`, challenge);
    const scopeless = deny(
      'scope-insufficient',
      `The credential grants no scopes; this request needs a token with ${needs}.`,
      challenge,
    );
    const insufficient = deny(
      'scope-insufficient',
      config.match === 'any' && required.length > 1
        ? `The token grants none of the scopes ${list}.`
        : `The token does not grant ${needs}.`,
      challenge,
    );
    const granted = config.match === 'all' ? grantsAll : grantsAny;

    return function scopesHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const consumer = ctx.consumer;
      if (consumer === undefined) return anonymous;
      if (consumer.scopes === undefined) return scopeless;
      return granted(consumer.scopes, required) ? undefined : insufficient;
    };
  },
} satisfies PolicyDefinition<ScopesConfig>;

function grantsAll(scopes: ReadonlySet<string>, required: readonly string[]): boolean {
  return required.every((scope) => scopes.has(scope));
}

function grantsAny(scopes: ReadonlySet<string>, required: readonly string[]): boolean {
  return required.some((scope) => scopes.has(scope));
}
