// `turnpike start`: the control plane in the main process and the gateway in worker processes
// (or in the main process with --workers 0), on the embedded database unless a PostgreSQL URL
// is given. Prints where everything listens; stops cleanly on SIGINT or
// SIGTERM (requests in flight finish, the database is closed so nothing accepted is lost).
import { join } from 'node:path';
import pino from 'pino';
import { AlertEvaluator } from '../control/alerts/evaluator.ts';
import { demoConsoleUser, demoPath, seedDemo } from '../control/demo.ts';
import { createMailer, outboxDirOf } from '../control/mail/mailer.ts';
import { countUsageBatches } from '../control/metrics/batches.ts';
import { startControlPlane } from '../control/plane.ts';
import { recordKeyUse } from '../control/services/keys.ts';
import { counterSeeds, recordUsageBatch } from '../control/services/usage.ts';
import { RedisCounterStore } from '../gateway/limits/redis-store.ts';
import type { LimitCheck } from '../gateway/limits/store.ts';
import { UsageOutbox } from '../gateway/metering/outbox.ts';
import { deltaSize } from '../gateway/snapshot/delta.ts';
import { startStatusServer } from '../gateway/status.ts';
import type { TracingSettings } from '../gateway/tracing/settings.ts';
import { ClusterFleet } from '../gateway/workers/cluster.ts';
import { InProcessFleet } from '../gateway/workers/in-process.ts';
import { displayUrl, type Settings } from '../shared/config.ts';
import type { GatewaySettings } from '../shared/gateway-settings.ts';
import { ListenError, listenError } from '../shared/listen-error.ts';
import { version } from '../shared/version.ts';
import { checkGatewayNode, gatewayListenError } from './gateway-node.ts';
import { openMigratedStore } from './open-store.ts';
import { stopSignal } from './signals.ts';
import { StartupError } from './start.ts';

export async function runPlatform(
  settings: Settings,
  node: GatewaySettings,
  demo: boolean,
  tracing?: TracingSettings,
): Promise<number> {
  checkGatewayNode(node); // before the database is opened and migrated
  const logger = pino({
    level: settings.logLevel,
    base: { service: 'turnpike' },
    redact: ['req.headers.authorization'],
  });
  // SIGHUP (log rotation) reopens the access log files; until the workers exist, and while they
  // drain, it is ignored rather than left to its default, which would end the process.
  let reopen = () => {};
  const onHangUp = () => reopen();
  process.on('SIGHUP', onHangUp);
  try {
    return await run(settings, node, demo, logger, (fn) => (reopen = fn), tracing);
  } finally {
    process.off('SIGHUP', onHangUp);
  }
}

