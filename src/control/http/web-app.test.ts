import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installProblemHandlers } from './problems.ts';
import { serveWebApp } from './web-app.ts';

const indexHtml = '<!doctype html><html><body><div id="root"></div></body></html>';
const script = 'console.log("app");';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'turnpike-web-'));
  for (const app of ['portal', 'console']) {
    await mkdir(join(folder, app, 'assets'), { recursive: true });
    await writeFile(join(folder, app, 'index.html'), indexHtml);
    await writeFile(join(folder, app, 'assets', 'index-Bx3k9.js'), script);
    await writeFile(join(folder, app, 'assets', 'index-Q1w2e.css'), 'body{}');
    await writeFile(join(folder, app, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    await writeFile(join(folder, app, '.env'), 'SECRET=1');
  }
  await writeFile(join(folder, 'secret.txt'), 'outside the root');
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A server like the portal's or the admin API's: problem+json 404s and an API of its own. */
async function server(root: string, prefix: string): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify() as unknown as FastifyInstance;
  installProblemHandlers(app);
  app.get('/portal/v1/session', async () => ({ signedIn: false }));
  app.get('/admin/v1/status', async () => ({ ok: true }));
  serveWebApp(app, { root, prefix });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

const browser = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

/** A request with the path sent exactly as written: fetch would normalize `..` away. */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}/`, { path, headers: browser }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the portal app at /', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await server(join(folder, 'portal'), '/'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves index.html at / with no-cache', async () => {
    const response = await fetch(`${url}/`, { headers: browser });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).toBe(indexHtml);
  });

  it('serves hashed assets with their content type and a long, immutable cache', async () => {
    const js = await fetch(`${url}/assets/index-Bx3k9.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await js.text()).toBe(script);
    const css = await fetch(`${url}/assets/index-Q1w2e.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const svg = await fetch(`${url}/favicon.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(svg.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers a repeated request with 304 when the ETag matches', async () => {
    const first = await fetch(`${url}/assets/index-Bx3k9.js`);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).not.toBe('');
    const again = await fetch(`${url}/assets/index-Bx3k9.js`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
  });

  it('answers HEAD without a body', async () => {
    const response = await fetch(`${url}/assets/index-Bx3k9.js`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('');
  });

  it('answers client routes with index.html when a browser asks for a page', async () => {
    for (const path of ['/applications/app_01m7z603c9xn3bw4h3t3703hk0', '/verify-email?token=abc', '/apis']) {
      const response = await fetch(`${url}${path}`, { headers: browser });
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(await response.text()).toBe(indexHtml);
    }
  });

  it('gives 404 to a missing file asked for by a script, and to a missing asset whoever asks', async () => {
    const script = await fetch(`${url}/missing.json`);
    expect(script.status).toBe(404);
    expect(script.headers.get('content-type')).toContain('application/problem+json');
    const asset = await fetch(`${url}/assets/index-old.js`, { headers: browser });
    expect(asset.status).toBe(404);
  });

  it('leaves the APIs alone: their routes answer, their unknown paths are problem+json 404s', async () => {
    expect(await (await fetch(`${url}/portal/v1/session`)).json()).toEqual({ signedIn: false });
    for (const path of ['/portal/v1/nothing-here', '/admin/v1/nothing', '/oauth/auth', '/oauth']) {
      const response = await fetch(`${url}${path}`, { headers: browser });
      expect(response.status, path).toBe(404);
      expect(response.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('does not answer writes', async () => {
    const response = await fetch(`${url}/applications`, { method: 'POST', headers: browser });
    expect(response.status).toBe(404);
  });

  it('refuses path traversal and hidden files', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f..%2fsecret.txt',
      '/..%5csecret.txt',
      '/.env',
      '/%2eenv',
    ]) {
      const response = await rawGet(url, path);
      expect(response.status, path).toBe(400);
      expect(response.body).toContain('the path is not valid');
      expect(response.body).not.toContain('outside the root');
      expect(response.body).not.toContain('SECRET');
    }
  });
});

describe('the console app at /console', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    ({ app, url } = await server(join(folder, 'console'), '/console'));
  });
  afterAll(async () => {
    await app.close();
  });

  it('redirects /console to /console/, keeping the query', async () => {
    const response = await fetch(`${url}/console?next=approvals`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/console/?next=approvals');
  });

  it('serves the app, its assets and its client routes under the prefix only', async () => {
    expect(await (await fetch(`${url}/console/`, { headers: browser })).text()).toBe(indexHtml);
    expect(await (await fetch(`${url}/console/assets/index-Bx3k9.js`)).text()).toBe(script);
    expect(await (await fetch(`${url}/console/approvals`, { headers: browser })).text()).toBe(indexHtml);
    expect((await fetch(`${url}/approvals`, { headers: browser })).status).toBe(404);
    expect(await (await fetch(`${url}/admin/v1/status`)).json()).toEqual({ ok: true });
  });
});

describe('before the app is built', () => {
  it('answers 503 with a page saying how to build it', async () => {
    const { app, url } = await server(join(folder, 'not-built'), '/console');
    try {
      for (const path of ['/console/', '/console/approvals', '/console/assets/index-Bx3k9.js']) {
        const response = await fetch(`${url}${path}`, { headers: browser });
        expect(response.status, path).toBe(503);
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(await response.text()).toContain('npm run build:web');
      }
    } finally {
      await app.close();
    }
  });
});

describe('a relative root', () => {
  it('is taken from the repository root, not the working directory', async () => {
    const { app, url } = await server('web/dist/no-such-app', '/');
    try {
      const response = await fetch(`${url}/`, { headers: browser });
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('<code>web/dist/no-such-app</code>');
    } finally {
      await app.close();
    }
  });
});
