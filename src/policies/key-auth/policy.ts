// key-auth: identifies the calling application by an API key in a header (or, when allowed, a
// query parameter). Cheap checks come first: a key that is not well formed never reaches a lookup.
import { hashSecret, isWellFormedApiKey } from '../../shared/secrets.ts';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type KeyAuthConfig, keyAuthSchema } from './schema.ts';

export const keyAuth = {
  name: 'key-auth',
  phase: 'authenticate',
  priority: 1250,
  schema: keyAuthSchema,
  create(config: KeyAuthConfig): PolicyHandler {
    const header = config.header.toLowerCase();
    const queryParam = config.queryParam;
    // RFC 9110 requires a challenge on 401; "Key" is what Kong's key-auth sends.
    const challenge = { 'www-authenticate': `Key header="${config.header}"` };
    const where = queryParam
      ? `the ${config.header} header or the ${queryParam} query parameter`
      : `the ${config.header} header`;
    const missing = deny('key-missing', `Send an API key in ${where}.`, challenge);
    const malformed = deny(
      'key-malformed',
      'The API key does not have the shape of a Turnpike key.',
      challenge,
    );
    const invalid = deny('key-invalid', 'The API key is not known; it may have been revoked.', challenge);
    const expired = deny(
      'key-expired',
      'The API key has expired; rotate it in the developer portal.',
      challenge,
    );
    const inactive = deny(
      'application-inactive',
      'The application or its account is suspended or not approved.',
    );

    return function keyAuthHandler(ctx: PolicyContext): PolicyResponse | undefined {
      let key = ctx.header(header);
      if (queryParam) {
        key ??= ctx.queryParam(queryParam);
        ctx.removeUpstreamQueryParam(queryParam);
      }
      if (key === undefined || key === '') return missing;
      if (!isWellFormedApiKey(key)) return malformed;
      const record = ctx.credentials.apiKey(hashSecret(key));
      if (record === undefined) return invalid;
      if (record.expiresAt !== null && record.expiresAt <= Date.now()) return expired;
      const application = ctx.credentials.application(record.applicationId);
      if (application === undefined || !application.active) return inactive;
      ctx.setConsumer(application);
      ctx.credentials.used(record);
      // The upstream trusts the gateway's X-Consumer-* headers, not the key.
      ctx.removeUpstreamHeader(header);
      return undefined;
    };
  },
} satisfies PolicyDefinition<KeyAuthConfig>;
