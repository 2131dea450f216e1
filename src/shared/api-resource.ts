// The resource indicator (RFC 8707) naming one API at Turnpike's authorization server. A token
// asked for with it carries it as its audience and is accepted by that API only; the API's
// identity provider (if it has one) is where its end users sign in.
const prefix = 'urn:turnpike:api:';

export function apiResource(apiName: string): string {
  return `${prefix}${apiName}`;
}

/** The API name in a resource indicator, or undefined when it names no API. */
export function apiOfResource(resource: string): string | undefined {
  return resource.startsWith(prefix) && resource.length > prefix.length
    ? resource.slice(prefix.length)
    : undefined;
}