async function run(
  settings: Settings,
  node: GatewaySettings,
  demo: boolean,
  logger: pino.Logger,
  onReopen: (reopen: () => void) => void,
  tracing: TracingSettings | undefined,
): Promise<number> {
  const store = await openMigratedStore(settings);
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse())
      await step().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    const fleetSettings = { gateway: settings.gateway, node, logLevel: settings.logLevel, tracing };
    const fleet =
      node.workers === 0
        ? await InProcessFleet.create(fleetSettings, logger)
        : new ClusterFleet(fleetSettings, logger);
    cleanup.push(() => fleet.stop());
    // Keys' "last used" times, as the gateways report them; the last reports (sent as the
    // workers drain) are written before the database closes.
    const keyUseWrites = new Set<Promise<void>>();
    fleet.onKeyUse((ids) => {
      const writing = recordKeyUse(store.db, ids)
        .catch((error) => logger.warn({ err: error }, 'recording when keys were last used failed'))
        .finally(() => keyUseWrites.delete(writing));
      keyUseWrites.add(writing);
    });
    cleanup.splice(1, 0, async () => void (await Promise.all(keyUseWrites)));
    // Metered usage, stored as it comes (every second); what cannot be stored yet is retried,
    // and kept on disk over a stop. Closed after the workers drained, before the database.
    const storeUsage = countUsageBatches('local', (batch) => recordUsageBatch(store.db, batch));
    const usage = new UsageOutbox(storeUsage, {
      spoolFile: join(settings.dataDir, 'usage-outbox.json'),
      onError: (error) => logger.warn({ err: error }, 'storing usage failed; will retry'),
    });
    fleet.onUsage((batch) => usage.add(batch));
    cleanup.splice(1, 0, () => usage.close());
    // Counts held in memory start from the stored usage (what an earlier run left on disk
    // included), before any snapshot is served: a restart does not hand out a quota again.
    if (node.counters.redisUrl === undefined) {
      await usage.flush();
      fleet.seedCounters(await counterSeeds(store.db));
    }
    // Log rotation: the workers do not get the signal themselves.
    onReopen(() => fleet.reopenLogs());
    const status = await startStatusServer(fleet, settings.status).catch((e) =>
      Promise.reject(listenError(e, settings.status, 'status')),
    );
    // Closed after the workers have drained (cleanup runs last step first): /ready answers 503
    // while they drain, so load balancers move away.
    cleanup.splice(cleanup.length - 1, 0, () => status.close(2000));
    const links = {
      gateway: displayUrl(settings.gateway.host, settings.gateway.port),
      admin: displayUrl(settings.admin.host, settings.admin.port),
      status: displayUrl(settings.status.host, status.port),
    };
    // Second and minute limits are not stored: /limits reads them live, from Redis or from this
    // node's gateway.
    const { redisUrl } = node.counters;
    const redis =
      redisUrl === undefined
        ? undefined
        : new RedisCounterStore({ url: redisUrl, failure: 'open', timeoutMs: node.counters.timeoutMs });
    if (redis) cleanup.push(() => redis.close());
    const liveCounts = async (checks: readonly LimitCheck[]) => {
      if (!redis) return fleet.peekCounters(checks);
      const verdict = await redis.consume(checks, 0);
      return verdict.degraded ? undefined : verdict.limits;
    };
    const mailer = createMailer(settings.mail, { dataDir: settings.dataDir, logger });
    cleanup.push(() => mailer.close());
    const plane = await startControlPlane({
      store,
      logger,
      sendMail: (mail) => mailer.send(mail),
      portalUrl: settings.portalUrl,
      liveCounts,
      mail: { outboxDir: outboxDirOf(settings.dataDir), smtp: settings.mail.smtpUrl !== undefined },
      admin: settings.admin,
      portal: settings.portal,
      oauth: settings.oauth,
      envAdminToken: settings.adminToken,
      links: () => links,
      servedVersion: () => fleet.version,
      whenServing: (version) => fleet.whenServing(version),
    });
    cleanup.push(() => plane.close());
    // Alert rules, evaluated every minute. Stopped before the mailer and the database close:
    // retries still waiting are abandoned, attempts under way finish.
    const alerts = new AlertEvaluator(store.db, {
      logger: logger.child({ component: 'alerts' }),
      sendMail: (mail) => mailer.send(mail),
      consoleUrl: () => `${links.admin}/console`,
    }).start();
    cleanup.push(() => alerts.close());
    plane.distributor.on('snapshot', (snapshot, delta) => {
      logger.debug(
        { version: snapshot.version, delta: delta ? deltaSize(delta) : 'full' },
        'configuration published',
      );
      fleet.publish(snapshot, delta);
    });
    await plane.distributor.changed();
    const ports = await fleet
      .listening()
      .catch((e) => Promise.reject(gatewayListenError(e, settings.gateway, node)));
    // Every worker serves the configuration before Turnpike says it runs (and /ready says 200).
    const first = plane.distributor.latest?.version;
    if (first !== undefined) await fleet.whenServing(first);
    links.gateway = displayUrl(settings.gateway.host, ports.http);
    const https =
      ports.https === undefined || !node.tls
        ? undefined
        : displayUrl(node.tls.host, ports.https).replace('http:', 'https:');
    links.admin = displayUrl(settings.admin.host, plane.adminPort);
    const portal = displayUrl(settings.portal.host, plane.portalPort);

    let demoSeed: { key: string; consolePassword: string } | undefined;
    if (demo) {
      const seeded = await seedDemo(store.db, `${links.status}/echo`);
      if (!seeded.ok) throw new StartupError(`seeding the demo failed: ${seeded.problem.detail}`);
      demoSeed = seeded.value;
      await plane.distributor.changed();
      const latest = plane.distributor.latest?.version;
      if (latest !== undefined) await fleet.whenServing(latest);
    }

    console.log(
      banner(
        settings,
        node,
        store.location,
        store.kind,
        { ...links, https, portal },
        plane.generatedToken,
        demoSeed,
      ),
    );
    const signal = await stopSignal();
    console.log(`\nTurnpike is stopping (${signal}): finishing requests in flight…`);
    await stop();
    console.log('Turnpike stopped.');
    return 0;
  } catch (error) {
    await stop();
    if (error instanceof ListenError) throw new StartupError(error.message);
    throw error;
  }
}

function banner(
  settings: Settings,
  node: GatewaySettings,
  location: string,
  kind: string,
  urls: { gateway: string; https: string | undefined; admin: string; portal: string; status: string },
  generatedToken: string | undefined,
  demo: { key: string; consolePassword: string } | undefined,
): string {
  const lines = [
    `Turnpike ${version} is running (${kind === 'pglite' ? 'embedded database' : 'PostgreSQL'}: ${location})`,
    '',
    `  gateway    ${urls.gateway}   (${node.workers === 0 ? 'in the main process' : `${node.workers} worker${node.workers === 1 ? '' : 's'}`})`,
    ...(urls.https ? [`  https      ${urls.https}   (HTTP/2 and HTTP/1.1)`] : []),
    `  admin API  ${urls.admin}/admin/v1   (OpenAPI: ${urls.admin}/admin/v1/openapi.json)`,
    `  console    ${urls.admin}/console/`,
    `  portal     ${urls.portal}`,
    `  status     ${urls.status}/ready`,
    '',
  ];
  if (generatedToken) {
    lines.push(
      'Admin token, shown this once (only its hash is stored):',
      `  ${generatedToken}`,
      `  export TURNPIKE_ADMIN_TOKEN=${generatedToken}`,
      '',
    );
  } else if (!settings.adminToken) {
    lines.push(
      'Admin API: use the admin token printed on the first start (or set TURNPIKE_ADMIN_TOKEN).',
      '',
    );
  }
  if (demo) {
    lines.push(
      'Demo: an API behind the built-in echo upstream, a plan, a developer and a key. Call it:',
      `  curl -H 'X-API-Key: ${demo.key}' ${urls.gateway}${demoPath}`,
      '',
      `Console: sign in at ${urls.admin}/console/ as ${demoConsoleUser}, password (shown once):`,
      `  ${demo.consolePassword}`,
      `Portal: sign up at ${urls.portal}/signup; the verification mail is in the console's outbox.`,
      '',
    );
  } else if (generatedToken) {
    lines.push(
      'To sign in to the console, make yourself a user (with the token exported):',
      '  npx turnpike admin POST /admin-users -d \'{"email":"you@example.com","password":"at least 12 characters","role":"owner"}\'',
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
