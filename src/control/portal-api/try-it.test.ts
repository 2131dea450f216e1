// Try-it goes to the gateway only, under the base path of an API the developer may see, with the
// headers the developer chose (never the portal's cookie), and answers with what came back.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { created } from '../../../test/support/fixtures.ts';
import { type PortalBrowser, type PortalHarness, startPortal } from '../../../test/support/portal.ts';

describe('try-it', () => {
  let admin: AdminHarness;
  let portal: PortalHarness;
  let gateway: Server;
  let dev: PortalBrowser;
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  beforeAll(async () => {
    gateway = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        res.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
        res.end(JSON.stringify({ echoed: req.url }));
      });
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    admin = await startAdmin('pglite');
    portal = await startPortal(admin, {
      gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
    });
    const upstream = await created(admin, '/admin/v1/upstreams', {
      name: 'up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    await created(admin, '/admin/v1/apis', {
      name: 'weather',
      basePath: '/weather/v1',
      upstreamId: upstream.id,
    });
    await created(admin, '/admin/v1/apis', {
      name: 'secret',
      basePath: '/secret',
      upstreamId: upstream.id,
      visibility: 'internal',
    });
    const password = 'correct horse battery';
    await portal
      .browser()
      .call('POST', '/portal/v1/signup', { email: 't@example.com', password, name: 'T', organization: 'T' });
    dev = portal.browser();
    await dev.call('POST', '/portal/v1/verify-email', {
      token: portal.linkToken('t@example.com', '/verify-email'),
    });
    await dev.signIn('t@example.com', password);
  });
  afterAll(async () => {
    await portal.close();
    await admin.close();
    gateway.close();
  });

  it('sends the request through the gateway under the API base path and answers with the response', async () => {
    const answer = await dev.call('POST', '/portal/v1/try-it', {
      api: 'weather',
      method: 'POST',
      path: '/forecast?city=Oslo',
      headers: { 'X-API-Key': 'tp_live_example', 'content-type': 'application/json' },
      body: '{"days":3}',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      url: expect.stringMatching(/\/weather\/v1\/forecast\?city=Oslo$/),
      status: 201,
      headers: expect.objectContaining({ 'x-request-id': 'req-1' }),
      body: '{"echoed":"/weather/v1/forecast?city=Oslo"}',
      truncated: false,
    });
    const request = seen.at(-1);
    expect(request).toMatchObject({
      method: 'POST',
      url: '/weather/v1/forecast?city=Oslo',
      body: '{"days":3}',
    });
    expect(request?.headers['x-api-key']).toBe('tp_live_example');
    expect(request?.headers.cookie).toBeUndefined();
  });

  it('refuses APIs the developer cannot see, connection headers and cookies, and odd paths', async () => {
    const count = seen.length;
    const hidden = await dev.call('POST', '/portal/v1/try-it', { api: 'secret', method: 'GET', path: '/' });
    expect(hidden.status).toBe(404);
    const cookie = await dev.call('POST', '/portal/v1/try-it', {
      api: 'weather',
      method: 'GET',
      path: '/',
      headers: { Cookie: 'tp_portal=stolen' },
    });
    expect([cookie.status, cookie.body.detail]).toEqual([400, 'body.headers: Cookie cannot be set here']);
    const outside = await dev.call('POST', '/portal/v1/try-it', {
      api: 'weather',
      method: 'GET',
      path: '@evil.example/',
    });
    expect(outside.status).toBe(400);
    expect(seen.length).toBe(count);
  });
});
