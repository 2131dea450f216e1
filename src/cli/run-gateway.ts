// `turnpike gateway`: a data-plane node. Its gateways serve the configuration the control plane
// sends; the last good one is kept on disk and served at boot, so the node starts and keeps
// serving while the control plane is down. /ready answers 503 until it has any configuration.
import { join, resolve } from 'node:path';
import pino from 'pino';
import { UsageOutbox } from '../gateway/metering/outbox.ts';
import { startStatusServer } from '../gateway/status.ts';
import { readSnapshotFile } from '../gateway/sync/cache.ts';
import { ControlPlaneLink } from '../gateway/sync/link.ts';
import type { TracingSettings } from '../gateway/tracing/settings.ts';
import { ClusterFleet } from '../gateway/workers/cluster.ts';
import type { Fleet } from '../gateway/workers/fleet.ts';
import { InProcessFleet } from '../gateway/workers/in-process.ts';
import { displayUrl, type Listener } from '../shared/config.ts';
import type { GatewaySettings } from '../shared/gateway-settings.ts';
import { listenError } from '../shared/listen-error.ts';
import { version } from '../shared/version.ts';
import { checkGatewayNode, gatewayListenError } from './gateway-node.ts';
import { stopSignal } from './signals.ts';
import { StartupError } from './start.ts';

export interface DataPlaneSettings {
  controlPlane: string;
  token: string;
  dataDir: string;
  gateway: Listener;
  status: Listener;
  logLevel: string;
  node: GatewaySettings;
  tracing: TracingSettings | undefined;
}

export async function runGateway(settings: DataPlaneSettings): Promise<number> {
  const logger = pino({ level: settings.logLevel, base: { service: 'turnpike', role: 'data-plane' } });
  const cacheFile = resolve(settings.dataDir, 'gateway-snapshot.json');
  checkGatewayNode(settings.node);
  const { gateway, node, logLevel, tracing } = settings;
  const fleetSettings = { gateway, node, logLevel, tracing };
  const fleet =
    settings.node.workers === 0
      ? await InProcessFleet.create(fleetSettings, logger)
      : new ClusterFleet(fleetSettings, logger);
  const status = await startStatusServer(fleet, settings.status).catch(async (e) => {
    await fleet.stop();
    throw new StartupError(listenError(e, settings.status, 'status').message);
  });

  // The last good configuration first: the node serves at once, and on its own if need be.
  const cached = readSnapshotFile(cacheFile);
  if (cached !== undefined && !cached.ok) logger.warn({ problem: cached.problem }, `ignoring ${cacheFile}`);
  const start = cached?.ok ? cached.value : undefined;
  const link = new ControlPlaneLink(
    {
      controlPlane: settings.controlPlane,
      token: settings.token,
      cacheFile,
      logger,
      onSnapshot: (snapshot, delta) => fleet.publish(snapshot, delta),
    },
    start,
  );
  fleet.onKeyUse((ids) =>
    link
      .reportKeyUse(ids)
      .catch((error: Error) => logger.debug({ err: error }, 'could not report which keys were used')),
  );
  // Metered usage is kept until the control plane has stored it, across restarts too.
  const usage = new UsageOutbox((batch) => link.reportUsage(batch), {
    spoolFile: join(settings.dataDir, 'usage-outbox.json'),
    onError: (error) => logger.debug({ err: error }, 'could not hand usage to the control plane; will retry'),
  });
  fleet.onUsage((batch) => usage.add(batch));
  if (settings.node.counters.redisUrl === undefined) await seedCounters(fleet, link, usage, logger);
  if (start !== undefined) {
    fleet.publish(start, undefined);
    logger.info({ version: start.version }, 'serving the configuration kept on disk');
  }
  const running = link.run();
  const reopen = () => fleet.reopenLogs();
  process.on('SIGHUP', reopen);

  const gatewayUrl = displayUrl(settings.gateway.host, settings.gateway.port);
  console.log(
    [
      `Turnpike ${version} data-plane node, configuration from ${settings.controlPlane}`,
      '',
      `  gateway    ${gatewayUrl}   (${settings.node.workers === 0 ? 'in the main process' : `${settings.node.workers} worker${settings.node.workers === 1 ? '' : 's'}`})`,
      `  status     ${displayUrl(settings.status.host, status.port)}/ready`,
      '',
      start
        ? `Serving version ${start.version} from ${cacheFile} until the control plane answers.`
        : 'Not ready until the control plane sends a configuration.',
      'Press Ctrl+C to stop.',
    ].join('\n'),
  );

  // The gateways listen once they have a configuration; a port that cannot be had is a startup
  // failure, whenever that is.
  const listenFailure = fleet.listening().then(
    (ports) => {
      console.log(
        `Serving on ${displayUrl(settings.gateway.host, ports.http)}${ports.https ? ` and https port ${ports.https}` : ''}.`,
      );
      return undefined;
    },
    (error: unknown) => gatewayListenError(error, settings.gateway, settings.node),
  );
  const signal = stopSignal();
  const outcome = await Promise.race([
    signal,
    listenFailure.then((error) => error ?? new Promise<never>(() => {})),
  ]);
  link.stop();
  if (outcome instanceof Error) {
    await Promise.all([fleet.stop(), status.close(2000)]);
    await usage.close();
    throw new StartupError(outcome.message);
  }
  console.log(`\nTurnpike is stopping (${outcome}): finishing requests in flight…`);
  await fleet.stop();
  // The workers' last usage came in as they drained: hand it over, or keep it on disk.
  await usage.close();
  await status.close(2000);
  await running;
  console.log('Turnpike stopped.');
  return 0;
}

/** How long a starting node waits for the control plane's usage before it serves without. */
const seedTimeoutMs = 2_000;

/**
 * Counts held in memory start from the usage the control plane has stored, this node's undelivered
 * usage handed over first, before anything is served: so no call counts twice, and a restart
 * does not hand out a quota again. When the control plane does not answer in time the node
 * starts from zero, as it would without this.
 */
async function seedCounters(fleet: Fleet, link: ControlPlaneLink, usage: UsageOutbox, logger: pino.Logger) {
  const deadline = AbortSignal.timeout(seedTimeoutMs);
  const expired = new Promise<void>((resolve) => deadline.addEventListener('abort', () => resolve()));
  await Promise.race([usage.flush(), expired]);
  if (deadline.aborted || usage.pending > 0) {
    logger.warn("the control plane did not take this node's usage at start; limits count from zero");
    return;
  }
  try {
    fleet.seedCounters(await link.counterSeeds(seedTimeoutMs));
  } catch (error) {
    logger.warn({ err: error }, 'could not get stored usage from the control plane; limits count from zero');
  }
}
