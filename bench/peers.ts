// `npm run bench:peers`: Turnpike beside nginx, a bare node:http + undici proxy and
// fast-gateway, all behind the same upstream, using ../shared/bench/peers.sh (which starts the
// peers and measures every target with wrk, in alternation). Turnpike's gateway worker is pinned
// to the peers' CPU for a per-core comparison.
//
//   npm run bench:peers [-- -d 8 -c 50 -r 2]     (arguments go to `peers.sh run`)
//   npm run bench:peers -- --pairs 10            (then 10 tight rounds of 3 s per target)
//
// `--pairs N` adds N short rounds after the peers.sh table: the bare proxy, Turnpike and
// fast-gateway back to back, 3 s each, so each ratio compares runs seconds apart. On a shared
// machine whose speed swings between runs this is the steadier figure.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../src/shared/secrets.ts';
import { removeDir, startTurnpike } from '../test/support/cli.ts';
import { benchConfig } from './config.ts';
import { processCpuMs } from './process-cpu.ts';
import { tightRounds, wrk } from './tight-rounds.ts';

const peers = join(import.meta.dirname, '../../shared/bench/peers.sh');
if (!existsSync(peers))
  throw new Error(`${peers} not found; it comes with the shared folder next to the project`);
const env = { ...process.env, PEERS_NODE: process.execPath };
const args = process.argv.slice(2);
const pairsAt = args.indexOf('--pairs');
const pairs = pairsAt === -1 ? 0 : Number(args.splice(pairsAt, 2)[1]);
if (!Number.isInteger(pairs) || pairs < 0) throw new Error('--pairs takes a whole number of rounds');
execFileSync(peers, ['up'], { stdio: 'inherit', env });

const adminToken = `bench-admin-${generateApiKey()}`;
const key = generateApiKey();
// One gateway worker with the access log on (to a file, as in production), pinned below.
const accessLog = join(tmpdir(), `turnpike-bench-access-${process.pid}.log`);
const turnpike = await startTurnpike({
  args: ['--workers', '1', '--access-log', accessLog],
  env: { TURNPIKE_ADMIN_TOKEN: adminToken },
});
try {
  const applied = await fetch(`${turnpike.admin}/admin/v1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(benchConfig('http://127.0.0.1:19000', key)),
  });
  if (!applied.ok) throw new Error(`applying the bench configuration failed: ${await applied.text()}`);
  if (cpus().length >= 2 && turnpike.process.pid) {
    // The gateway worker gets the peers' CPU to itself. The control process (admin API, portal,
    // embedded database) is not part of the gateway; it goes with wrk and the upstream, where
    // its occasional garbage collection of a large heap cannot stall the worker.
    const workers = spawnSync('pgrep', ['-P', String(turnpike.process.pid)], { encoding: 'utf8' }).stdout;
    spawnSync('taskset', ['-apc', '0', String(turnpike.process.pid)], { stdio: 'ignore' });
    for (const pid of workers.split(/\s+/).filter(Boolean)) {
      spawnSync('taskset', ['-apc', '1', pid], { stdio: 'ignore' });
    }
  }
  const target = `turnpike|${turnpike.gateway}/bench/x|X-API-Key: ${key}`;
  // Every target warmed up alike (10 s each) before the measured rounds: a cold process pays for
  // JIT compilation (on the same pinned core) and for growing its heap, and one cold round would
  // decide the averaged p99.
  const warmups: [string, string][] = [
    ['http://127.0.0.1:19001/x', 'X-API-Key: key-abc-123'],
    ['http://127.0.0.1:19003/x', 'X-API-Key: key-abc-123'],
    ['http://127.0.0.1:19005/x', 'X-API-Key: key-abc-123'],
    [`${turnpike.gateway}/bench/x`, `X-API-Key: ${key}`],
  ];
  for (const [url, header] of warmups) wrk(url, header, 10);
  const control = turnpike.process.pid ?? 0;
  const before = { cpu: processCpuMs(control), at: performance.now() };
  spawnSync(peers, ['run', ...args, '--target', target], { stdio: 'inherit', env });
  if (pairs > 0) tightRounds(pairs, `${turnpike.gateway}/bench/x`, `X-API-Key: ${key}`);
  reportControlCpu(before, processCpuMs(control));
} finally {
  await turnpike.stop();
  removeDir(turnpike.dataDir);
  rmSync(accessLog, { force: true });
  execFileSync(peers, ['down'], { stdio: 'inherit', env });
}

/**
 * The control process (storing usage and analytics every second, its garbage collection) shares
 * CPU 0 with wrk and the upstream, and is busy while Turnpike takes traffic: its bursts there
 * delay Turnpike's requests, not the peers'. Printed so that its cost is seen, not hidden.
 */
function reportControlCpu(before: { cpu: number | undefined; at: number }, after: number | undefined): void {
  if (before.cpu === undefined || after === undefined) return;
  const usedMs = after - before.cpu;
  const seconds = (performance.now() - before.at) / 1000;
  console.log(
    `\nTurnpike's control process (on CPU 0, with wrk and the upstream): ${usedMs.toFixed(0)} ms ` +
      `of CPU in ${seconds.toFixed(0)} s (${(usedMs / seconds).toFixed(1)} ms a second)`,
  );
}
