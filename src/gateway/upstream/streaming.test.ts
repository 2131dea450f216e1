// Bodies stream through the gateway in both directions, with backpressure, without buffering.
import { createHash, randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../server.ts';
import { snapshot, startTestGateway, startUpstream, type TestGateway } from '../testing/fixtures.ts';

const size = 20 * 1024 * 1024;
const block = randomBytes(64 * 1024);
let upstream: RunningServer;
let gw: TestGateway;
let written = 0;

function* blocks(total: number) {
  for (let sent = 0; sent < total; sent += block.length)
    yield block.subarray(0, Math.min(block.length, total - sent));
}

function expectedHash(total: number): string {
  const hash = createHash('sha256');
  for (const chunk of blocks(total)) hash.update(chunk);
  return hash.digest('hex');
}

beforeAll(async () => {
  upstream = await startUpstream((req, res) => {
    if (req.url?.startsWith('/upload')) {
      const hash = createHash('sha256');
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        hash.update(chunk);
      });
      req.on('end', () => res.end(JSON.stringify({ bytes, sha256: hash.digest('hex') })));
      return;
    }
    if (req.url === '/events') {
      // One event at once, the next half a second later: each must reach the client as it comes.
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: one\n\n');
      setTimeout(() => res.end('data: two\n\n'), 500);
      return;
    }
    // /download/N: N bytes, written only as fast as the gateway takes them.
    const total = Number(req.url?.split('/')[2]);
    written = 0;
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const source = Readable.from(blocks(total));
    source.on('data', (chunk: Buffer) => {
      written += chunk.length;
      if (!res.write(chunk)) {
        source.pause();
        res.once('drain', () => source.resume());
      }
    });
    source.on('end', () => res.end());
    res.on('close', () => source.destroy());
  });
  gw = await startTestGateway(snapshot(upstream.url));
});

afterAll(async () => {
  await gw.close();
  await upstream.close();
});

describe('streaming', () => {
  it('streams a 20 MB request body to the upstream', async () => {
    const response = await request(`${gw.server.url}/upload`, {
      method: 'POST',
      body: Readable.from(blocks(size)),
    });
    expect(response.statusCode).toBe(200);
    expect(await response.body.json()).toEqual({ bytes: size, sha256: expectedHash(size) });
  });

  it('streams a 20 MB response body to the client', async () => {
    const response = await request(`${gw.server.url}/download/${size}`);
    const hash = createHash('sha256');
    let bytes = 0;
    for await (const chunk of response.body) {
      bytes += chunk.length;
      hash.update(chunk);
    }
    expect(bytes).toBe(size);
    expect(hash.digest('hex')).toBe(expectedHash(size));
  });

  it('passes each part of a slow stream on as it comes (server-sent events)', async () => {
    const started = performance.now();
    const response = await request(`${gw.server.url}/events`);
    const arrivals: { text: string; ms: number }[] = [];
    for await (const chunk of response.body) {
      arrivals.push({ text: String(chunk), ms: performance.now() - started });
    }
    expect(arrivals.map((a) => a.text).join('')).toBe('data: one\n\ndata: two\n\n');
    expect(arrivals[0]?.text).toBe('data: one\n\n');
    expect(arrivals[0]?.ms).toBeLessThan(250);
    expect(arrivals.at(-1)?.ms).toBeGreaterThanOrEqual(450);
  });

  it('stops reading the upstream while the client does not read', async () => {
    const total = 512 * 1024 * 1024;
    const socket = connect(gw.server.port, '127.0.0.1');
    socket.write(`GET /download/${total} HTTP/1.1\r\nHost: x\r\n\r\n`);
    socket.pause();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const stalledAt = written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    // Socket buffers on both hops hold some megabytes; the rest must wait for the client.
    expect(stalledAt).toBeLessThan(96 * 1024 * 1024);
    expect(written - stalledAt).toBeLessThan(4 * 1024 * 1024);
  });
});
