// The control plane in one process: store (migrated), admin token, snapshot distributor, admin
// API (8001) and portal (8002). A gateway subscribes to the distributor for snapshots.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { displayUrl, type Listener, type OAuthSettings } from '../shared/config.ts';
import { listenError } from '../shared/listen-error.ts';
import type { Store } from '../store/db.ts';
import { createAdminApi } from './admin-api/server.ts';
import { setUpAdminToken } from './admin-token.ts';
import { AuthorizationServer, oauthPrefix } from './oauth/authorization-server.ts';
import { createPortal, type PortalLinks } from './portal/server.ts';
import type { OutgoingMail } from './portal-api/context.ts';
import type { LiveCounts } from './services/usage.ts';
import { SnapshotDistributor } from './sync/distributor.ts';

export interface ControlPlaneOptions {
  store: Store;
  logger: Logger;
  admin: Listener;
  portal: Listener;
  oauth: OAuthSettings;
  envAdminToken: string | undefined;
  links: () => PortalLinks;
  /** Revision of the configuration the local gateway serves, for /admin/v1/status. */
  servedVersion: () => number | undefined;
  /** Resolves once the local gateways serve this revision. */
  whenServing: (version: number) => Promise<void>;
  /** Sends the portal's mails (e-mail verification, password reset). */
  sendMail: (mail: OutgoingMail) => Promise<void>;
  /** Where developers reach the portal, for links in mails; by default its own address. */
  portalUrl?: string | undefined;
  /** Reads the gateways' live counts for second and minute limits. */
  liveCounts?: LiveCounts | undefined;
  /** What /admin/v1/outbox lists: the development outbox, or that mail goes out by SMTP. */
  mail?: { outboxDir: string; smtp: boolean } | undefined;
}

export interface ControlPlane {
  distributor: SnapshotDistributor;
  adminPort: number;
  portalPort: number;
  /** The admin token generated on this start, to print once. */
  generatedToken: string | undefined;
  authorizationServer: AuthorizationServer;
  close(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { store, logger } = options;
  const token = await setUpAdminToken(store.db, options.envAdminToken);
  let authorizationServer: AuthorizationServer | undefined;
  const distributor = new SnapshotDistributor(store.db, {
    // Gateways check the authorization server's tokens with the keys in the snapshot.
    authorizationServer: () => authorizationServer?.settings,
    // Only PostgreSQL can have other control-plane processes writing; the embedded database is
    // this process's alone (its lock file says so), and polling it costs CPU the gateway needs.
    pollMs: store.kind === 'postgres' ? 1000 : 0,
    onError: (error) => logger.error({ err: error }, 'building a configuration snapshot failed'),
  });
  // A change is served once the local gateway has it (or after a second, whichever is first).
  const changed = () =>
    waitFor(
      distributor.changed().then(() => {
        const latest = distributor.latest?.version;
        return latest === undefined ? undefined : options.whenServing(latest);
      }),
      1000,
    );
  const admin = await createAdminApi({
    db: store.db,
    // Fastify's own info lines ("Server listening…") would repeat the banner; keep warnings and errors.
    logger: logger.child({ component: 'admin' }, { level: quiet(logger) }),
    store: store.kind,
    envTokenHash: token.envTokenHash,
    changed,
    snapshotVersion: options.servedVersion,
    distributor,
    authorizationServer: () => authorizationServer,
    mail: options.mail,
    liveCounts: options.liveCounts,
  });
  let portal: FastifyInstance | undefined;
  let ports: [number, number];
  let portalUrl = options.portalUrl?.replace(/\/+$/, '') ?? '';
  try {
    portal = await createPortal(
      logger.child({ component: 'portal' }, { level: quiet(logger) }),
      () => authorizationServer,
      {
        db: store.db,
        sendMail: options.sendMail,
        portalUrl: () => portalUrl,
        gatewayUrl: () => options.links().gateway.replace(/\/+$/, ''),
        liveCounts: options.liveCounts,
        changed,
      },
    );
    ports = [await listen(admin, options.admin, 'admin API'), await listen(portal, options.portal, 'portal')];
    portalUrl ||= displayUrl(options.portal.host, ports[1]);
    authorizationServer = await AuthorizationServer.open(
      store.db,
      {
        issuer: options.oauth.issuer ?? `${displayUrl(options.portal.host, ports[1])}${oauthPrefix}`,
        audience: options.oauth.audience,
        accessTokenSeconds: options.oauth.accessTokenSeconds,
        // An https issuer in front of a plain-HTTP portal means a TLS-terminating proxy.
        behindProxy: options.oauth.issuer?.startsWith('https:') ?? false,
      },
      changed,
    );
  } catch (error) {
    distributor.close();
    await Promise.all([admin.close(), portal?.close()]);
    throw error;
  }
  const [adminPort, portalPort] = ports;
  return {
    distributor,
    adminPort,
    portalPort,
    generatedToken: token.generated,
    authorizationServer,
    async close() {
      authorizationServer?.close();
      distributor.close();
      await Promise.all([admin.close(), portal?.close()]);
    },
  };
}

async function listen(app: FastifyInstance, at: Listener, what: string): Promise<number> {
  try {
    await app.listen({ host: at.host, port: at.port });
  } catch (error) {
    throw listenError(error, at, what);
  }
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : at.port;
}

function quiet(logger: Logger): string {
  return logger.level === 'info' ? 'warn' : logger.level;
}

/** Waits for `work`, but no longer than `ms`: a slow rebuild must not hold an admin response. */
function waitFor(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(() => {}),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(timer));
}
