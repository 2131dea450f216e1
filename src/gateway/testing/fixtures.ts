// Test support for the gateway: snapshots built from a few fields, real servers on ephemeral
// ports, and a raw socket client for requests a well-behaved client library refuses to send.
import type { RequestListener } from 'node:http';
import { connect } from 'node:net';
import { generateApiKey, hashSecret } from '../../shared/secrets.ts';
import { defaultUpstreamSettings } from '../../shared/upstream-settings.ts';
import { echo } from '../echo.ts';
import { createGateway, type Gateway, type GatewayOptions } from '../gateway.ts';
import type { RequestRecord } from '../observe.ts';
import { type RunningServer, startGatewayServer, startServer } from '../server.ts';
import type { Snapshot, SnapshotApi, SnapshotRoute } from '../snapshot/types.ts';

export function route(path: string, methods: string[] = [], name = safeName(path)): SnapshotRoute {
  return { id: `rte_${name}`, name, methods, path, metric: 'hits' };
}

/** A route name made from a path: ids and names keep to letters, digits, ".", "_" and "-". */
function safeName(path: string): string {
  const name = path
    .replace(/\*/g, 'rest')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return /^[A-Za-z0-9]/.test(name) ? name : `r${name || 'root'}`;
}

export function api(fields: Partial<SnapshotApi> & { id: string }): SnapshotApi {
  return {
    name: fields.id,
    basePath: '/',
    hosts: [],
    upstreamId: 'ups_main',
    keyless: true,
    stripBasePath: false,
    maxBodyBytes: null,
    routes: [route('/*')],
    ...fields,
  };
}

/** A snapshot whose one upstream `ups_main` points at `upstreamUrl`. */
export function snapshot(upstreamUrl: string, fields: Partial<Snapshot> = {}): Snapshot {
  return {
    version: 1,
    createdAt: new Date(0).toISOString(),
    upstreams: [
      {
        id: 'ups_main',
        name: 'main',
        targets: [{ url: upstreamUrl, weight: 100 }],
        ...defaultUpstreamSettings,
      },
    ],
    apis: [api({ id: 'api_main' })],
    applications: [],
    keys: [],
    policies: [],
    credentials: [],
    ...fields,
  };
}

/** An application with one key, subscribed to `apiIds`. */
export function consumer(
  id: string,
  apiIds: string[],
  options: { active?: boolean; expiresAt?: string | null } = {},
) {
  const key = generateApiKey('test');
  return {
    key,
    application: {
      id,
      accountId: `acc_of_${id}`,
      tier: 'standard',
      active: options.active ?? true,
      grants: apiIds.map((apiId) => ({ apiId, planId: `pln_${apiId}` })),
    },
    keyRecord: { hash: hashSecret(key), applicationId: id, expiresAt: options.expiresAt ?? null },
  };
}

/** Starts an upstream; the default one is the echo upstream at its root. */
/** What the gateway publishes for one request: an unmatched 200 to `/`, with `fields` over it. */
export function requestRecord(fields: Partial<RequestRecord> = {}): RequestRecord {
  return {
    requestId: 'r',
    method: 'GET',
    path: '/',
    host: 'h',
    clientIp: '127.0.0.1',
    status: 200,
    durationMs: 1,
    upstreamMs: undefined,
    bytesSent: 0,
    bytesReceived: 0,
    api: undefined,
    route: undefined,
    consumer: undefined,
    aborted: false,
    ...fields,
  };
}

export function startUpstream(
  listener: RequestListener = (req, res) => echo(req, res),
): Promise<RunningServer> {
  return startServer(listener);
}

export interface TestGateway {
  gateway: Gateway;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startTestGateway(
  initial: Snapshot | undefined,
  options: GatewayOptions = {},
): Promise<TestGateway> {
  const gateway = createGateway(options);
  if (initial !== undefined) {
    const loaded = gateway.load(initial);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.problem));
  }
  const server = await startGatewayServer(gateway);
  return {
    gateway,
    server,
    async close() {
      await server.close(1000);
      await gateway.close();
    },
  };
}

/** Sends raw bytes and returns everything the server answers until it closes or goes quiet. */
export function rawRequest(port: number, text: string, quietMs = 300): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text));
    let received = '';
    let timer = setTimeout(() => socket.destroy(), quietMs);
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
      clearTimeout(timer);
      timer = setTimeout(() => socket.destroy(), quietMs);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', reject);
  });
}
