// `npm run bench`: Turnpike's own load scenarios, measured side by side in one run so machine
// drift hits every row alike. Rows alternate over several rounds; the table gives requests per
// second, latency percentiles and each row's ratio to calling the upstream directly and to a
// bare node:http + undici proxy (the ceiling for any Node.js gateway).
//
//   npm run bench [-- --duration 10 --connections 50 --rounds 2 --only key-auth,plan-limit]
//
// For nginx, a bare Node proxy and fast-gateway beside Turnpike, see bench/README.md.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { generateApiKey } from '../src/shared/secrets.ts';
import { removeDir, startTurnpike } from '../test/support/cli.ts';
import { benchConfig, benchIssuer } from './config.ts';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    // Scenarios to run besides direct and bare-proxy, which every ratio needs; default all.
    only: { type: 'string' },
  },
});
const only = values.only?.split(',').map((name) => name.trim());
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);

// The upstream runs in its own process, so it never shares an event loop with the gateway.
const upstreamProcess = spawn(process.execPath, [join(import.meta.dirname, 'upstream.ts')], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [portLine] = (await once(upstreamProcess.stdout, 'data')) as [Buffer];
const upstream = `http://127.0.0.1:${portLine.toString().trim()}`;

const adminToken = `bench-admin-${generateApiKey()}`;
const key = generateApiKey();
const signing = await generateKeyPair('ES256');
const publicJwk = await exportJWK(signing.publicKey);
const turnpike = await startTurnpike({ env: { TURNPIKE_ADMIN_TOKEN: adminToken } });
// The same configuration on a second Turnpike that counts limits in Redis.
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const turnpikeRedis = await startTurnpike({
  env: { TURNPIKE_ADMIN_TOKEN: adminToken },
  args: ['--redis-url', redisUrl],
});
// And on a third with analytics off, to measure what collecting them costs.
const turnpikeQuiet = await startTurnpike({
  env: { TURNPIKE_ADMIN_TOKEN: adminToken },
  args: ['--analytics', 'off'],
});
for (const instance of [turnpike, turnpikeRedis, turnpikeQuiet]) {
  const applied = await fetch(`${instance.admin}/admin/v1/config`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(benchConfig(upstream, key, publicJwk)),
  });
  if (!applied.ok) throw new Error(`applying the bench configuration failed: ${await applied.text()}`);
}
const apps = await fetch(`${turnpike.admin}/admin/v1/applications?name=bench-app`, {
  headers: { authorization: `Bearer ${adminToken}` },
});
const [app] = ((await apps.json()) as { data: { id: string }[] }).data;
// One token for the whole run, as a client would reuse it until it expires.
const token = await new SignJWT({ client_id: app?.id, scope: 'bench' })
  .setProtectedHeader({ alg: 'ES256' })
  .setIssuer(benchIssuer)
  .setAudience('bench')
  .setExpirationTime('2h')
  .sign(signing.privateKey);

const bareProcess = spawn(process.execPath, [join(import.meta.dirname, 'bare-proxy.ts'), upstream, key], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const [barePort] = (await once(bareProcess.stdout, 'data')) as [Buffer];

const scenarios = [
  { name: 'direct', url: `${upstream}/x`, headers: {} },
  {
    name: 'bare-proxy',
    url: `http://127.0.0.1:${barePort.toString().trim()}/x`,
    headers: { 'x-api-key': key },
  },
  { name: 'keyless', url: `${turnpike.gateway}/open/x`, headers: {} },
  { name: 'key-auth', url: `${turnpike.gateway}/bench/x`, headers: { 'x-api-key': key } },
  { name: 'no-analytics', url: `${turnpikeQuiet.gateway}/bench/x`, headers: { 'x-api-key': key } },
  { name: 'request-log', url: `${turnpike.gateway}/logged/x`, headers: { 'x-api-key': key } },
  { name: 'plan-limit', url: `${turnpike.gateway}/limited/x`, headers: { 'x-api-key': key } },
  { name: 'plan-redis', url: `${turnpikeRedis.gateway}/limited/x`, headers: { 'x-api-key': key } },
  { name: 'jwt', url: `${turnpike.gateway}/jwt/x`, headers: { authorization: `Bearer ${token}` } },
  {
    name: 'policies',
    url: `${turnpike.gateway}/guarded/x`,
    headers: { 'x-api-key': key, origin: 'https://app.bench.test' },
  },
];

const chosen = scenarios.filter(
  (s) => only === undefined || s.name === 'direct' || s.name === 'bare-proxy' || only.includes(s.name),
);

interface Row {
  rps: number[];
  p50: number[];
  p99: number[];
  errors: number;
}
const rows = new Map<string, Row>(chosen.map((s) => [s.name, { rps: [], p50: [], p99: [], errors: 0 }]));

console.log(`Turnpike bench: ${rounds} round(s) of ${duration} s per scenario, ${connections} connections\n`);
for (let round = 1; round <= rounds; round++) {
  for (const scenario of chosen) {
    const result = await autocannon({ url: scenario.url, headers: scenario.headers, connections, duration });
    const row = rows.get(scenario.name);
    if (!row) continue;
    row.rps.push(result.requests.average);
    row.p50.push(result.latency.p50);
    row.p99.push(result.latency.p99);
    row.errors += result.errors + result.non2xx;
  }
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const direct = mean(rows.get('direct')?.rps ?? [1]);
const bare = mean(rows.get('bare-proxy')?.rps ?? [1]);
console.log(
  `${'scenario'.padEnd(14)}${'req/s'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'x direct'.padStart(10)}${'x bare'.padStart(8)}${'errors'.padStart(8)}`,
);
for (const [name, row] of rows) {
  const rps = mean(row.rps);
  console.log(
    `${name.padEnd(14)}${rps.toFixed(0).padStart(10)}${mean(row.p50).toFixed(2).padStart(9)}${mean(row.p99).toFixed(2).padStart(9)}${(rps / direct).toFixed(2).padStart(10)}${(rps / bare).toFixed(2).padStart(8)}${String(row.errors).padStart(8)}`,
  );
}

for (const instance of [turnpike, turnpikeRedis, turnpikeQuiet]) {
  await instance.stop();
  removeDir(instance.dataDir);
}
upstreamProcess.kill();
bareProcess.kill();
