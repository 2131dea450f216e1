// Gateway worker processes under one control process: several serve the same port and the same
// configuration, a worker that dies is replaced, configuration changes under load fail nothing,
// and SIGTERM drains requests in flight before the node exits.
import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/shared/secrets.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { within } from '../support/http.ts';

const token = 'e2e-workers-token-0123456789abcd';
const key = generateApiKey();
let tp: RunningTurnpike;
let upstream: Server;
let upstreamUrl = '';

function workerPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(tp.process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
}

async function apply(routes: string[]): Promise<void> {
  const response = await fetch(`${tp.admin}/admin/v1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      upstreams: [{ name: 'up', targets: [{ url: upstreamUrl }] }],
      apis: [
        {
          name: 'w',
          basePath: '/w',
          upstream: 'up',
          routes: routes.map((r) => ({ name: r, path: `/${r}` })),
        },
      ],
      products: [{ name: 'w', apis: ['w'], plans: [{ name: 'all' }] }],
      accounts: [
        {
          name: 'w',
          applications: [{ name: 'app', subscriptions: [{ product: 'w', plan: 'all' }], keys: [{ key }] }],
        },
      ],
    }),
  });
  expect(response.status, await response.clone().text()).toBe(200);
}

const get = (path: string) => fetch(`${tp.gateway}${path}`, { headers: { 'x-api-key': key } });

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const slow = req.url?.startsWith('/slow');
    setTimeout(() => res.end(`ok ${req.url}`), slow ? 1_500 : 0);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  tp = await startTurnpike({ args: ['--workers', '2'], env: { TURNPIKE_ADMIN_TOKEN: token } });
  await apply(['a', 'slow']);
});

afterAll(async () => {
  await tp.stop();
  removeDir(tp.dataDir);
  upstream.close();
});

describe('gateway workers', () => {
  it('runs the number of workers asked for, all serving the same port', async () => {
    expect(tp.output()).toContain('(2 workers)');
    expect(workerPids()).toHaveLength(2);
    const statuses = await Promise.all(Array.from({ length: 40 }, () => get('/w/a').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The status port reports for all workers together.
    const metrics = await (await fetch(`${tp.status}/metrics`)).text();
    const served = /turnpike_gateway_requests_total\{api="w",route="a",status_class="2xx"\} (\d+)/.exec(
      metrics,
    );
    expect(Number(served?.[1])).toBeGreaterThanOrEqual(40);
  });

  it('replaces a worker that dies, which then serves the current configuration', async () => {
    const [victim] = workerPids();
    process.kill(victim as number, 'SIGKILL');
    await within(15_000, async () => {
      const pids = workerPids();
      return pids.length === 2 && !pids.includes(victim as number);
    });
    // Ready all along (the other worker serves); the new one counts once it serves too.
    await within(10_000, async () => {
      const ready = (await (await fetch(`${tp.status}/ready`)).json()) as { workers?: { serving: number } };
      return ready.workers?.serving === 2;
    });
    const statuses = await Promise.all(Array.from({ length: 20 }, () => get('/w/a').then((r) => r.status)));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it('applies 20 configuration changes under steady load without failing a request', async () => {
    let running = true;
    const failures: string[] = [];
    let requests = 0;
    const load = Array.from({ length: 4 }, async () => {
      while (running) {
        const response = await get('/w/a').catch((error: Error) => ({
          status: 0,
          text: async () => error.message,
        }));
        requests++;
        if (response.status !== 200) failures.push(`${response.status} ${await response.text()}`);
      }
    });
    const routes = ['a', 'slow'];
    for (let i = 0; i < 20; i++) {
      routes.push(`r${i}`);
      await apply(routes);
      expect((await get(`/w/r${i}`)).status).toBe(200);
    }
    running = false;
    await Promise.all(load);
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(40);
  });

  it('drains a request in flight on SIGTERM, then exits 0, a log-rotation SIGHUP and the same SIGTERM again (as npm passes it on) notwithstanding', async () => {
    const slow = get('/w/slow');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stopped = tp.stop();
    await new Promise((resolve) => setTimeout(resolve, 100));
    tp.process.kill('SIGHUP');
    tp.process.kill('SIGTERM');
    // While it drains, /ready says so, and load balancers move away.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await fetch(`${tp.status}/ready`)).status).toBe(503);
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok /slow');
    expect(await stopped).toBe(0);
    expect(tp.output()).toContain('Turnpike stopped.');
  });
});
