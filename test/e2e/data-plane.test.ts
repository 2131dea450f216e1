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

async function applyConfig(admin: string, routes: { name: string; path: string }[]) {
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
            { name: 'dp-app', subscriptions: [{ product: 'dp', plan: 'all' }], keys: [{ key }] },
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

describe('a data-plane node with nothing to serve', () => {
  it('is not ready and does not listen until it has a configuration', async () => {
    const lonely = await startDataPlane({ controlPlane: 'http://127.0.0.1:9', token });
    started.push(lonely);
    expect(await ready(lonely)).toBe(503);
    await expect(lonely.gateway(2_000)).rejects.toThrow();
  });

  it('refuses a wrong token, stays not ready and says why', async () => {
    const refused = await startDataPlane({ controlPlane: cp.admin, token: 'wrong-token-0123456789abcdef' });
    started.push(refused);
    await within(5_000, async () => refused.output().includes('401'));
    expect(await ready(refused)).toBe(503);
  });
});
