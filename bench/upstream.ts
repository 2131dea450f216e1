// The benchmark's upstream: a tiny JSON answer, like the one ../shared/bench/peers.sh puts
// behind every peer. Run as its own process so it never shares an event loop with the gateway.
import { createServer } from 'node:http';

const body = '{"hello":"world","id":12345}';
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : ''}\n`);
});
