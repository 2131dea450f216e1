// Loading snapshots while serving: refused snapshots change nothing, accepted ones swap in
// without failing requests in flight, and upstream pools follow the targets.
import type { Socket } from 'node:net';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { EchoReply } from './echo.ts';
import { echo } from './echo.ts';
import { api, route, snapshot, startTestGateway, startUpstream } from './testing/fixtures.ts';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close();
});

async function setup() {
  const sockets = new Set<Socket>();
  const closedSockets: Socket[] = [];
  const upstream = await startUpstream((req, res) => {
    if (req.url === '/slow') setTimeout(() => echo(req, res), 500);
    else echo(req, res);
  });
  upstream.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => closedSockets.push(socket));
  });
  const gw = await startTestGateway(snapshot(upstream.url));
  cleanup.push(
    () => upstream.close(100),
    () => gw.close(),
  );
  return { upstream, gw, sockets, closedSockets };
}

async function status(url: string): Promise<number> {
  const response = await request(url);
  await response.body.dump();
  return response.statusCode;
}

describe('load', () => {
  it('refuses an invalid snapshot whole and keeps serving the last good one', async () => {
    const { upstream, gw } = await setup();
    const invalid = [
      snapshot(upstream.url, { version: 2, apis: [api({ id: 'api_a', upstreamId: 'ups_missing' })] }),
      snapshot(upstream.url, { version: 2, apis: [api({ id: 'api_a', routes: [route('/x/*/y')] })] }),
      { version: 2 },
    ];
    for (const bad of invalid) {
      const result = gw.gateway.load(bad);
      expect(result.ok).toBe(false);
      expect(result.ok || result.problem.code).toBe('snapshot-invalid');
      expect(gw.gateway.version).toBe(1);
      expect(await status(`${gw.server.url}/still/served`)).toBe(200);
    }
  });

  it('swaps while a slow request is in flight without failing it', async () => {
    const { upstream, gw } = await setup();
    const slow = request(`${gw.server.url}/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = snapshot(upstream.url, { version: 2, apis: [api({ id: 'api_b', basePath: '/v2' })] });
    expect(gw.gateway.load(next)).toEqual({ ok: true, value: { version: 2 } });
    expect(await status(`${gw.server.url}/slow`)).toBe(404); // the new rules apply to new requests
    const response = await slow;
    expect(response.statusCode).toBe(200);
    expect(((await response.body.json()) as EchoReply).path).toBe('/slow');
    expect(await status(`${gw.server.url}/v2/x`)).toBe(200);
  });

  it('keeps the connections of an unchanged target across snapshots', async () => {
    const { upstream, gw, sockets } = await setup();
    expect(await status(`${gw.server.url}/a`)).toBe(200);
    gw.gateway.load(snapshot(upstream.url, { version: 2, apis: [api({ id: 'api_other' })] }));
    expect(await status(`${gw.server.url}/b`)).toBe(200);
    expect(sockets.size).toBe(1);
  });

  it('closes the pool of a target that is no longer used', async () => {
    const { gw, closedSockets } = await setup();
    const other = await startUpstream();
    cleanup.push(() => other.close(100));
    expect(await status(`${gw.server.url}/a`)).toBe(200);
    gw.gateway.load(snapshot(other.url, { version: 2 }));
    await expect.poll(() => closedSockets.length).toBe(1);
    expect(await status(`${gw.server.url}/b`)).toBe(200);
  });
});
