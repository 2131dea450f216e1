// node:http servers for the gateway (and the status port): listen, report the bound address,
// and close gracefully — stop accepting, let requests in flight finish, cut the rest after a grace.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from './gateway.ts';

export interface ServerOptions {
  /** Default 127.0.0.1; "0.0.0.0" or "::" to listen on every interface. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /**
   * Milliseconds an idle client connection stays open. Default 65 s: longer than the 60 s idle
   * timeout of common load balancers, so the balancer, not the gateway, closes idle connections
   * and never sends a request onto a socket the gateway is closing.
   */
  keepAliveTimeout?: number;
  /** Milliseconds a client may take to send the request headers. Default 30 s. */
  headersTimeout?: number;
}

export interface RunningServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** `http://host:port` */
  readonly url: string;
  /** Stops accepting, waits for requests in flight up to `graceMs` (default 10 s), then cuts. */
  close(graceMs?: number): Promise<void>;
}

export async function startServer(
  listener: RequestListener,
  options: ServerOptions = {},
): Promise<RunningServer> {
  let draining = false;
  const server = createServer(
    {
      keepAliveTimeout: options.keepAliveTimeout ?? 65_000,
      headersTimeout: options.headersTimeout ?? 30_000,
      noDelay: true,
    },
    (req, res) => {
      // While draining, answer with "Connection: close" so clients stop reusing the connection.
      if (draining) res.shouldKeepAlive = false;
      listener(req, res);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    server,
    host: address.address,
    port: address.port,
    url: `http://${host}:${address.port}`,
    close(graceMs = 10_000) {
      closing ??= new Promise<void>((resolve) => {
        draining = true;
        const cut = setTimeout(() => server.closeAllConnections(), graceMs);
        // Connections busy at close() turn idle as their responses finish; close them then
        // rather than at the grace deadline.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.close(() => {
          clearTimeout(cut);
          clearInterval(sweep);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closing;
    },
  };
}

/** The gateway's public port (default 8000 in the CLI; here 0 unless given). */
export function startGatewayServer(
  gateway: Pick<Gateway, 'handle'>,
  options: ServerOptions = {},
): Promise<RunningServer> {
  return startServer(gateway.handle, options);
}
