// key-auth: identifies the calling application by an API key in a header (or, when allowed, a
// query parameter). Cheap checks come first: a key that is not well formed never reaches a lookup.
import { hashSecret, isWellFormedApiKey } from '../../shared/secrets.ts';
import { applicationInactive, identifiedBefore } from '../authorization.ts';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { CreateOptions, CredentialHint, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type KeyAuthConfig, keyAuthSchema } from './schema.ts';

/**
 * The last key each connection sent, with its hash: a client sends the same key on every request
 * of a connection, and hashing it again would be most of this policy's cost. Held only while the
 * connection lives.
 */
const lastKeys = new WeakMap<object, { key: string; hash: string }>();

/** The key's hash, or undefined when it is not well formed. */
function hashOf(key: string, connection: object): string | undefined {
  const last = lastKeys.get(connection);
  if (last !== undefined && last.key === key) return last.hash;
  if (!isWellFormedApiKey(key)) return undefined;
  const hash = hashSecret(key);
  lastKeys.set(connection, { key, hash });
  return hash;
}

export const keyAuth = {
  name: 'key-auth',
  description: 'Identifies the calling application by a Turnpike API key in a header or query parameter.',
  phase: 'authenticate',
  priority: 1250,
  schema: keyAuthSchema,
  credential(config: KeyAuthConfig): CredentialHint {
    return { description: `an API key in ${where(config)}`, challenge: challengeOf(config) };
  },
  create(config: KeyAuthConfig, options: CreateOptions): PolicyHandler {
    const header = config.header.toLowerCase();
    const queryParam = config.queryParam;
    const challenge = { 'www-authenticate': challengeOf(config) };
    // Another credential may be accepted instead: then a request without a key passes on.
    const missing = options.credentialOptional
      ? undefined
      : deny('key-missing', `Send an API key in ${where(config)}.`, challenge);
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

    return function keyAuthHandler(ctx: PolicyContext): PolicyResponse | undefined {
      let key = ctx.header(header);
      if (queryParam) {
        key ??= ctx.queryParam(queryParam);
        ctx.removeUpstreamQueryParam(queryParam);
      }
      if (identifiedBefore(ctx, options, header)) return undefined;
      if (key === undefined || key === '') return missing;
      const hash = hashOf(key, ctx.connection);
      if (hash === undefined) return malformed;
      const record = ctx.credentials.apiKey(hash);
      if (record === undefined) return invalid;
      if (record.expiresAt !== null && record.expiresAt <= Date.now()) return expired;
      const application = ctx.credentials.application(record.applicationId);
      if (application === undefined || !application.active) return applicationInactive;
      ctx.setConsumer(application);
      ctx.credentials.used(record);
      // The upstream trusts the gateway's X-Consumer-* headers, not the key.
      ctx.removeUpstreamHeader(header);
      return undefined;
    };
  },
} satisfies PolicyDefinition<KeyAuthConfig>;

// RFC 9110 requires a challenge on 401; "Key" is what Kong's key-auth sends.
function challengeOf(config: KeyAuthConfig): string {
  return `Key header="${config.header}"`;
}

function where(config: KeyAuthConfig): string {
  return config.queryParam
    ? `the ${config.header} header or the ${config.queryParam} query parameter`
    : `the ${config.header} header`;
}
