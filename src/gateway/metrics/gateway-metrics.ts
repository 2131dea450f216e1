// The gateway's Prometheus metrics: requests and latencies from the request channel, upstream
// target health from the health checks' channel, the snapshot being served, access log lines
// dropped, and the process's default metrics, in a registry of their own. Each gateway process
// keeps one; with several workers the primary merges their `metricsJson()` (merge.ts) for the
// status port's /metrics.
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { accessLogDropChannel } from '../access-log/access-log.ts';
import { type TargetHealthEvent, targetHealthChannel } from '../health/channel.ts';
import { type RequestRecord, requestChannel } from '../observe.ts';
import { type MetricFamily, requestCollectors } from './families.ts';
import { RequestStats } from './request-stats.ts';

/** What the metrics need of a snapshot; the gateway's whole `snapshot` fits. */
export interface SnapshotSummary {
  version: number;
  /** ISO 8601; the age metric counts from it. */
  createdAt: string;
  /** When given, request series of APIs and routes no longer configured are dropped. */
  apis?: readonly { name: string; routes: readonly { name: string }[] }[];
  /** When given, health series of targets no longer configured are dropped. */
  upstreams?: readonly { name: string; targets: readonly { url: string }[] }[];
}

/** One target's health as the gateway's health registry reads it. */
export interface TargetHealthSample {
  /** The upstream's name. */
  upstream: string;
  target: string;
  healthy: boolean;
}

export interface GatewayMetricsOptions {
  /** prom-client's process_* and nodejs_* metrics; default true. */
  defaultMetrics?: boolean;
  /**
   * Every target's health, read at each scrape: complete (targets that never changed state are
   * there too) and never stale. Without it, the gauge follows the changes published on the
   * health channel, and `setSnapshot` forgets targets the configuration no longer has.
   */
  targetHealth?: () => Iterable<TargetHealthSample>;
}

export interface GatewayMetrics {
  /** Call after the gateway loads a snapshot. */
  setSnapshot(snapshot: SnapshotSummary): void;
  /** What the health channel does, for callers that learn of a change another way. */
  setTargetHealth(upstream: string, target: string, healthy: boolean): void;
  /** This process's metrics as plain JSON, for a primary process to merge (fits IPC). */
  metricsJson(): Promise<MetricFamily[]>;
  /** This process's metrics in the Prometheus text format. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Stops listening to the channels. */
  close(): void;
}

function isTargetHealthEvent(message: unknown): message is TargetHealthEvent {
  const m = message as Partial<TargetHealthEvent> | null;
  return (
    typeof m === 'object' &&
    m !== null &&
    typeof m.upstreamName === 'string' &&
    typeof m.target === 'string' &&
    typeof m.healthy === 'boolean'
  );
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

export function createGatewayMetrics(options: GatewayMetricsOptions = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });

  const stats = new RequestStats();
  // Computed families are not prom-client classes, but a registry only calls name, get() and
  // reset() — the same contract AggregatorRegistry.aggregate relies on for merged families.
  for (const family of requestCollectors(stats)) registry.registerMetric(family as unknown as Counter);

  // Several workers merge with these aggregators: the oldest configuration any worker serves
  // (version 0 while one has none), and a target counts as healthy only where every worker
  // that checks it says so.
  const version = new Gauge({
    name: 'turnpike_gateway_snapshot_version',
    help: 'Version of the configuration snapshot being served; 0 before the first one.',
    aggregator: 'min',
    registers: [registry],
  });
  let createdAtMs: number | undefined;
  new Gauge({
    name: 'turnpike_gateway_snapshot_age_seconds',
    help: 'Seconds since the snapshot being served was created by the control plane; 0 before the first one.',
    aggregator: 'max',
    registers: [registry],
    collect() {
      this.set(createdAtMs === undefined ? 0 : Math.max(0, (Date.now() - createdAtMs) / 1000));
    },
  });
  const readHealth = options.targetHealth;
  const health = new Gauge({
    name: 'turnpike_gateway_upstream_target_healthy',
    help: '1 when the upstream target receives traffic, 0 when health checks took it out.',
    labelNames: ['upstream', 'target'] as const,
    aggregator: 'min',
    registers: [registry],
    collect() {
      if (readHealth === undefined) return;
      this.reset();
      for (const { upstream, target, healthy } of readHealth())
        this.set({ upstream, target }, healthy ? 1 : 0);
    },
  });
  const accessLogDropped = new Counter({
    name: 'turnpike_gateway_access_log_dropped_total',
    help: 'Access log lines dropped because the destination did not keep up.',
    registers: [registry],
  });
  const healthSeries = new Map<string, { upstream: string; target: string }>();
  let retained: Pick<SnapshotSummary, 'apis' | 'upstreams'> = {};

  function setTargetHealth(upstream: string, target: string, healthy: boolean): void {
    healthSeries.set(`${upstream}\n${target}`, { upstream, target });
    health.set({ upstream, target }, healthy ? 1 : 0);
  }

  // Targets are compared by origin, whether the health checks name them by URL or by origin.
  function retainTargets(upstreams: NonNullable<SnapshotSummary['upstreams']>): void {
    const keep = new Set<string>();
    for (const upstream of upstreams)
      for (const { url } of upstream.targets) keep.add(`${upstream.name}\n${originOf(url)}`);
    for (const [key, labels] of healthSeries) {
      if (keep.has(`${labels.upstream}\n${originOf(labels.target)}`)) continue;
      healthSeries.delete(key);
      health.remove(labels);
    }
  }

  const onRequest = (message: unknown) => stats.record(message as RequestRecord);
  const onHealth = (message: unknown) => {
    if (isTargetHealthEvent(message)) setTargetHealth(message.upstreamName, message.target, message.healthy);
  };
  const onDrop = () => accessLogDropped.inc();
  requestChannel.subscribe(onRequest);
  if (readHealth === undefined) targetHealthChannel.subscribe(onHealth);
  accessLogDropChannel.subscribe(onDrop);

  return {
    setSnapshot(snapshot) {
      version.set(snapshot.version);
      const created = Date.parse(snapshot.createdAt);
      createdAtMs = Number.isFinite(created) ? created : undefined;
      // The same lists again (a change to keys only) have nothing new to forget.
      if (snapshot.apis !== undefined && snapshot.apis !== retained.apis) stats.retain(snapshot.apis);
      if (
        snapshot.upstreams !== undefined &&
        snapshot.upstreams !== retained.upstreams &&
        readHealth === undefined
      )
        retainTargets(snapshot.upstreams);
      retained = { apis: snapshot.apis, upstreams: snapshot.upstreams };
    },
    setTargetHealth,
    // The declarations type `type` as a numeric enum; at run time it is the string MetricFamily says.
    metricsJson: async () => (await registry.getMetricsAsJSON()) as unknown as MetricFamily[],
    render: () => registry.metrics(),
    contentType: registry.contentType,
    close() {
      requestChannel.unsubscribe(onRequest);
      if (readHealth === undefined) targetHealthChannel.unsubscribe(onHealth);
      accessLogDropChannel.unsubscribe(onDrop);
    },
  };
}
