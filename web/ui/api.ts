// The web apps' one way to call their API: JSON in and out with the session cookie, the CSRF
// token on writes, and problem+json errors turned into messages a person can act on.

/** An RFC 9457 problem document, as the portal and admin APIs answer errors. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly problem: Problem;

  constructor(status: number, problem: Problem, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code;
    this.problem = problem;
  }
}

/** What to show a person for an error of any kind. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error && error.message !== '') return error.message;
  return 'Something went wrong. Please try again.';
}

const statusMessages: Record<number, string> = {
  400: 'The request was not accepted.',
  401: 'You are signed out. Please sign in again.',
  403: 'You are not allowed to do this.',
  404: 'Not found.',
  409: 'This conflicts with the current state. Reload and try again.',
  413: 'This is too large.',
  429: 'Too many attempts. Wait a moment and try again.',
  500: 'The server failed on this request.',
  502: 'The server is not reachable right now.',
  503: 'The service is not available right now. Try again in a moment.',
};

function messageOf(status: number, problem: Problem): string {
  // A field-by-field list reads better than the joined `detail` (`body.name: …; body.email: …`).
  const fields = problem.errors?.map((e) => `${fieldName(e.path)}: ${e.message}`);
  const text =
    fields && fields.length > 0
      ? fields.join('\n')
      : (problem.detail ?? problem.title ?? statusMessages[status] ?? `Request failed (${status}).`);
  const sentence = text.charAt(0).toUpperCase() + text.slice(1);
  return status >= 500 && problem.requestId ? `${sentence} (request ${problem.requestId})` : sentence;
}

/** `body.limits[1].max` → `limits[1].max`: the prefix says nothing to a person. */
const fieldName = (path: string) => path.replace(/^(body|querystring|params)\./, '');

export interface ApiClient {
  get<T>(path: string, query?: Record<string, string | number | undefined>): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  delete<T = void>(path: string): Promise<T>;
  /** The session's CSRF token, sent as X-CSRF-Token on every write; undefined forgets it. */
  setCsrfToken(token: string | undefined): void;
  csrfToken(): string | undefined;
}

export interface ApiClientOptions {
  /** `/portal/v1` or `/admin/v1`. */
  base: string;
  /** Where the CSRF token survives a reload, when the API does not repeat it (the admin API). */
  csrfStorageKey?: string;
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const storage = options.csrfStorageKey === undefined ? undefined : safeLocalStorage();
  let csrf: string | undefined =
    options.csrfStorageKey === undefined
      ? undefined
      : (storage?.getItem(options.csrfStorageKey) ?? undefined);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    // No content type without a body: the admin API refuses a bodiless DELETE that claims JSON.
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && csrf !== undefined) headers['x-csrf-token'] = csrf;
    let response: Response;
    try {
      response = await fetch(`${options.base}${path}`, {
        method,
        headers,
        credentials: 'same-origin',
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, {}, 'Cannot reach the server. Check your connection and try again.');
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const problem: Problem = typeof parsed === 'object' && parsed !== null ? (parsed as Problem) : {};
      throw new ApiError(response.status, problem, messageOf(response.status, problem));
    }
    return parsed as T;
  }

  return {
    get: (path, query) => call('GET', `${path}${queryString(query)}`),
    post: (path, body) => call('POST', path, body),
    patch: (path, body) => call('PATCH', path, body),
    put: (path, body) => call('PUT', path, body),
    delete: (path) => call('DELETE', path),
    setCsrfToken(token) {
      csrf = token;
      if (options.csrfStorageKey === undefined) return;
      if (token === undefined) storage?.removeItem(options.csrfStorageKey);
      else storage?.setItem(options.csrfStorageKey, token);
    },
    csrfToken: () => csrf,
  };
}

function queryString(query: Record<string, string | number | undefined> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, String(value));
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** An id or name as one path segment. */
export const segment = (value: string) => encodeURIComponent(value);

function safeLocalStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined; // storage disabled: the token lasts as long as the page
  }
}

/** Lists answer `{ data: [...] }`, the admin API's with a `next` cursor. */
export interface List<T> {
  data: T[];
  next?: string | null;
}
