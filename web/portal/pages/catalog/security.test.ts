import { describe, expect, it } from 'vitest';
import { securityOf } from './security.ts';

const document = {
  components: {
    securitySchemes: {
      key: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      queryKey: { type: 'apiKey', in: 'query', name: 'api_key' },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      basic: { type: 'http', scheme: 'Basic' },
      oauth: { type: 'oauth2', flows: { clientCredentials: {}, authorizationCode: {} } },
      oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://id.example.com' },
      mtls: { type: 'mutualTLS' },
      shared: { $ref: '#/components/securitySchemes/key' },
    },
  },
  security: [{ key: [] }],
};

describe('security requirements in words', () => {
  it("uses the document's requirement when the operation has none", () => {
    expect(securityOf(document, {})).toEqual(['API key in the X-API-Key header']);
  });

  it("lets the operation's requirement win, alternatives apart and combinations joined", () => {
    expect(securityOf(document, { security: [{ bearer: [] }, { queryKey: [], basic: [] }] })).toEqual([
      'bearer token (JWT) in the Authorization header',
      'API key in the api_key query parameter and HTTP Basic authentication (user name and password)',
    ]);
  });

  it('names OAuth flows and scopes, OpenID Connect and mutual TLS', () => {
    expect(
      securityOf(document, { security: [{ oauth: ['read:forecast', 'write'] }, { oidc: [] }, { mtls: [] }] }),
    ).toEqual([
      'OAuth 2.0 (client credentials, authorization code) with scopes read:forecast, write',
      'OpenID Connect',
      'a client certificate (mutual TLS)',
    ]);
  });

  it('says when no authentication is needed, or is optional, and when nothing is said', () => {
    expect(securityOf(document, { security: [] })).toEqual([]);
    expect(securityOf(document, { security: [{}, { key: [] }] })).toEqual([
      'no authentication',
      'API key in the X-API-Key header',
    ]);
    expect(securityOf({}, {})).toBeUndefined();
  });

  it('follows a referenced scheme and names an unknown one as written', () => {
    expect(securityOf(document, { security: [{ shared: [] }, { missing: [] }] })).toEqual([
      'API key in the X-API-Key header',
      'missing',
    ]);
  });
});
