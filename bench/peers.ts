// `npm run bench:peers`: Turnpike beside nginx, a bare node:http + undici proxy and
// fast-gateway, all behind the same upstream, using ../shared/bench/peers.sh (which starts the
// peers and measures every target with wrk, in alternation). Turnpike is pinned to the peers'
// CPU for a per-core comparison.
//
//   npm run bench:peers [-- -d 8 -c 50 -r 2]     (arguments go to `peers.sh run`)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../src/shared/secrets.ts';
import { removeDir, startTurnpike } from '../test/support/cli.ts';
import { benchConfig } from './config.ts';

const peers = join(import.meta.dirname, '../../shared/bench/peers.sh');
if (!existsSync(peers))
  throw new Error(`${peers} not found; it comes with the shared folder next to the project`);
const env = { ...process.env, PEERS_NODE: process.execPath };
execFileSync(peers, ['up'], { stdio: 'inherit', env });

const adminToken = `bench-admin-${generateApiKey()}`;
const key = generateApiKey();
const turnpike = await startTurnpike({ env: { TURNPIKE_ADMIN_TOKEN: adminToken } });
try {
  const applied = await fetch(`${turnpike.admin}/admin/v1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(benchConfig('http://127.0.0.1:19000', key)),
  });
  if (!applied.ok) throw new Error(`applying the bench configuration failed: ${await applied.text()}`);
  if (cpus().length >= 2 && turnpike.process.pid) {
    spawnSync('taskset', ['-apc', '1', String(turnpike.process.pid)], { stdio: 'ignore' });
  }
  const target = `turnpike|${turnpike.gateway}/bench/x|X-API-Key: ${key}`;
  spawnSync(peers, ['run', ...process.argv.slice(2), '--target', target], { stdio: 'inherit', env });
} finally {
  await turnpike.stop();
  removeDir(turnpike.dataDir);
  execFileSync(peers, ['down'], { stdio: 'inherit', env });
}
