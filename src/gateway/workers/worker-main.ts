// Entry point of a gateway worker process, forked by the cluster primary (cluster.ts). It serves
// the snapshots the primary sends, starts listening once it has the first one, and leaves when
// told to drain or when the primary goes away.
import pino from 'pino';
import { reportKeyUses } from '../key-usage.ts';
import { type ConsumeAnswer, PrimaryCounterStore } from '../limits/primary-store.ts';
import { reportUsage } from '../metering/usage-meter.ts';
import type { FleetSettings } from './fleet.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { createServingGateway } from './serve.ts';

const settings = JSON.parse(process.env.TURNPIKE_WORKER_SETTINGS ?? '{}') as FleetSettings;
const logger = pino({ level: settings.logLevel, base: { service: 'turnpike', worker: process.pid } });
// Several workers and no Redis: the primary holds the counts, so the node has one limit.
const shared =
  settings.node.workers > 1 && settings.node.counters?.redisUrl === undefined
    ? new PrimaryCounterStore((request) => process.send?.(request))
    : undefined;
const serving = await createServingGateway(settings, logger, shared);
let draining = false;
/** Set once the first snapshot is served: only then does the worker take connections. */
let listening = false;

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(message, () => resolve());
  });
}

let lastReport: Promise<void> = Promise.resolve();
const stopReports = reportKeyUses((ids) => {
  lastReport = send({ t: 'key-usage', ids });
});
let lastUsage: Promise<void> = Promise.resolve();
const stopUsage = reportUsage((batch) => {
  lastUsage = send({ t: 'usage', batch });
});

async function drain(): Promise<void> {
  if (draining) return;
  draining = true;
  await serving.close();
  stopReports(); // the keys used while draining too
  stopUsage(); // and what the calls drained used
  await Promise.all([lastReport, lastUsage]);
  process.exit(0);
}

process.on('message', (message: ToWorker | ConsumeAnswer) => {
  switch (message.t) {
    case 'consumed':
      shared?.answered(message);
      return;
    case 'snapshot':
    case 'delta': {
      const loaded = serving.load(
        message.t === 'snapshot' ? { snapshot: message.snapshot } : { delta: message.delta },
      );
      const version = message.t === 'snapshot' ? message.snapshot.version : message.delta.to;
      if (!loaded.ok) {
        send({ t: 'refused', sent: message.t, version, problem: loaded.problem });
        return;
      }
      send({ t: 'loaded', version: loaded.value.version });
      if (listening) return;
      listening = true;
      void serving.listen().then(
        (ports) => void send({ t: 'listening', ...ports }),
        (error: unknown) => {
          const { code, message: text, listener } = error as NodeJS.ErrnoException & { listener?: string };
          send({ t: 'listen-failed', code, message: text, listener });
          setTimeout(() => process.exit(1), 100);
        },
      );
      return;
    }
    case 'metrics':
      void serving.metrics.metricsJson().then((json) => send({ t: 'metrics', id: message.id, json }));
      return;
    case 'seed':
      serving.gateway.seedCounters(message.seeds);
      return;
    case 'peek':
      void serving.gateway
        .peekCounters(message.checks)
        .then((verdict) =>
          send({ t: 'peeked', id: message.id, limits: verdict.degraded ? undefined : verdict.limits }),
        );
      return;
    case 'reopen-logs':
      serving.reopenLog();
      return;
    case 'drain':
      void drain();
      return;
  }
});

// The primary decides when to stop: a Ctrl+C reaches the whole process group, and the primary
// then asks every worker to drain. Without the primary there is nobody to take orders from.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
process.on('disconnect', () => void drain());
