// oauth: accepts access tokens from Turnpike's own authorization server (RFC 9068 JWTs). The
// keys arrive with the configuration snapshot, so a token is checked without any call to the
// control plane, and a key rotation reaches the gateways before the new key signs anything.
import type { JWK } from 'jose';
import { apiResource } from '../../shared/api-resource.ts';
import { deny, type PolicyResponse } from '../context.ts';
import type { CreateOptions, CredentialHint, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { localKeySet } from '../jwt/key-sets.ts';
import { tokenHandler } from '../jwt/policy.ts';
import type { JwtConfig } from '../jwt/schema.ts';
import { type OAuthConfig, oauthSchema } from './schema.ts';

const challenge = 'Bearer realm="turnpike"';

export const oauth = {
  name: 'oauth',
  description:
    "Identifies the calling application (and the end user it acts for) by an access token from Turnpike's own authorization server.",
  phase: 'authenticate',
  priority: 1500,
  // Tokens asked for this API alone (resource indicator urn:turnpike:api:NAME) are accepted here.
  perApi: true,
  schema: oauthSchema,
  credential(): CredentialHint {
    return { description: 'an access token from the authorization server as a bearer token', challenge };
  },
  create(_config: OAuthConfig, options: CreateOptions): PolicyHandler {
    const server = options.authorizationServer;
    if (server === undefined) {
      // A data-plane node of a control plane without an authorization server.
      const unavailable: PolicyResponse = deny(
        'token-invalid',
        'No authorization server is configured for this gateway.',
        {
          'www-authenticate': `${challenge}, error="invalid_token"`,
        },
      );
      return (ctx) =>
        ctx.header('authorization') === undefined && options.credentialOptional ? undefined : unavailable;
    }
    const config: JwtConfig = {
      issuer: server.issuer,
      audiences: options.api ? [server.audience, apiResource(options.api.name)] : [server.audience],
      jwksUrl: null,
      publicKeys: server.keys as JwtConfig['publicKeys'],
      algorithms: ['ES256'],
      applicationClaim: 'client_id',
      scopeClaim: 'scope',
      clockSkewSeconds: 30,
      requiredClaims: ['exp', 'iat'],
      typ: 'at+jwt',
    };
    return tokenHandler(config, options, localKeySet(server.keys as JWK[]), new Set(server.revokedGrants));
  },
} satisfies PolicyDefinition<OAuthConfig>;
