// The control plane's Prometheus metrics, in a registry of their own: requests to the admin and
// portal servers, batches and mails from the channels, and what is read at scrape time (the
// configuration revision, the snapshot being distributed, the database pool). One per admin
// server; it counts what the whole process publishes from the moment it is created.
import pg from 'pg';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { version } from '../../shared/version.ts';
import type { Db } from '../../store/db.ts';
import { currentRevision } from '../services/write.ts';
import type { SnapshotDistributor } from '../sync/distributor.ts';
import {
  type AnalyticsDroppedEvent,
  analyticsDroppedChannel,
  type BatchEvent,
  batchChannel,
  batchKinds,
  batchResults,
  batchSources,
  type ControlRequestEvent,
  controlRequestChannel,
  type MailEvent,
  mailChannel,
  mailResults,
  mailTransports,
} from './channels.ts';
import { processMetrics } from './process-metrics.ts';

export interface ControlMetricsOptions {
  db: Db;
  store: 'pglite' | 'postgres';
  /** The snapshot gauges and the long-poll gauge are left out without one. */
  distributor?: SnapshotDistributor | undefined;
}

export interface ControlMetrics {
  /** Everything, prom-client's process_* and nodejs_* metrics too, in the Prometheus text format. */
  render(): Promise<string>;
  /** Stops listening to the channels. */
  close(): void;
}

/**
 * Upper bounds, seconds. Admin calls take milliseconds, a whole `apply` seconds; the data-plane
 * nodes' long polls of /admin/v1/sync last up to their wait (60 s at most).
 */
export const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** `2xx`…`5xx`; anything outside 100–599 is `other`. */
export function statusClass(status: number): string {
  return status >= 100 && status <= 599 ? `${Math.floor(status / 100)}xx` : 'other';
}

export function createControlMetrics(options: ControlMetricsOptions): ControlMetrics {
  const registry = new Registry();
  const registers = [registry];

  const requests = new Counter({
    name: 'turnpike_control_http_requests_total',
    help: 'Requests answered by the admin (8001) and portal (8002) servers, by route template and status class.',
    labelNames: ['server', 'method', 'route', 'status_class'] as const,
    registers,
  });
  const durations = new Histogram({
    name: 'turnpike_control_http_request_duration_seconds',
    help: 'Time from a request reaching the admin or portal server to its response being sent, in seconds.',
    labelNames: ['server', 'method', 'route'] as const,
    buckets: durationBuckets,
    registers,
  });
  const batches = new Counter({
    name: 'turnpike_control_ingest_batches_total',
    help: 'Batches gateways handed over, by what became of them: stored, duplicate (stored before), refused (malformed), failed (retried).',
    labelNames: ['kind', 'source', 'result'] as const,
    registers,
  });
  const entries = new Counter({
    name: 'turnpike_control_ingest_entries_total',
    help: 'Entries of the batches gateways handed over, by what became of their batch.',
    labelNames: ['kind', 'source', 'result'] as const,
    registers,
  });
  const droppedAnalytics = new Counter({
    name: 'turnpike_control_analytics_dropped_total',
    help: 'Rollups and request-log entries a batch carried that were not stored (malformed, or the database refused them); the batch’s usage was stored.',
    labelNames: ['reason', 'part'] as const,
    registers,
  });
  for (const reason of ['invalid', 'store-failed'])
    for (const part of ['rollups', 'requests']) droppedAnalytics.inc({ reason, part }, 0);
  const mails = new Counter({
    name: 'turnpike_control_mails_total',
    help: 'Mails sent through SMTP or written to the outbox, and mails that failed.',
    labelNames: ['transport', 'result'] as const,
    registers,
  });
  // Series whose labels are known start at 0, so rates and alerts have something to read before
  // the first batch or mail (Prometheus' advice on missing series).
  for (const kind of batchKinds)
    for (const source of batchSources)
      for (const result of batchResults) {
        batches.inc({ kind, source, result }, 0);
        entries.inc({ kind, source, result }, 0);
      }
  for (const transport of mailTransports)
    for (const result of mailResults) mails.inc({ transport, result }, 0);
  new Gauge({
    name: 'turnpike_control_info',
    help: 'Always 1; the labels say which store the control plane uses and its version.',
    labelNames: ['store', 'version'] as const,
    registers,
  }).set({ store: options.store, version }, 1);

  registerStoreGauges(registry, options.db);
  if (options.distributor) registerSnapshotGauges(registry, options.distributor);

  const onRequest = (message: unknown) => {
    const m = message as ControlRequestEvent;
    requests.inc({ server: m.server, method: m.method, route: m.route, status_class: statusClass(m.status) });
    durations.observe({ server: m.server, method: m.method, route: m.route }, m.seconds);
  };
  const onBatch = (message: unknown) => {
    const m = message as BatchEvent;
    const labels = { kind: m.kind, source: m.source, result: m.result };
    batches.inc(labels);
    entries.inc(labels, m.entries);
  };
  const onDropped = (message: unknown) => {
    const m = message as AnalyticsDroppedEvent;
    droppedAnalytics.inc({ reason: m.reason, part: 'rollups' }, m.rollups);
    droppedAnalytics.inc({ reason: m.reason, part: 'requests' }, m.requests);
  };
  const onMail = (message: unknown) => {
    const m = message as MailEvent;
    mails.inc({ transport: m.transport, result: m.result });
  };
  controlRequestChannel.subscribe(onRequest);
  batchChannel.subscribe(onBatch);
  mailChannel.subscribe(onMail);
  analyticsDroppedChannel.subscribe(onDropped);

  return {
    render: async () => `${await registry.metrics()}\n${await processMetrics().metrics()}`,
    close() {
      controlRequestChannel.unsubscribe(onRequest);
      batchChannel.unsubscribe(onBatch);
      mailChannel.unsubscribe(onMail);
      analyticsDroppedChannel.unsubscribe(onDropped);
    },
  };
}

