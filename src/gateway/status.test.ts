import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoReply } from './echo.ts';
import { createGateway, type Gateway } from './gateway.ts';
import type { RunningServer } from './server.ts';
import { startStatusServer } from './status.ts';
import { snapshot } from './testing/fixtures.ts';

let gateway: Gateway;
let status: RunningServer;

beforeAll(async () => {
  gateway = createGateway();
  status = await startStatusServer(gateway, { port: 0 });
});

afterAll(async () => {
  await status.close();
  await gateway.close();
});

async function get(path: string, init: { method?: 'GET' | 'POST'; body?: string } = {}) {
  const response = await request(`${status.url}${path}`, init);
  return {
    status: response.statusCode,
    headers: response.headers,
    body: (await response.body.json()) as Record<string, unknown>,
  };
}

describe('status server', () => {
  it('answers /health', async () => {
    expect(await get('/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });

  it('answers /ready with 503 until the gateway has a snapshot, then with its version', async () => {
    const before = await get('/ready');
    expect(before.status).toBe(503);
    expect(before.headers['content-type']).toBe('application/problem+json');
    expect(before.body.code).toBe('gateway-not-ready');
    gateway.load(snapshot('http://127.0.0.1:9', { version: 7 }));
    expect(await get('/ready')).toMatchObject({ status: 200, body: { status: 'ready', version: 7 } });
  });

  it('echoes any method and subpath under /echo', async () => {
    const { status: code, body } = await get('/echo/a/b?x=1&x=2&y=3', { method: 'POST', body: 'hello' });
    expect(code).toBe(200);
    expect(body as unknown as EchoReply).toMatchObject({
      method: 'POST',
      path: '/a/b',
      query: { x: ['1', '2'], y: '3' },
      body: 'hello',
      bodyBytes: 5,
    });
    expect((await get('/echo')).body.path).toBe('/');
  });

  it('caps the echoed body but counts all of it', async () => {
    const { body } = await get('/echo', { method: 'POST', body: 'x'.repeat(100_000) });
    expect((body.body as string).length).toBe(64 * 1024);
    expect(body.bodyBytes).toBe(100_000);
  });

  it('answers unknown paths with a 404 problem', async () => {
    const { status: code, body } = await get('/nope');
    expect(code).toBe(404);
    expect(body.code).toBe('route-not-found');
  });
});
