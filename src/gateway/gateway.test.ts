// The gateway end to end on real sockets: routing answers, key-auth and subscription outcomes,
// consumer headers, and the not-ready state.
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EchoReply } from './echo.ts';
import type { RunningServer } from './server.ts';
import {
  api,
  consumer,
  rawRequest,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from './testing/fixtures.ts';

const subscribed = consumer('app_ok', ['api_weather']);
const unsubscribed = consumer('app_other', ['api_open']);
const expired = consumer('app_expired', ['api_weather'], { expiresAt: '2020-01-01T00:00:00Z' });
const inactive = consumer('app_inactive', ['api_weather'], { active: false });
const everyone = [subscribed, unsubscribed, expired, inactive];

let upstream: RunningServer;
let gw: TestGateway;

beforeAll(async () => {
  upstream = await startUpstream();
  gw = await startTestGateway(
    snapshot(upstream.url, {
      apis: [
        api({
          id: 'api_weather',
          basePath: '/weather',
          keyless: false,
          routes: [route('/forecast', ['GET']), route('/alerts', ['GET', 'POST'])],
        }),
        api({ id: 'api_open', basePath: '/open', keyless: true }),
      ],
      applications: everyone.map((c) => c.application),
      keys: everyone.map((c) => c.keyRecord),
    }),
  );
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

async function call(path: string, headers: Record<string, string> = {}, method: 'GET' | 'PUT' = 'GET') {
  const response = await request(`${gw.server.url}${path}`, { headers, method });
  const body = (await response.body.json()) as EchoReply & { code?: string; requestId?: string };
  return { status: response.statusCode, headers: response.headers, body };
}

describe('routing answers', () => {
  it('answers 404 route-not-found as problem+json with the request id', async () => {
    const { status, headers, body } = await call('/nowhere');
    expect(status).toBe(404);
    expect(headers['content-type']).toBe('application/problem+json');
    expect(body).toMatchObject({
      type: 'https://turnpike.dev/errors/route-not-found',
      code: 'route-not-found',
      status: 404,
      requestId: headers['x-request-id'],
    });
  });

  it('answers 405 method-not-allowed with an Allow header', async () => {
    const { status, headers, body } = await call('/weather/forecast', {}, 'PUT');
    expect(status).toBe(405);
    expect(headers.allow).toBe('GET, HEAD');
    expect(body.code).toBe('method-not-allowed');
  });

  it.each([
    'GET /weather/../open/x HTTP/1.1',
    'GET /open/%2e%2e/weather/forecast HTTP/1.1',
    'GET http://evil.example/open/x HTTP/1.1',
    'OPTIONS * HTTP/1.1',
  ])('answers 400 bad-request to %s', async (line) => {
    const answer = await rawRequest(gw.server.port, `${line}\r\nHost: x\r\nConnection: close\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(answer).toContain('"code":"bad-request"');
  });

  it('answers 400 to a request with two Host headers', async () => {
    const answer = await rawRequest(
      gw.server.port,
      'GET /open/x HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
  });
});

describe('key-auth and subscription', () => {
  it.each([
    ['no key', {}, 401, 'key-missing'],
    ['a malformed key', { 'x-api-key': 'tp_test_nope' }, 401, 'key-malformed'],
    ['an unknown key', { 'x-api-key': consumer('app_x', []).key }, 401, 'key-invalid'],
    ['an expired key', { 'x-api-key': expired.key }, 401, 'key-expired'],
    ['a key of an inactive application', { 'x-api-key': inactive.key }, 403, 'application-inactive'],
    ['a key of an application not subscribed', { 'x-api-key': unsubscribed.key }, 403, 'not-subscribed'],
  ])('refuses a request with %s', async (_what, headers, status, code) => {
    const answer = await call('/weather/forecast', headers);
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(code);
    expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
  });

  it('challenges on 401', async () => {
    expect((await call('/weather/forecast')).headers['www-authenticate']).toBe('Key header="X-API-Key"');
  });

  it('forwards a subscribed request with consumer headers and without the key', async () => {
    const { status, body } = await call('/weather/forecast', { 'X-API-Key': subscribed.key });
    expect(status).toBe(200);
    expect(body.headers['x-api-key']).toBeUndefined();
    expect(body.headers).toMatchObject({
      'x-consumer-application': 'app_ok',
      'x-consumer-account': 'acc_of_app_ok',
      'x-consumer-plan': 'pln_api_weather',
    });
  });

  it('never forwards X-Consumer-* headers a client sent', async () => {
    const spoofed = {
      'x-consumer-application': 'app_admin',
      'x-consumer-plan': 'pln_unlimited',
      'X-Consumer-Extra': '1',
    };
    const keyed = await call('/weather/forecast', { ...spoofed, 'x-api-key': subscribed.key });
    expect(keyed.body.headers['x-consumer-application']).toBe('app_ok');
    expect(keyed.body.headers['x-consumer-plan']).toBe('pln_api_weather');
    expect(keyed.body.headers['x-consumer-extra']).toBeUndefined();
    const open = await call('/open/anything', spoofed);
    expect(open.status).toBe(200);
    expect(Object.keys(open.body.headers).filter((h) => h.startsWith('x-consumer-'))).toEqual([]);
  });

  it('lets keyless APIs through without a key and passes a key header on untouched', async () => {
    const { status, body } = await call('/open/anything', { 'x-api-key': 'not-ours' });
    expect(status).toBe(200);
    expect(body.headers['x-api-key']).toBe('not-ours');
  });
});

describe('readiness', () => {
  it('answers 503 gateway-not-ready before the first snapshot', async () => {
    const empty = await startTestGateway(undefined);
    try {
      expect(empty.gateway.ready).toBe(false);
      expect(empty.gateway.version).toBeUndefined();
      const response = await request(`${empty.server.url}/x`);
      expect(response.statusCode).toBe(503);
      expect(((await response.body.json()) as { code: string }).code).toBe('gateway-not-ready');
    } finally {
      await empty.close();
    }
  });
});
