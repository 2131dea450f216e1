// The data-plane link against a stand-in control plane over real HTTP: what it takes, what it
// refuses, and that a refused answer does not turn into a tight polling loop.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshot } from '../testing/fixtures.ts';
import { ControlPlaneLink } from './link.ts';

const dir = mkdtempSync(join(tmpdir(), 'turnpike-link-'));
let server: Server | undefined;
let link: ControlPlaneLink | undefined;

afterEach(() => {
  link?.stop();
  server?.close();
  server?.closeAllConnections();
});

/** A control plane that answers every poll with `body` at once, counting the polls. */
async function controlPlane(body: unknown): Promise<{ url: string; polls: string[] }> {
  const polls: string[] = [];
  server = createServer((req, res) => {
    polls.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, polls };
}

function startLink(url: string, start: ReturnType<typeof snapshot> | undefined, cacheFile: string) {
  const received: number[] = [];
  link = new ControlPlaneLink(
    {
      controlPlane: url,
      token: 't',
      cacheFile,
      logger: pino({ level: 'silent' }),
      onSnapshot: (s) => received.push(s.version),
      waitMs: 1000,
    },
    start,
  );
  void link.run();
  return received;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ControlPlaneLink', () => {
  it('takes a newer full snapshot and keeps it on disk', async () => {
    const cp = await controlPlane({ kind: 'full', snapshot: snapshot('http://127.0.0.1:1', { version: 7 }) });
    const file = join(dir, 'newer.json');
    const received = startLink(cp.url, snapshot('http://127.0.0.1:1', { version: 3 }), file);
    await wait(300);
    expect(received[0]).toBe(7);
    expect((JSON.parse(readFileSync(file, 'utf8')) as { version: number }).version).toBe(7);
  });

  it('waits before asking again after refusing an invalid snapshot', async () => {
    const cp = await controlPlane({ kind: 'full', snapshot: { version: 'not a snapshot' } });
    const received = startLink(cp.url, undefined, join(dir, 'invalid.json'));
    await wait(1000);
    expect(received).toEqual([]);
    expect(cp.polls.length).toBe(1);
  });

  it('does not step back to an older version a lagging control plane offers', async () => {
    const cp = await controlPlane({ kind: 'full', snapshot: snapshot('http://127.0.0.1:1', { version: 4 }) });
    const received = startLink(
      cp.url,
      snapshot('http://127.0.0.1:1', { version: 9 }),
      join(dir, 'older.json'),
    );
    await wait(1000);
    expect(received).toEqual([]);
    expect(cp.polls).toHaveLength(1);
    // Started from disk: the first poll asks for the whole snapshot (the copy may be from an
    // older release, missing fields), and an older one offered is still not taken.
    expect(cp.polls[0]).not.toContain('version=');
  });
});

process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
