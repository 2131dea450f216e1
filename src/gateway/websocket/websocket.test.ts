// WebSocket proxying over real sockets: a handshake is routed and authorized like a request, then
// frames flow both ways until either side closes; refusals are HTTP problems on the socket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connectWebSocket,
  HandshakeRefused,
  startWebSocketEcho,
  type WebSocketEcho,
} from '../../../test/support/websocket.ts';
import { defaultUpstreamSettings } from '../../shared/upstream-settings.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { type RunningServer, startGatewayServer } from '../server.ts';
import { api, consumer, rawRequest, route, snapshot } from '../testing/fixtures.ts';
import { isValidTraceparent } from '../trace-context.ts';

const subscribed = consumer('app_ws', ['api_secure']);

let upstream: WebSocketEcho;
let gateway: Gateway;
let server: RunningServer;

beforeAll(async () => {
  upstream = await startWebSocketEcho();
  gateway = createGateway();
  const loaded = gateway.load(
    snapshot(upstream.url, {
      upstreams: [
        {
          id: 'ups_main',
          name: 'main',
          targets: [{ url: upstream.url, weight: 100 }],
          ...defaultUpstreamSettings,
        },
        // Port 1 on loopback refuses connections.
        {
          id: 'ups_down',
          name: 'down',
          targets: [{ url: 'http://127.0.0.1:1', weight: 100 }],
          ...defaultUpstreamSettings,
        },
      ],
      apis: [
        api({ id: 'api_ws', basePath: '/ws', stripBasePath: true, routes: [route('/*', [], 'ws')] }),
        api({ id: 'api_secure', basePath: '/secure', keyless: false, routes: [route('/*', [], 'secure')] }),
        api({ id: 'api_down', basePath: '/down', upstreamId: 'ups_down', routes: [route('/*', [], 'down')] }),
      ],
      applications: [subscribed.application],
      keys: [subscribed.keyRecord],
    }),
  );
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  server = await startGatewayServer(gateway, {}, { requestTimeoutMs: 300, headersTimeoutMs: 300 });
});

afterAll(async () => {
  await server.close(100);
  await gateway.close();
  await upstream.close();
});

async function refusal(path: string, headers: Record<string, string> = {}): Promise<HandshakeRefused> {
  try {
    await connectWebSocket({ port: server.port, path, headers });
  } catch (error) {
    if (error instanceof HandshakeRefused) return error;
    throw error;
  }
  throw new Error('the handshake was accepted');
}

describe('WebSocket proxying', () => {
  it('relays the handshake and frames both ways', async () => {
    const client = await connectWebSocket({
      port: server.port,
      path: '/ws/chat?room=1',
      headers: { 'sec-websocket-protocol': 'chat', 'x-request-id': 'ws-1' },
    });
    try {
      expect(client.status).toBe(101);
      expect(client.headers['x-request-id']).toBe('ws-1');
      expect(client.headers['sec-websocket-protocol']).toBe('chat');
      expect(client.headers['x-upstream']).toBe('yes');
      client.sendText('hello');
      expect(await client.nextText()).toBe('hello');
      const big = Buffer.alloc(200_000, 7);
      client.sendBinary(big);
      const echoed = await client.next();
      expect(echoed?.opcode).toBe(2);
      expect(echoed?.payload.equals(big)).toBe(true);

      const handshake = upstream.handshakes.at(-1);
      expect(handshake?.url).toBe('/chat?room=1');
      expect(handshake?.headers).toMatchObject({
        host: `127.0.0.1:${upstream.port}`,
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-version': '13',
        'sec-websocket-protocol': 'chat',
        'x-request-id': 'ws-1',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
      });
      expect(handshake?.headers.forwarded).toMatch(/^for=127\.0\.0\.1;proto=http;host=/);
      expect(isValidTraceparent(String(handshake?.headers.traceparent))).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('outlives the request timeout once upgraded', async () => {
    const client = await connectWebSocket({ port: server.port, path: '/ws/long' });
    try {
      await new Promise((resolve) => setTimeout(resolve, 700));
      client.sendText('still here');
      expect(await client.nextText()).toBe('still here');
    } finally {
      await client.close();
    }
  });

  it('closes the client side when the upstream closes', async () => {
    const client = await connectWebSocket({ port: server.port, path: '/ws/bye' });
    for (const socket of upstream.sockets) socket.end();
    expect(await client.next()).toBeUndefined();
  });

  it('closes the upstream side when the client goes away', async () => {
    const client = await connectWebSocket({ port: server.port, path: '/ws/gone' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(upstream.sockets.size).toBe(1);
    client.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(upstream.sockets.size).toBe(0);
  });

  it('runs the API policies: no key, 401 problem on the socket', async () => {
    const refused = await refusal('/secure/feed');
    expect(refused.status).toBe(401);
    expect(refused.headers['content-type']).toBe('application/problem+json');
    expect(refused.headers['www-authenticate']).toBe('Key header="X-API-Key"');
    expect(refused.headers.connection).toBe('close');
    expect(JSON.parse(refused.body)).toMatchObject({
      code: 'key-missing',
      requestId: refused.headers['x-request-id'],
    });
  });

  it('runs the API policies: a subscribed key passes, with consumer headers and without the key', async () => {
    const client = await connectWebSocket({
      port: server.port,
      path: '/secure/feed',
      headers: { 'x-api-key': subscribed.key, 'x-consumer-application': 'app_forged' },
    });
    try {
      const handshake = upstream.handshakes.at(-1);
      expect(handshake?.headers['x-consumer-application']).toBe('app_ws');
      expect(handshake?.headers['x-consumer-plan']).toBe('pln_api_secure');
      expect(handshake?.headers['x-api-key']).toBeUndefined();
    } finally {
      await client.close();
    }
  });

  it('passes on an upstream that refuses the upgrade', async () => {
    const refused = await refusal('/ws/refuse');
    expect(refused.status).toBe(403);
    expect(refused.headers['x-upstream']).toBe('yes');
    expect(refused.headers['x-request-id']).toBeDefined();
    expect(JSON.parse(refused.body)).toEqual({ refused: true });
  });

  it.each([
    ['/nowhere', 404, 'route-not-found'],
    ['/down/x', 502, 'upstream-unavailable'],
  ])('answers a handshake to %s with a problem', async (path, status, code) => {
    const refused = await refusal(path);
    expect(refused.status).toBe(status);
    expect(JSON.parse(refused.body).code).toBe(code);
  });

  it('refuses a handshake that is not a GET', async () => {
    const text = await rawRequest(
      server.port,
      'POST /ws/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nContent-Length: 0\r\n\r\n',
    );
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain('"code":"bad-request"');
  });

  it('serves other Upgrade requests (h2c) as plain requests, without the Upgrade header', async () => {
    const before = upstream.handshakes.length;
    const answer = await rawRequest(
      server.port,
      'GET /ws/x HTTP/1.1\r\nHost: x\r\nUpgrade: h2c\r\nConnection: Upgrade, close\r\n\r\n',
    );
    // The echo upstream answers plain requests with 426; an upgrade would have been a handshake.
    expect(answer).toMatch(/^HTTP\/1\.1 426 /);
    expect(upstream.handshakes.length).toBe(before);
  });

  it('cuts tunnels still open when the server closes after its grace', async () => {
    const own = await startGatewayServer(gateway);
    const client = await connectWebSocket({ port: own.port, path: '/ws/stay' });
    const started = Date.now();
    await own.close(200);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await client.next()).toBeUndefined();
  });
});
