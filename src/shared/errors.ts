// The one registry of error codes that clients see. Each code has a status, a title and a
// section in docs/errors.md (a test checks that every code is documented there); the code is
// also the last part of the problem `type` URI, so clients can switch on it.

export const errorTypeBase = 'https://turnpike.dev/errors/';

export const errorCodes = {
  // gateway
  'route-not-found': { status: 404, title: 'No route matches this request' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this route' },
  'key-missing': { status: 401, title: 'API key missing' },
  'key-malformed': { status: 401, title: 'API key malformed' },
  'key-invalid': { status: 401, title: 'API key not recognised' },
  'key-expired': { status: 401, title: 'API key expired' },
  'credential-missing': { status: 401, title: 'Credential missing' },
  'token-invalid': { status: 401, title: 'Access token not accepted' },
  'token-expired': { status: 401, title: 'Access token expired' },
  'credentials-invalid': { status: 401, title: 'Username or password not accepted' },
  'certificate-invalid': { status: 401, title: 'Client certificate not accepted' },
  'signature-invalid': { status: 401, title: 'Request signature not accepted' },
  'application-inactive': { status: 403, title: 'Application or account is not active' },
  'scope-insufficient': { status: 403, title: 'The token lacks a scope this route requires' },
  'access-denied': { status: 403, title: 'The caller is not allowed on this API' },
  'ip-not-allowed': { status: 403, title: 'The client address is not allowed' },
  'cors-origin-denied': { status: 403, title: 'The origin is not allowed to call this API' },
  'not-subscribed': { status: 403, title: 'No active subscription covers this API' },
  'metric-disabled': { status: 403, title: 'The plan does not include this call' },
  'rate-limited': { status: 429, title: 'A rate limit or quota is reached' },
  'limits-unavailable': { status: 503, title: 'Rate limits could not be checked' },
  'bad-request': { status: 400, title: 'Malformed or ambiguous request' },
  'request-timeout': { status: 408, title: 'The client took too long to send the request' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  'upstream-unavailable': { status: 502, title: 'Upstream unavailable' },
  'upstream-timeout': { status: 504, title: 'Upstream timed out' },
  'upstream-circuit-open': { status: 503, title: 'Every upstream target is out of rotation' },
  'gateway-not-ready': { status: 503, title: 'Gateway has no configuration yet' },
  'internal-error': { status: 500, title: 'Internal error' },
  'snapshot-invalid': { status: 422, title: 'Configuration snapshot refused by the gateway' },
  // admin API and control plane
  unauthorized: { status: 401, title: 'Missing or invalid admin token' },
  forbidden: { status: 403, title: 'Not allowed for this role' },
  'csrf-token-invalid': { status: 403, title: 'Missing or wrong CSRF token' },
  'sign-in-failed': { status: 401, title: 'Wrong email or password' },
  'sign-in-throttled': { status: 429, title: 'Too many failed sign-ins' },
  'email-not-verified': { status: 403, title: 'The e-mail address is not verified yet' },
  'link-invalid': { status: 400, title: 'The link is unknown, used or expired' },
  'validation-failed': { status: 400, title: 'Request failed validation' },
  'malformed-body': { status: 400, title: 'Request body is not valid JSON' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'uri-too-long': { status: 414, title: 'Request target too long' },
  'not-found': { status: 404, title: 'Resource not found' },
  'reference-not-found': { status: 422, title: 'A referenced resource does not exist' },
  conflict: { status: 409, title: 'Conflicts with the current state' },
  'invalid-transition': { status: 409, title: 'State change not allowed' },
  'service-unavailable': { status: 503, title: 'The service is not running in this process' },
  'config-invalid': { status: 400, title: 'Declarative configuration is invalid' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCodes;

/** A field-level problem inside a larger document, such as `apis[2].routes[0].path`. */
export interface FieldError {
  path: string;
  message: string;
}

/** RFC 9457 problem details, the body of every error response. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
}

export function problem(
  code: ErrorCode,
  detail: string,
  extra?: { requestId?: string; errors?: FieldError[] },
): Problem {
  const { status, title } = errorCodes[code];
  return { type: errorTypeBase + code, title, status, detail, code, ...extra };
}

/** Expected failures travel as values; only bugs throw. */
export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(code: ErrorCode, detail: string, errors?: FieldError[]): Result<T> {
  return { ok: false, problem: problem(code, detail, errors ? { errors } : undefined) };
}

/** `['apis', 2, 'routes', 0, 'path']` → `apis[2].routes[0].path` */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || '(root)';
}
