// A gateway process serving a snapshot from a file, with nothing else around it: what
// `npm run bench:scale` measures at different configuration sizes.
//   node bench/gateway-only.ts SNAPSHOT.json PORT
import { readFileSync } from 'node:fs';
import { createGateway } from '../src/gateway/gateway.ts';
import { startGatewayServer } from '../src/gateway/server.ts';

const [file = '', port = '0'] = process.argv.slice(2);
const gateway = createGateway();
const started = performance.now();
const loaded = gateway.load(JSON.parse(readFileSync(file, 'utf8')));
if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
const loadMs = performance.now() - started;
const server = await startGatewayServer(gateway, { host: '127.0.0.1', port: Number(port) });
process.stdout.write(`${JSON.stringify({ port: server.port, loadMs })}\n`);

// Any line on stdin asks for memory use after a full collection (run with --expose-gc).
process.stdin.on('data', () => {
  (globalThis as { gc?: () => void }).gc?.();
  const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
  process.stdout.write(`${JSON.stringify({ rss, heapUsed, external, arrayBuffers })}\n`);
});
