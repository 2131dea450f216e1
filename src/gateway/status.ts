// The status port (default 8100): liveness, readiness, Prometheus metrics and the built-in echo
// upstream. Kept off the gateway port so a load balancer's probes never count as API traffic.
// It runs in the main process and reports on all the node's gateways.
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { echo } from './echo.ts';
import { sendProblem } from './problem.ts';
import { requestIdFor } from './request-id.ts';
import { type RunningServer, type ServerOptions, startServer } from './server.ts';

export const defaultStatusPort = 8100;

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
  });
  res.end(body);
}

/** What the status port reports on: one gateway, or all the gateways of a node. */
export interface StatusSource {
  readonly ready: boolean;
  readonly version: number | undefined;
  /** For a node with worker processes: how many serve a snapshot, of how many. */
  readonly workers?: { serving: number; total: number };
  /** True once the node is stopping: /ready then answers 503, so balancers move away. */
  readonly stopping?: boolean;
  metrics?(): Promise<string>;
}

export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

export function createStatusHandler(gateway: StatusSource): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    if (path === '/echo' || path.startsWith('/echo/')) {
      echo(req, res, '/echo');
      return;
    }
    const requestId = requestIdFor(req.headers['x-request-id']);
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/health' && read) {
      sendJson(res, 200, { status: 'ok' });
      return;
    }
    if (path === '/metrics' && read && gateway.metrics) {
      gateway.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': metricsContentType, 'cache-control': 'no-store' });
          res.end(text);
        },
        () => sendProblem(res, 'internal-error', 'Collecting the metrics failed.', requestId),
      );
      return;
    }
    if (path === '/ready' && read) {
      const workers = gateway.workers === undefined ? {} : { workers: gateway.workers };
      if (gateway.stopping === true)
        sendProblem(res, 'gateway-not-ready', 'The gateway is stopping.', requestId);
      else if (gateway.ready) sendJson(res, 200, { status: 'ready', version: gateway.version, ...workers });
      else
        sendProblem(
          res,
          'gateway-not-ready',
          'The gateway has not received its configuration yet.',
          requestId,
        );
      return;
    }
    sendProblem(
      res,
      'route-not-found',
      'The status port serves /health, /ready, /metrics and /echo.',
      requestId,
    );
  };
}

/** Listens on `options.port`, default 8100. */
export function startStatusServer(
  gateway: StatusSource,
  options: ServerOptions = {},
): Promise<RunningServer> {
  return startServer(createStatusHandler(gateway), { ...options, port: options.port ?? defaultStatusPort });
}
