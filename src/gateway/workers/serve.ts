// A gateway, the servers it answers on, its metrics and its access log, as one unit: what a
// worker process (or the main process, with --workers 0) runs.
import type { Server as NetServer } from 'node:net';
import type { Logger } from 'pino';
import type { Result } from '../../shared/errors.ts';
import { type AccessLog, createAccessLog } from '../access-log/access-log.ts';
import { analyticsCollector } from '../analytics/collector.ts';
import { errorChannel, type GatewayErrorEvent } from '../diagnostics.ts';
import { createGateway, type Gateway } from '../gateway.ts';
import { RedisCounterStore } from '../limits/redis-store.ts';
import type { CounterStore } from '../limits/store.ts';
import { startTlsGatewayServer } from '../listeners/tls.ts';
import { createGatewayMetrics, type GatewayMetrics } from '../metrics/gateway-metrics.ts';
import { type RunningServer, startGatewayServer } from '../server.ts';
import type { SnapshotDelta } from '../snapshot/delta.ts';
import type { FleetSettings } from './fleet.ts';

export interface ServingGateway {
  readonly gateway: Gateway;
  readonly metrics: GatewayMetrics;
  /** Loads a whole snapshot (trusted: from the node's own main process) or a delta. */
  load(update: { snapshot: unknown } | { delta: SnapshotDelta }): Result<{ version: number }>;
  /** Starts the listeners (once); resolves with their ports. */
  listen(): Promise<{ http: number; https: number | undefined }>;
  /** Reopens the access log file (after log rotation). */
  reopenLog(): void;
  /** Stops accepting, waits for requests in flight up to the drain timeout, closes pools and logs. */
  close(): Promise<void>;
}

type Listening = Pick<RunningServer<NetServer>, 'port' | 'close'>;

/**
 * The plain and (with certificates) HTTPS listeners. When one cannot listen, the other is
 * closed again and the error says which failed (`listener`: "gateway" or "https").
 */
async function startListeners(gateway: Gateway, settings: FleetSettings): Promise<Listening[]> {
  const { tls, limits } = settings.node;
  const started = await Promise.allSettled([
    startGatewayServer(gateway, { host: settings.gateway.host, port: settings.gateway.port }, limits),
    ...(tls ? [startTlsGatewayServer(gateway, tls, limits)] : []),
  ]);
  const failed = started.findIndex((s) => s.status === 'rejected');
  if (failed === -1) return started.map((s) => (s as PromiseFulfilledResult<Listening>).value);
  await Promise.all(started.map((s) => (s.status === 'fulfilled' ? s.value.close(0) : undefined)));
  const reason = (started[failed] as PromiseRejectedResult).reason as Error;
  throw Object.assign(reason, { listener: failed === 0 ? 'gateway' : 'https' });
}

/** `shared`: counters the process does not own (a worker's link to its primary's counts). */
export async function createServingGateway(
  settings: FleetSettings,
  logger: Logger,
  shared?: CounterStore,
): Promise<ServingGateway> {
  const { counters: counting } = settings.node;
  const counters =
    counting.redisUrl === undefined
      ? shared
      : new RedisCounterStore({
          url: counting.redisUrl,
          failure: counting.failure,
          timeoutMs: counting.timeoutMs,
          onError: redisErrorLogger(logger),
        });
  // The SDK is loaded only when there is somewhere to send traces.
  const tracer =
    settings.tracing === undefined
      ? undefined
      : new (await import('../tracing/tracer.ts')).GatewayTracer(settings.tracing, logger);
  const analytics = settings.node.analytics !== false;
  const gateway = createGateway({
    trustedProxies: settings.node.trustedProxies,
    counters,
    tracer,
    // Analytics off: request-log policies write nowhere, and nothing reaches the collector.
    ...(analytics ? {} : { requestLog: { add() {} } }),
  });
  const stopAnalytics = analytics ? analyticsCollector.start() : undefined;
  // Subscribed before anything listens, so no request goes unrecorded.
  const metrics = createGatewayMetrics({
    targetHealth: () =>
      gateway.targetHealth().map((t) => ({ upstream: t.upstream, target: t.target, healthy: t.healthy })),
  });
  const where = settings.node.accessLog;
  const accessLog: AccessLog | undefined =
    where === 'off'
      ? undefined
      : await createAccessLog({
          destination: where === 'stdout' ? 'stdout' : where.file,
          onError: (error) => logger.error({ err: error }, 'writing the access log failed'),
        });
  const onError = (event: unknown) => {
    const e = event as GatewayErrorEvent;
    logger.error({ err: e.error, requestId: e.requestId, source: e.source }, 'gateway request failed');
  };
  errorChannel.subscribe(onError);
  let servers: Promise<Listening[]> | undefined;
  return {
    gateway,
    metrics,
    load(update) {
      const loaded =
        'snapshot' in update
          ? gateway.load(update.snapshot, { trusted: true })
          : gateway.loadDelta(update.delta);
      if (loaded.ok && gateway.summary !== undefined) metrics.setSnapshot(gateway.summary);
      return loaded;
    },
    async listen() {
      servers ??= startListeners(gateway, settings);
      const [http, https] = await servers;
      return { http: http?.port ?? 0, https: https?.port };
    },
    reopenLog: () => accessLog?.reopen(),
    async close() {
      const running = servers ? await servers.catch(() => []) : [];
      await Promise.all(running.map((s) => s.close(settings.node.drainMs)));
      await gateway.close();
      await tracer?.shutdown(); // the drained requests' spans too
      await counters?.close();
      errorChannel.unsubscribe(onError);
      stopAnalytics?.();
      metrics.close();
      await accessLog?.close();
    },
  };
}

/** Redis errors, at most one line per 10 s: an outage would otherwise log once per request. */
function redisErrorLogger(logger: Logger): (error: Error) => void {
  let last = 0;
  let quiet = 0;
  return (error) => {
    const now = Date.now();
    if (now - last < 10_000) {
      quiet++;
      return;
    }
    logger.warn(
      { err: error, suppressed: quiet },
      'counting in Redis failed; the redis-failure setting decides',
    );
    last = now;
    quiet = 0;
  };
}
