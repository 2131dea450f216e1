// The ceiling for a Node.js proxy, as in ../shared/bench/peers.sh: node:http, one undici pool,
// a key looked up in a Map, no routing, no policies. `node bench/bare-proxy.ts UPSTREAM KEY`.
import { createServer } from 'node:http';
import { Pool } from 'undici';

const [upstream = '', key = ''] = process.argv.slice(2);
const pool = new Pool(upstream, { connections: 64 });
const keys = new Map([[key, 'bench']]);
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  const consumer = keys.get(String(req.headers['x-api-key']));
  if (!consumer) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"message":"invalid key"}');
    return;
  }
  pool
    .request({
      method: (req.method ?? 'GET') as 'GET',
      path: req.url ?? '/',
      headers: { 'x-consumer': consumer },
      body: req.method === 'GET' || req.method === 'HEAD' ? null : req,
    })
    .then(({ statusCode, headers, body }) => {
      res.writeHead(statusCode, headers as Record<string, string>);
      body.pipe(res);
    })
    .catch(() => {
      res.writeHead(502);
      res.end();
    });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
