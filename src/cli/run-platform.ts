// `turnpike start`: the control plane and a gateway in one process, on the embedded database
// unless a PostgreSQL URL is given. Prints where everything listens; stops cleanly on SIGINT or
// SIGTERM (requests in flight finish, the database is closed so nothing accepted is lost).
import pino from 'pino';
import { demoPath, seedDemo } from '../control/demo.ts';
import { ListenError, listenError, startControlPlane } from '../control/plane.ts';
import { errorChannel, type GatewayErrorEvent } from '../gateway/diagnostics.ts';
import { createGateway } from '../gateway/gateway.ts';
import { startGatewayServer } from '../gateway/server.ts';
import { startStatusServer } from '../gateway/status.ts';
import { displayUrl, type Settings } from '../shared/config.ts';
import { version } from '../shared/version.ts';
import { openMigratedStore } from './open-store.ts';
import { StartupError } from './start.ts';

export async function runPlatform(settings: Settings, demo: boolean): Promise<number> {
  const logger = pino({
    level: settings.logLevel,
    base: { service: 'turnpike' },
    redact: ['req.headers.authorization'],
  });
  errorChannel.subscribe((event) => {
    const e = event as GatewayErrorEvent;
    logger.error({ err: e.error, requestId: e.requestId, source: e.source }, 'gateway request failed');
  });

  const store = await openMigratedStore(settings);
  const cleanup: (() => Promise<void>)[] = [() => store.close()];
  const stop = async () => {
    for (const step of cleanup.splice(0).reverse())
      await step().catch((error) => logger.error({ err: error }, 'shutdown step failed'));
  };
  try {
    const gateway = createGateway();
    cleanup.push(() => gateway.close());
    const status = await startStatusServer(gateway, settings.status).catch((e) =>
      Promise.reject(listenError(e, settings.status, 'status')),
    );
    cleanup.push(() => status.close(2000));
    const links = {
      gateway: displayUrl(settings.gateway.host, settings.gateway.port),
      admin: displayUrl(settings.admin.host, settings.admin.port),
      status: displayUrl(settings.status.host, status.port),
    };
    const plane = await startControlPlane({
      store,
      logger,
      admin: settings.admin,
      portal: settings.portal,
      envAdminToken: settings.adminToken,
      links: () => links,
      servedVersion: () => gateway.version,
    });
    cleanup.push(() => plane.close());
    plane.distributor.on('snapshot', (snapshot) => {
      const loaded = gateway.load(snapshot);
      if (loaded.ok) logger.debug({ version: loaded.value.version }, 'gateway configuration loaded');
      else
        logger.error(
          { problem: loaded.problem },
          'gateway refused a configuration snapshot; still serving the previous one',
        );
    });
    await plane.distributor.changed();
    const server = await startGatewayServer(gateway, settings.gateway).catch((e) =>
      Promise.reject(listenError(e, settings.gateway, 'gateway')),
    );
    cleanup.push(() => server.close(10_000));
    links.gateway = displayUrl(settings.gateway.host, server.port);
    links.admin = displayUrl(settings.admin.host, plane.adminPort);
    const portal = displayUrl(settings.portal.host, plane.portalPort);

    let demoKey: string | undefined;
    if (demo) {
      const seeded = await seedDemo(store.db, `${links.status}/echo`);
      if (!seeded.ok) throw new StartupError(`seeding the demo failed: ${seeded.problem.detail}`);
      demoKey = seeded.value.key;
      await plane.distributor.changed();
    }

    console.log(
      banner(settings, store.location, store.kind, { ...links, portal }, plane.generatedToken, demoKey),
    );
    await new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        console.log(`\nTurnpike is stopping (${signal}): finishing requests in flight…`);
        process.once(signal, () => process.exit(130)); // a second signal does not wait
        resolve();
      };
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    });
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
  location: string,
  kind: string,
  urls: { gateway: string; admin: string; portal: string; status: string },
  generatedToken: string | undefined,
  demoKey: string | undefined,
): string {
  const lines = [
    `Turnpike ${version} is running (${kind === 'pglite' ? 'embedded database' : 'PostgreSQL'}: ${location})`,
    '',
    `  gateway    ${urls.gateway}`,
    `  admin API  ${urls.admin}/admin/v1   (OpenAPI: ${urls.admin}/admin/v1/openapi.json)`,
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
  if (demoKey) {
    lines.push(
      'Demo: an API behind the built-in echo upstream, a plan, a developer and a key. Call it:',
      `  curl -H 'X-API-Key: ${demoKey}' ${urls.gateway}${demoPath}`,
      '',
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return lines.join('\n');
}
