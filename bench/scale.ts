// `npm run bench:scale`: the cost of growth. One gateway serves one route and one key, another
// 10,000 routes (over 100 APIs) and 100,000 keys; both are measured in alternation with wrk, so
// machine drift hits them alike. Reports the throughput ratio, memory per gateway process, the
// time to load each snapshot, the time to apply a one-key change to the large one, and the
// resident memory of a real gateway worker serving each.
//
//   npm run bench:scale [-- --rounds 6 --duration 5]
// It starts ../shared/bench/peers.sh's upstream (and stops it after) unless BENCH_UPSTREAM is set.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createGateway } from '../src/gateway/gateway.ts';
import { diffSnapshots } from '../src/gateway/snapshot/delta.ts';
import type { Snapshot, SnapshotApi } from '../src/gateway/snapshot/types.ts';
import { generateApiKey, hashSecret } from '../src/shared/secrets.ts';
import { defaultUpstreamSettings } from '../src/shared/upstream-settings.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '6' }, duration: { type: 'string', default: '5' } },
});
// The upstream: BENCH_UPSTREAM, or peers.sh's nginx upstream, started here and stopped at the end.
const peers = join(import.meta.dirname, '../../shared/bench/peers.sh');
const ownUpstream = process.env.BENCH_UPSTREAM === undefined;
const peersEnv = { ...process.env, PEERS_NODE: process.execPath };
if (ownUpstream) execFileSync(peers, ['up'], { stdio: 'inherit', env: peersEnv });
const upstream = process.env.BENCH_UPSTREAM ?? 'http://127.0.0.1:19000';
const key = generateApiKey();

function snapshot(apiCount: number, routesPerApi: number, keyCount: number): Snapshot {
  const apis: SnapshotApi[] = [];
  for (let a = 0; a < apiCount; a++) {
    const routes = [];
    for (let r = 0; r < routesPerApi; r++) {
      // A mix of literal, parameter and rest routes, as real APIs have.
      const path = r % 10 === 0 ? `/r${r}/{id}` : r % 10 === 1 ? `/r${r}/*` : `/r${r}/items`;
      routes.push({ id: `rte_${a}_${r}`, name: `r${r}`, methods: ['GET'], path, metric: 'hits' });
    }
    apis.push({
      id: `api_${a}`,
      name: `api${a}`,
      basePath: `/api${a}/v1`,
      hosts: [],
      upstreamId: 'ups_bench',
      keyless: false,
      stripBasePath: true,
      maxBodyBytes: null,
      routes,
    });
  }
  const keys = [{ hash: hashSecret(key), applicationId: 'app_bench', expiresAt: null }];
  for (let k = 1; k < keyCount; k++) {
    keys.push({ hash: hashSecret(`filler-${k}`), applicationId: `app_${k % 1000}`, expiresAt: null });
  }
  const applications = [
    {
      id: 'app_bench',
      accountId: 'acc_bench',
      active: true,
      grants: apis.map((a) => ({ apiId: a.id, planId: 'pln_bench' })),
    },
  ];
  for (let i = 0; i < Math.min(keyCount, 1000); i++) {
    applications.push({
      id: `app_${i}`,
      accountId: 'acc_other',
      active: true,
      grants: [{ apiId: 'api_0', planId: 'pln_bench' }],
    });
  }
  return {
    version: 1,
    createdAt: new Date().toISOString(),
    upstreams: [
      {
        id: 'ups_bench',
        name: 'bench',
        targets: [{ url: upstream, weight: 100 }],
        ...defaultUpstreamSettings,
      },
    ],
    apis,
    applications,
    keys,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'turnpike-scale-'));
const small = snapshot(1, 1, 1);
const large = snapshot(100, 100, 100_000);
writeFileSync(join(dir, 'small.json'), JSON.stringify(small));
writeFileSync(join(dir, 'large.json'), JSON.stringify(large));

