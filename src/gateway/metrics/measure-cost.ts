// What observing a request costs: publishes synthetic RequestRecords on the request channel and
// times the metrics subscriber and the access log per request, plus one scrape. Not a test.
//   npx node src/gateway/metrics/measure-cost.ts [records, default 1e6] [per event-loop turn, default 10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccessLog } from '../access-log/access-log.ts';
import { type RequestRecord, requestChannel } from '../observe.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';

const n = Number(process.argv[2] ?? 1e6);
const perTurn = Number(process.argv[3] ?? 10);

/** 1024 records over 4 APIs × 5 routes, some unmatched, mostly 2xx, latencies from 0.3 ms to 3 s. */
function records(): RequestRecord[] {
  const out: RequestRecord[] = [];
  for (let i = 0; i < 1024; i++) {
    const matched = i % 16 !== 0;
    const a = i % 4;
    const r = (i >> 2) % 5;
    const status = i % 50 === 0 ? 503 : i % 10 === 0 ? 404 : 200;
    const durationMs = 0.3 * 1.5 ** (i % 20);
    out.push({
      requestId: `0b0b5c1e-5a3c-4d8e-9f00-${String(i).padStart(12, '0')}`,
      method: 'GET',
      path: `/api${a}/v1/resource${r}/123`,
      host: 'api.example.com',
      clientIp: '203.0.113.7',
      status,
      durationMs,
      upstreamMs: matched ? durationMs * 0.8 : undefined,
      bytesSent: 512,
      bytesReceived: 0,
      api: matched ? { id: `api_${a}`, name: `api-${a}` } : undefined,
      route: matched ? { id: `rte_${a}_${r}`, name: `route-${r}`, metric: 'hits' } : undefined,
      consumer: matched
        ? { applicationId: 'app_01HZX3', accountId: 'acc_01HZX3', planId: 'pln_01HZX3' }
        : undefined,
      aborted: false,
    });
  }
  return out;
}

const sample = records();

/**
 * Publishes `n` records `perTurn` at a time, yielding between batches as a server would, so writes
 * make progress. Returns the request thread's time per record, and the process's CPU time per
 * record (all threads: the file writes run on libuv's pool) including the final flush.
 */
async function run(teardown: () => Promise<void>): Promise<{ thread: number; cpu: number }> {
  const cpuBefore = process.cpuUsage();
  let thread = 0n;
  for (let done = 0; done < n; ) {
    const started = process.hrtime.bigint();
    for (const end = Math.min(n, done + perTurn); done < end; done++)
      requestChannel.publish(sample[done & 1023]);
    thread += process.hrtime.bigint() - started;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  await teardown();
  const cpu = process.cpuUsage(cpuBefore);
  return { thread: Number(thread) / n, cpu: ((cpu.user + cpu.system) * 1000) / n };
}

async function measure(label: string, setup: () => Promise<() => Promise<void>>): Promise<void> {
  await run(await setup()); // warm up
  const { thread, cpu } = await run(await setup());
  console.log(`${label.padEnd(34)} ${thread.toFixed(0).padStart(6)} ns  ${cpu.toFixed(0).padStart(6)} ns`);
}

const dir = mkdtempSync(join(tmpdir(), 'turnpike-cost-'));
console.log(
  `Node ${process.version}, ${n} records per run, ${perTurn} per event-loop turn; per request: request thread, all CPU`,
);
await measure('channel with a no-op subscriber', async () => {
  const noop = () => {};
  requestChannel.subscribe(noop);
  return async () => void requestChannel.unsubscribe(noop);
});
await measure('metrics subscriber', async () => {
  const metrics = createGatewayMetrics();
  return async () => metrics.close();
});
await measure('access log to a file', async () => {
  const log = await createAccessLog({ destination: join(dir, 'access.log') });
  return async () => {
    await log.close(); // includes writing what is buffered
    if (log.dropped > 0) console.log(`  (${log.dropped} lines dropped)`);
  };
});
await measure('metrics + access log to a file', async () => {
  const metrics = createGatewayMetrics();
  const log = await createAccessLog({ destination: join(dir, 'both.log') });
  return async () => {
    metrics.close();
    await log.close();
  };
});

// A scrape with many routes: 1,000 routes that each saw traffic.
const metrics = createGatewayMetrics();
for (let i = 0; i < 1000; i++)
  requestChannel.publish({
    ...(sample[1] as RequestRecord),
    route: { id: 'r', name: `r${i}`, metric: 'hits' },
  });
const scrapeStarted = process.hrtime.bigint();
const text = await metrics.render();
const json = await metrics.metricsJson();
console.log(
  `scrape with 1,000 routes: render + metricsJson ${(Number(process.hrtime.bigint() - scrapeStarted) / 1e6).toFixed(1)} ms, ${text.length} bytes, ${JSON.stringify(json).length} bytes of JSON`,
);
metrics.close();
rmSync(dir, { recursive: true, force: true });
