// Importing an OpenAPI 3 file as an API: reading it (JSON or YAML), the API's fields it
// suggests, and one route per operation with its path in the gateway router's syntax.

export type OpenApiDocument = Record<string, unknown>;

export type ParsedDocument = { ok: true; document: OpenApiDocument } | { ok: false; message: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The document in a file's text: JSON, or YAML (the `yaml` package, loaded only when needed).
 * Checked as the admin API checks it: an object with an `openapi` version 3.x and an `info`.
 */
export async function parseOpenApi(text: string): Promise<ParsedDocument> {
  let parsed: unknown;
  const trimmed = text.trimStart();
  try {
    if (trimmed.startsWith('{')) parsed = JSON.parse(trimmed);
    else {
      const { parse } = await import('yaml');
      parsed = parse(text);
    }
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, message: `The file is neither JSON nor YAML that can be read: ${reason}` };
  }
  if (!isObject(parsed))
    return { ok: false, message: 'The file does not hold an OpenAPI document (an object).' };
  if (typeof parsed.swagger === 'string')
    return { ok: false, message: 'This is a Swagger 2.0 document: convert it to OpenAPI 3 first.' };
  if (typeof parsed.openapi !== 'string' || !parsed.openapi.startsWith('3.'))
    return { ok: false, message: 'The document has no "openapi" version 3.x, such as "3.1.0".' };
  if (!isObject(parsed.info)) return { ok: false, message: 'The document has no "info" object.' };
  return { ok: true, document: parsed };
}

const idLike = /^[a-z]{3}_[0-9a-z]{26}$/;

/** A Turnpike name (letters, digits, `.`, `_`, `-`; up to 100) made from free text. */
export function toName(text: string, fallback: string): string {
  let name = text
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[-.]+$/, '')
    .slice(0, 100);
  if (name === '') name = fallback;
  return idLike.test(name) ? `${name.slice(0, 96)}-api` : name;
}

export interface ApiSuggestion {
  name: string;
  version: string;
  description: string;
  /** From the first server's URL path; `null` when it has none a base path can be. */
  basePath: string | null;
}

const literalSegment = /^[A-Za-z0-9\-._~!$&'()+,;=:@%]+$/;

/** The path of `servers[0].url` as a base path: `https://api.example.com/v1/` → `/v1`. */
export function basePathOf(document: OpenApiDocument): string | null {
  const servers = Array.isArray(document.servers) ? document.servers : [];
  const server = servers[0];
  if (!isObject(server) || typeof server.url !== 'string') return null;
  const variables = isObject(server.variables) ? server.variables : {};
  const url = server.url.replace(/\{([^}]+)\}/g, (whole, name: string) => {
    const variable = variables[name];
    return isObject(variable) && typeof variable.default === 'string' ? variable.default : whole;
  });
  let path: string;
  try {
    path = new URL(url, 'http://server.invalid').pathname;
  } catch {
    return null;
  }
  const segments = path.split('/').filter((s) => s !== '');
  if (segments.length === 0) return null;
  if (!segments.every((s) => literalSegment.test(s) && s !== '.' && s !== '..')) return null;
  return `/${segments.join('/')}`.slice(0, 500);
}

export function suggestApi(document: OpenApiDocument): ApiSuggestion {
  const info = isObject(document.info) ? document.info : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    name: toName(text(info.title), 'imported-api'),
    version: text(info.version).slice(0, 50),
    description: (text(info.summary) || text(info.description)).trim().slice(0, 2000),
    basePath: basePathOf(document),
  };
}

export interface SuggestedRoute {
  name: string;
  method: string;
  /** In the router's syntax: whole-segment `{param}` names of letters, digits and `_`. */
  path: string;
  /** As the document writes it. */
  documentPath: string;
  summary: string;
  /** Why the path differs from the document's, when it does in a way that matters. */
  note?: string;
}

/** The methods a route may name (the admin API's list; `trace` is not one of them). */
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

/**
 * An OpenAPI path in the router's syntax. The router takes `{param}` only as a whole segment,
 * with a name of letters, digits and `_` used once: `{pet-id}` becomes `{pet_id}`, and a segment
 * that mixes text and a parameter (`{name}.json`) becomes one parameter, which matches more.
 */
export function toRoutePath(path: string): { path: string; widened: boolean } {
  const used = new Set<string>();
  let widened = false;
  const paramName = (raw: string) => {
    let name = raw.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z_]/.test(name)) name = `p_${name}`;
    let unique = name;
    for (let n = 2; used.has(unique); n++) unique = `${name}_${n}`;
    used.add(unique);
    return unique;
  };
  const segments = path.split('/').map((segment) => {
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole?.[1]) return `{${paramName(whole[1])}}`;
    const inner = /\{([^{}]+)\}/.exec(segment);
    if (inner?.[1]) {
      widened = true;
      return `{${paramName(inner[1])}}`;
    }
    return segment;
  });
  const joined = segments.join('/');
  return { path: joined === '' ? '/' : joined.startsWith('/') ? joined : `/${joined}`, widened };
}

/** Paths the router cannot tell apart: parameter names aside, one trailing slash aside. */
const shapeOf = (path: string) => path.replace(/\{[^}]*\}/g, '{}').replace(/(.)\/$/, '$1');

/** One route per path and method of the document, with unique names and no two the same. */
export function suggestRoutes(document: OpenApiDocument): SuggestedRoute[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const routes: SuggestedRoute[] = [];
  const names = new Set<string>();
  const seen = new Set<string>();
  for (const [documentPath, item] of Object.entries(paths)) {
    if (!isObject(item)) continue;
    const { path, widened } = toRoutePath(documentPath);
    for (const method of Object.keys(item).filter((key) => methods.includes(key))) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const shape = `${method} ${shapeOf(path)}`;
      if (seen.has(shape)) continue; // the router could not tell the two apart: the first one wins
      seen.add(shape);
      const readable = documentPath.replace(/[{}]/g, '').split('/').filter(Boolean).join('-') || 'root';
      const base = toName(
        typeof operation.operationId === 'string' ? operation.operationId : `${method}-${readable}`,
        `${method}-route`,
      );
      let name = base;
      for (let n = 2; names.has(name); n++) name = `${base.slice(0, 95)}-${n}`;
      names.add(name);
      routes.push({
        name,
        method: method.toUpperCase(),
        path,
        documentPath,
        summary: typeof operation.summary === 'string' ? operation.summary : '',
        ...(widened ? { note: 'A parameter inside a segment: the route takes the whole segment.' } : {}),
      });
    }
  }
  return routes;
}