async function startGateway(file: string) {
  const child = spawn(
    process.execPath,
    ['--expose-gc', join(import.meta.dirname, 'gateway-only.ts'), file, '0'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const info = JSON.parse(line.toString()) as { port: number; loadMs: number };
  // Pinned like the peers: gateways on CPU 1, load on CPU 0.
  try {
    execFileSync('taskset', ['-apc', '1', String(child.pid)], { stdio: 'ignore' });
  } catch {}
  return { child, ...info };
}

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** The gateway's memory after a full collection: what it holds, not what it has yet to free. */
async function memory(gateway: Awaited<ReturnType<typeof startGateway>>): Promise<Memory> {
  gateway.child.stdin?.write('\n');
  const [line] = (await once(gateway.child.stdout, 'data')) as [Buffer];
  return JSON.parse(line.toString()) as Memory;
}

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const describeMemory = (m: Memory) => `heap ${mb(m.heapUsed)}, RSS ${mb(m.rss)}`;

function wrk(url: string, seconds: number): number {
  const out = execFileSync(
    'taskset',
    ['-c', '0', 'wrk', '-t1', '-c50', `-d${seconds}s`, '-H', `X-API-Key: ${key}`, url],
    {
      encoding: 'utf8',
    },
  );
  return Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0);
}

const one = await startGateway(join(dir, 'small.json'));
const many = await startGateway(join(dir, 'large.json'));
const deep = '/api99/v1/r99/items'; // a route in the last API of the large configuration
wrk(`http://127.0.0.1:${one.port}/api0/v1/r0/1`, 3);
wrk(`http://127.0.0.1:${many.port}${deep}`, 3);
const ratios: number[] = [];
for (let r = 0; r < Number(values.rounds); r++) {
  const a = wrk(`http://127.0.0.1:${one.port}/api0/v1/r0/1`, Number(values.duration));
  const b = wrk(`http://127.0.0.1:${many.port}${deep}`, Number(values.duration));
  ratios.push(b / a);
  console.log(
    `round ${r + 1}: one route ${a.toFixed(0)} req/s, 10,000 routes + 100,000 keys ${b.toFixed(0)} req/s, ratio ${(b / a).toFixed(3)}`,
  );
}
const mean = ratios.reduce((x, y) => x + y, 0) / ratios.length;
console.log(
  `\nthroughput with 10,000 routes and 100,000 keys: ${(mean * 100).toFixed(1)}% of one route (mean of ${ratios.length} alternating rounds)`,
);
const [oneMemory, manyMemory] = [await memory(one), await memory(many)];
console.log(
  `memory per gateway process after a full GC: one route ${describeMemory(oneMemory)}; large ${describeMemory(manyMemory)}`,
);
console.log(
  `loading the snapshot (validated, compiled): one route ${one.loadMs.toFixed(1)} ms, large ${many.loadMs.toFixed(0)} ms`,
);

// A one-key change to the large configuration, as a delta, in this process.
const gateway = createGateway();
gateway.load(large, { trusted: true });
const changed = {
  ...large,
  version: 2,
  keys: [...large.keys, { hash: hashSecret('one-more'), applicationId: 'app_bench', expiresAt: null }],
};
const delta = diffSnapshots(large, changed);
const t0 = performance.now();
const applied = gateway.loadDelta(delta);
console.log(
  `applying a one-key delta to the large snapshot: ${(performance.now() - t0).toFixed(2)} ms (${applied.ok ? 'ok' : 'refused'})`,
);
// A change to one API after that: the router is rebuilt, on top of the key change.
const apiChanged = {
  ...changed,
  version: 3,
  apis: [{ ...large.apis[0], name: 'renamed' }, ...large.apis.slice(1)],
};
const t1 = performance.now();
const rebuilt = gateway.loadDelta(diffSnapshots(changed as Snapshot, apiChanged as Snapshot));
console.log(
  `applying a one-API delta to the large snapshot: ${(performance.now() - t1).toFixed(0)} ms (${rebuilt.ok ? 'ok' : 'refused'})`,
);
await gateway.close();
one.child.kill();
many.child.kill();

// A real gateway worker (`turnpike gateway --workers 1`, started from each snapshot as its copy
// on disk, no control plane): its resident memory once serving.
async function workerRss(file: string): Promise<number> {
  const data = mkdtempSync(join(tmpdir(), 'turnpike-scale-node-'));
  copyFileSync(file, join(data, 'gateway-snapshot.json'));
  const node = spawn(
    process.execPath,
    [
      join(import.meta.dirname, '../bin/turnpike.js'),
      ...['gateway', '--control-plane', 'http://127.0.0.1:9', '--token', 'x'.repeat(24)],
      ...['--data-dir', data, '--workers', '1', '--gateway-port', '0', '--status-port', '0'],
      ...['--access-log', 'off', '--log-level', 'error'],
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  node.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  while (!out.includes('Serving on')) await new Promise((resolve) => setTimeout(resolve, 100));
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const worker = execFileSync('pgrep', ['-P', String(node.pid)], { encoding: 'utf8' })
    .trim()
    .split('\n')[0];
  const status = readFileSync(`/proc/${worker}/status`, 'utf8');
  node.kill('SIGTERM');
  await once(node, 'exit');
  rmSync(data, { recursive: true, force: true });
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}
const [smallRss, largeRss] = [
  await workerRss(join(dir, 'small.json')),
  await workerRss(join(dir, 'large.json')),
];
console.log(
  `RSS of a gateway worker (turnpike gateway --workers 1): one route ${mb(smallRss)}, large ${mb(largeRss)}`,
);
rmSync(dir, { recursive: true, force: true });
if (ownUpstream) execFileSync(peers, ['down'], { stdio: 'inherit', env: peersEnv });
