// A data-plane node (`turnpike gateway`) beside a control plane, the way an operator runs one:
// it gets the configuration, follows changes, keeps serving when the control plane dies, starts
// from its disk copy when the control plane is unreachable at boot, and is not ready before it
// has any configuration.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/shared/secrets.ts';
import {
  type RunningDataPlane,
  type RunningTurnpike,
  removeDir,
  startDataPlane,
  startTurnpike,
  tempDir,
} from '../support/cli.ts';
import { within } from '../support/http.ts';

const token = 'e2e-data-plane-token-0123456789';
const key = generateApiKey();
const started: (RunningTurnpike | RunningDataPlane)[] = [];
let cp: RunningTurnpike;
let cpDataDir: string;
// The control plane comes back on the same admin port, as it would in production.
let adminPort = '';
// The test's own upstream: it must outlive the control plane, which these tests kill.
let upstream: Server;
let upstreamUrl = '';

const auth = { headers: { authorization: `Bearer ${token}` } };

async function applyConfig(admin: string, routes: { name: string; path: string }[], keys: string[] = [key]) {
  const response = await fetch(`${admin}/admin/v1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      upstreams: [{ name: 'echo', targets: [{ url: upstreamUrl }] }],
      apis: [{ name: 'dp', basePath: '/dp', upstream: 'echo', routes }],
      products: [{ name: 'dp', apis: ['dp'], plans: [{ name: 'all' }] }],
      accounts: [
        {
          name: 'dp-account',
          applications: [
            {
              name: 'dp-app',
              subscriptions: [{ product: 'dp', plan: 'all' }],
              keys: keys.map((k) => ({ key: k })),
            },
          ],
        },
      ],
    }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const call = async (gateway: string, path: string) =>
  (await fetch(`${gateway}${path}`, { headers: { 'x-api-key': key } })).status;
const ready = async (node: RunningDataPlane) => (await fetch(`${node.status}/ready`)).status;

beforeAll(async () => {
  upstream = createServer((_req, res) => res.end('ok'));
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  cpDataDir = tempDir();
  adminPort = String(await freePort());
  cp = await startTurnpike({
    dataDir: cpDataDir,
    args: ['--admin-port', adminPort],
    env: { TURNPIKE_ADMIN_TOKEN: token },
  });
  started.push(cp);
  await applyConfig(cp.admin, [{ name: 'a', path: '/a' }]);
});

afterAll(async () => {
  for (const p of started) await p.stop();
  removeDir(cpDataDir);
  upstream.close();
});

describe('a data-plane node', () => {
  let node: RunningDataPlane;
  let gateway: string;

  it('gets the configuration from the control plane and serves it', async () => {
    node = await startDataPlane({ controlPlane: cp.admin, token });
    started.push(node);
    gateway = await node.gateway();
    expect(await call(gateway, '/dp/a')).toBe(200);
    expect(await call(gateway, '/dp/b')).toBe(404);
    expect(await ready(node)).toBe(200);
  });

  it('follows changes within a second', async () => {
    await applyConfig(cp.admin, [
      { name: 'a', path: '/a' },
      { name: 'b', path: '/b' },
    ]);
    const took = await within(2_000, async () => (await call(gateway, '/dp/b')) === 200);
    expect(took).toBeLessThan(1_000);
  });

  it('follows a change to keys alone', async () => {
    const second = generateApiKey();
    const routes = [
      { name: 'a', path: '/a' },
      { name: 'b', path: '/b' },
    ];
    await applyConfig(cp.admin, routes, [key, second]);
    const withKey = (k: string) => async () =>
      (await fetch(`${gateway}/dp/a`, { headers: { 'x-api-key': k } })).status;
    expect(await within(2_000, async () => (await withKey(second)()) === 200)).toBeLessThan(1_000);
    await applyConfig(cp.admin, routes, [key]);
    expect(await within(2_000, async () => (await withKey(second)()) === 401)).toBeLessThan(1_000);
    expect(await call(gateway, '/dp/b')).toBe(200);
  });

  it('keeps serving when the control plane dies', async () => {
    await cp.kill();
    for (let i = 0; i < 20; i++) expect(await call(gateway, '/dp/b')).toBe(200);
    expect(await ready(node)).toBe(200);
  });

  it('starts from its disk copy when the control plane is unreachable at boot', async () => {
    await node.stop();
    const again = await startDataPlane({ controlPlane: cp.admin, token, dataDir: node.dataDir });
    started.push(again);
    const restarted = await again.gateway(10_000);
    expect(await call(restarted, '/dp/b')).toBe(200);
    expect(await ready(again)).toBe(200);
    node = again;
    gateway = restarted;
  });

  it('catches up when the control plane comes back', async () => {
    cp = await startTurnpike({
      dataDir: cpDataDir,
      args: ['--admin-port', adminPort],
      env: { TURNPIKE_ADMIN_TOKEN: token },
    });
    started.push(cp);
    await applyConfig(cp.admin, [
      { name: 'a', path: '/a' },
      { name: 'b', path: '/b' },
      { name: 'c', path: '/c' },
    ]);
    // The node retries with a pause of up to 5 s after failures.
    await within(30_000, async () => (await call(gateway, '/dp/c')) === 200);
  });
});

describe('the sync endpoint', () => {
  it('refuses a missing or wrong token with 401, and parameters out of range with 400', async () => {
    const sync = (query: string, headers: Record<string, string> = auth.headers) =>
      fetch(`${cp.admin}/admin/v1/sync?${query}`, { headers });
    const anonymous = await sync('wait=0', {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    expect((await sync('wait=0', { authorization: 'Bearer wrong-token-0123456789abcdef' })).status).toBe(401);
    for (const query of ['wait=abc', 'wait=60001', 'version=-1', 'version=1.5']) {
      const refused = await sync(query);
      expect(refused.status, query).toBe(400);
      expect(((await refused.json()) as { code: string }).code).toBe('validation-failed');
    }
  });
});

describe('a control plane with a node waiting on it', () => {
  it('answers the waiting poll and stops without waiting for it', async () => {
    const other = await startTurnpike({ env: { TURNPIKE_ADMIN_TOKEN: token } });
    started.push(other);
    const status = (await (await fetch(`${other.admin}/admin/v1/status`, auth)).json()) as {
      snapshotVersion: number;
    };
    const poll = fetch(`${other.admin}/admin/v1/sync?version=${status.snapshotVersion}&wait=60000`, auth);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const before = performance.now();
    expect(await other.stop()).toBe(0);
    expect(performance.now() - before).toBeLessThan(10_000);
    expect((await poll).status).toBe(204);
    removeDir(other.dataDir);
  });
});

describe('a data-plane node with nothing to serve', () => {
  it('is not ready and does not listen until it has a configuration', async () => {
    const lonely = await startDataPlane({ controlPlane: 'http://127.0.0.1:9', token });
    started.push(lonely);
    expect(await ready(lonely)).toBe(503);
    await expect(lonely.gateway(2_000)).rejects.toThrow();
  });

  it('stops at once, exit 0, while it waits to retry an unreachable control plane', async () => {
    const waiting = await startDataPlane({ controlPlane: 'http://127.0.0.1:9', token });
    started.push(waiting);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // inside a retry pause
    const before = performance.now();
    expect(await waiting.stop()).toBe(0);
    expect(performance.now() - before).toBeLessThan(5_000);
    expect(waiting.output()).toContain('Turnpike stopped.');
  });

  it('refuses a wrong token, stays not ready and says why', async () => {
    const refused = await startDataPlane({ controlPlane: cp.admin, token: 'wrong-token-0123456789abcdef' });
    started.push(refused);
    await within(5_000, async () => refused.output().includes('401'));
    expect(await ready(refused)).toBe(503);
  });
});
