// An operation's security requirements in words ("API key in the X-API-Key header"), from its own
// `security` or else the document's, and the document's `components.securitySchemes`.
import { isNode, type Node, resolved } from './openapi-refs.ts';

/**
 * The ways to authenticate, any one of which will do; `[]` when the document says no
 * authentication is needed, undefined when it says nothing.
 */
export function securityOf(document: Node, operation: Node): string[] | undefined {
  const requirements = Array.isArray(operation.security)
    ? operation.security
    : Array.isArray(document.security)
      ? document.security
      : undefined;
  if (requirements === undefined) return undefined;
  const schemes =
    isNode(document.components) && isNode(document.components.securitySchemes)
      ? document.components.securitySchemes
      : {};
  const ways = requirements.filter(isNode).map((requirement) => {
    const parts = Object.entries(requirement).map(([name, scopes]) =>
      schemeWords(name, resolved(document, schemes[name]), Array.isArray(scopes) ? scopes.map(String) : []),
    );
    // An empty requirement makes authentication optional.
    return parts.length === 0 ? 'no authentication' : parts.join(' and ');
  });
  return [...new Set(ways)];
}

const flowWords: Record<string, string> = {
  authorizationCode: 'authorization code',
  clientCredentials: 'client credentials',
  implicit: 'implicit',
  password: 'password',
  deviceAuthorization: 'device authorization',
};

function schemeWords(name: string, scheme: unknown, scopes: string[]): string {
  const withScopes = (words: string) =>
    scopes.length === 0 ? words : `${words} with scope${scopes.length === 1 ? '' : 's'} ${scopes.join(', ')}`;
  if (!isNode(scheme)) return withScopes(name);
  const where = (place: unknown) =>
    place === 'query' ? 'query parameter' : place === 'cookie' ? 'cookie' : 'header';
  switch (scheme.type) {
    case 'apiKey':
      return withScopes(`API key in the ${String(scheme.name ?? name)} ${where(scheme.in)}`);
    case 'http': {
      const kind = typeof scheme.scheme === 'string' ? scheme.scheme.toLowerCase() : '';
      if (kind === 'bearer') {
        const format = typeof scheme.bearerFormat === 'string' ? ` (${scheme.bearerFormat})` : '';
        return withScopes(`bearer token${format} in the Authorization header`);
      }
      if (kind === 'basic') return withScopes('HTTP Basic authentication (user name and password)');
      return withScopes(kind ? `HTTP ${kind} authentication` : 'HTTP authentication');
    }
    case 'oauth2': {
      const flows = isNode(scheme.flows) ? Object.keys(scheme.flows).map((f) => flowWords[f] ?? f) : [];
      return withScopes(`OAuth 2.0${flows.length > 0 ? ` (${flows.join(', ')})` : ''}`);
    }
    case 'openIdConnect':
      return withScopes('OpenID Connect');
    case 'mutualTLS':
      return withScopes('a client certificate (mutual TLS)');
    default:
      return withScopes(name);
  }
}