/** The revision in the store, and whether the store answered; a scrape survives a database outage. */
function registerStoreGauges(registry: Registry, db: Db): void {
  // A registry collects its metrics concurrently: both gauges wait for the same query.
  let reading: Promise<number | undefined> | undefined;
  const readRevision = () =>
    (reading ??= currentRevision(db)
      .catch(() => undefined)
      .finally(() => {
        reading = undefined;
      }));
  new Gauge({
    name: 'turnpike_control_config_revision',
    help: 'Configuration revision in the store; increases with every change. Left as it was when the store does not answer.',
    registers: [registry],
    async collect() {
      const revision = await readRevision();
      if (revision !== undefined) this.set(revision);
    },
  });
  new Gauge({
    name: 'turnpike_control_store_up',
    help: '1 when the store answered the query made for this scrape, 0 when it did not.',
    registers: [registry],
    async collect() {
      this.set((await readRevision()) === undefined ? 0 : 1);
    },
  });
  // node-postgres keeps its pool on the Drizzle database; PGlite has one connection and no pool.
  const pool = (db as { $client?: unknown }).$client;
  if (!(pool instanceof pg.Pool)) return;
  new Gauge({
    name: 'turnpike_control_db_pool_connections',
    help: 'Connections of the PostgreSQL pool, idle or in use.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'in_use' }, pool.totalCount - pool.idleCount);
    },
  });
  new Gauge({
    name: 'turnpike_control_db_pool_waiting_queries',
    help: 'Queries waiting for a connection of the PostgreSQL pool.',
    registers: [registry],
    collect() {
      this.set(pool.waitingCount);
    },
  });
}

function registerSnapshotGauges(registry: Registry, distributor: SnapshotDistributor): void {
  new Gauge({
    name: 'turnpike_control_snapshot_version',
    help: 'Version (configuration revision) of the newest snapshot this process distributes; 0 before the first.',
    registers: [registry],
    collect() {
      this.set(distributor.latest?.version ?? 0);
    },
  });
  new Gauge({
    name: 'turnpike_control_snapshot_timestamp_seconds',
    help: 'When this process built the snapshot it distributes (Unix time, seconds): the time of the last configuration change it saw; 0 before the first.',
    registers: [registry],
    collect() {
      const created = Date.parse(distributor.latest?.createdAt ?? '');
      this.set(Number.isFinite(created) ? created / 1000 : 0);
    },
  });
  new Gauge({
    name: 'turnpike_control_sync_waiting_requests',
    help: 'Long polls of /admin/v1/sync waiting for a change: about one per connected data-plane node.',
    registers: [registry],
    collect() {
      this.set(distributor.waiting);
    },
  });
}
