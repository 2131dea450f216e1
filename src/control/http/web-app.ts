// Serves a built web app (web/dist/portal or web/dist/console) from the control plane's Fastify
// servers: hashed assets cached for a year, index.html revalidated on every load, and client
// routes (a reload of /applications/app_…) answered with index.html.
import { readFile, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { problem } from '../../shared/errors.ts';
import { sendProblem } from './problems.ts';

export interface WebAppOptions {
  /** The built app's folder; a relative path is taken from the repository root. */
  root: string;
  /** Where the app is served: `/` (portal) or `/console`. */
  prefix: string;
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Paths that belong to APIs: never answered with the app, even for a browser. */
const apiPrefixes = ['/portal/v1', '/admin/v1', '/oauth'];

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/** Vite puts content-hashed files here: their URL changes whenever their content does. */
const hashedFolder = 'assets';
const immutable = 'public, max-age=31536000, immutable';

/** Pages, not API operations: kept out of the admin API's OpenAPI document. */
const hidden = { schema: { hide: true } };

export function serveWebApp(app: FastifyInstance, options: WebAppOptions): void {
  const root = isAbsolute(options.root) ? resolve(options.root) : resolve(repositoryRoot, options.root);
  const prefix = options.prefix.replace(/\/+$/, '');
  const handler = (request: FastifyRequest, reply: FastifyReply) => serve(root, prefix, request, reply);
  if (prefix === '') {
    app.get('/*', hidden, handler);
  } else {
    app.get(prefix, hidden, handler);
    app.get(`${prefix}/*`, hidden, handler);
  }
}

async function serve(root: string, prefix: string, request: FastifyRequest, reply: FastifyReply) {
  const [path = '/', query] = splitUrl(request.url);
  if (apiPrefixes.some((api) => path === api || path.startsWith(`${api}/`))) return reply.callNotFound();
  // /console → /console/, so that the app's relative links and its router agree on the base.
  if (path === prefix) return reply.redirect(`${prefix}/${query === undefined ? '' : `?${query}`}`, 302);

  const segments = decodeSegments(path.slice(prefix.length + 1));
  if (segments === undefined) return sendProblem(reply, problem('bad-request', 'the path is not valid'));

  const index = await fileInfo(join(root, 'index.html'));
  if (index === undefined) return notBuilt(reply, root);
  const wantsApp = segments.length === 0 || segments.join('/') === 'index.html';
  if (!wantsApp) {
    const file = join(root, ...segments);
    if (!file.startsWith(root + sep))
      return sendProblem(reply, problem('bad-request', 'the path is not valid'));
    const info = await fileInfo(file);
    if (info !== undefined) {
      const cache = segments[0] === hashedFolder && segments.length > 1 ? immutable : 'no-cache';
      return sendFile(request, reply, file, info, cache);
    }
    // A missing asset is a 404 whoever asks; anything else a browser navigates to is a client route.
    if (segments[0] === hashedFolder || !acceptsHtml(request)) return reply.callNotFound();
  }
  return sendFile(request, reply, join(root, 'index.html'), index, 'no-cache');
}

function splitUrl(url: string): [string, string | undefined] {
  const at = url.indexOf('?');
  return at === -1 ? [url, undefined] : [url.slice(0, at), url.slice(at + 1)];
}

/**
 * The path's segments, percent-decoded; undefined for anything that could step outside the
 * root or name a hidden file: `..`, `.`, dot-files, encoded slashes, backslashes, NUL.
 */
function decodeSegments(relative: string): string[] | undefined {
  const segments: string[] = [];
  for (const raw of relative.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return undefined;
    }
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) return undefined;
    segments.push(segment);
  }
  return segments;
}

interface FileInfo {
  size: number;
  mtimeMs: number;
}

async function fileInfo(path: string): Promise<FileInfo | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { size: info.size, mtimeMs: info.mtimeMs } : undefined;
  } catch {
    return undefined;
  }
}

function acceptsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return typeof accept === 'string' && accept.includes('text/html');
}

async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
  info: FileInfo,
  cacheControl: string,
) {
  const contentType = contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream';
  const etag = `W/"${info.size.toString(16)}-${Math.trunc(info.mtimeMs).toString(16)}"`;
  reply
    .header('cache-control', cacheControl)
    .header('etag', etag)
    .header('last-modified', new Date(info.mtimeMs).toUTCString())
    .header('x-content-type-options', 'nosniff');
  if (contentType.startsWith('text/html')) {
    // The pages carry one-time tokens in their URLs (/verify-email?token=…) and act for a
    // signed-in user: keep both away from other sites.
    reply
      .header('referrer-policy', 'same-origin')
      .header('x-frame-options', 'DENY')
      .header('content-security-policy', "frame-ancestors 'none'");
  }
  if (request.headers['if-none-match'] === etag) return reply.code(304).send();
  const body = await readFile(path).catch(() => undefined);
  if (body === undefined) return reply.callNotFound(); // removed between stat and read: a rebuild
  return reply.type(contentType).send(body);
}

function notBuilt(reply: FastifyReply, root: string) {
  const folder = root.startsWith(repositoryRoot) ? root.slice(repositoryRoot.length) : root;
  return reply
    .code(503)
    .type('text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Web app not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<main>
<h1>The web app is not built</h1>
<p>There is no build in <code>${escapeHtml(folder)}</code>. Run <code>npm run build:web</code> in the Turnpike folder, then reload this page.</p>
</main>
</body>
</html>
`);
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
