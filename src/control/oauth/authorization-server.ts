// The authorization server as the portal serves it under /oauth: keys and platform secrets from
// the database, oidc-provider built from them, the interaction pages, and client authentication
// in front. Signing keys are re-read now and then, so a rotation made by another control-plane
// process is picked up; this process's own rotations apply at once.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { SignInThrottle } from '../http/sign-in-throttle.ts';
import type { Db } from '../services/context.ts';
import { platformSecret, storePlatformValue } from '../services/platform-secrets.ts';
import { bindClientSecret } from './client-auth.ts';
import { handleInteraction } from './interactions.ts';
import { type AuthorizationServerSettings, buildProvider, idTokenSeconds } from './provider.ts';
import {
  ensureSigningKeys,
  privateSigningKeys,
  rotateSigningKeys,
  type SigningKeyInfo,
} from './signing-keys.ts';

export const oauthPrefix = '/oauth';
const reloadEveryMs = 30_000;

export class AuthorizationServer {
  readonly settings: AuthorizationServerSettings;
  readonly #db: Db;
  readonly #cookieKeys: string[];
  readonly #bindingKey: string;
  readonly #formKey: string;
  readonly #throttle = new SignInThrottle();
  readonly #configurationChanged: () => Promise<void>;
  #provider: Provider;
  #handler: (req: IncomingMessage, res: ServerResponse) => unknown;
  #kids: string;
  #timer: NodeJS.Timeout | undefined;

  private constructor(
    db: Db,
    settings: AuthorizationServerSettings,
    keys: { cookie: string; binding: string; form: string },
    configurationChanged: () => Promise<void>,
  ) {
    this.#db = db;
    this.#configurationChanged = configurationChanged;
    this.#formKey = keys.form;
    this.settings = settings;
    this.#cookieKeys = [keys.cookie];
    this.#bindingKey = keys.binding;
    this.#provider = undefined as unknown as Provider;
    this.#handler = () => {};
    this.#kids = '';
  }

  /** `configurationChanged` hands out a new snapshot (a revoked grant is one). */
  static async open(
    db: Db,
    settings: AuthorizationServerSettings,
    configurationChanged: () => Promise<void> = async () => {},
  ): Promise<AuthorizationServer> {
    await ensureSigningKeys(db);
    // Gateways check tokens against the issuer and audience in the snapshot: a change of either
    // (a new TURNPIKE_OAUTH_ISSUER, another portal port) makes a new revision, so every gateway
    // and data-plane node gets it, not only the ones built after this start.
    const { issuer, audience } = settings;
    await storePlatformValue(db, 'oauth-identity', JSON.stringify({ issuer, audience }));
    const server = new AuthorizationServer(
      db,
      settings,
      {
        cookie: await platformSecret(db, 'oauth-cookie-key'),
        binding: await platformSecret(db, 'oauth-client-binding-key'),
        form: await platformSecret(db, 'oauth-form-key'),
      },
      configurationChanged,
    );
    await server.reload();
    server.#timer = setInterval(() => void server.reload().catch(() => {}), reloadEveryMs);
    server.#timer.unref();
    return server;
  }

  /** Rebuilds the provider when the signing keys changed (or on first use). */
  async reload(): Promise<void> {
    const keys = await privateSigningKeys(this.#db);
    const kids = keys.map((k) => `${k.kid}`).join(',');
    if (kids === this.#kids) return;
    this.#provider = buildProvider(
      this.#db,
      this.settings,
      {
        cookieKeys: this.#cookieKeys,
        bindingKey: this.#bindingKey,
        signingKeys: keys,
      },
      this.#configurationChanged,
    );
    this.#handler = this.#provider.callback();
    this.#kids = kids;
  }

  /** `record` runs in the rotation's transaction (the audit trail). */
  async rotateKeys(record?: Parameters<typeof rotateSigningKeys>[2]): Promise<SigningKeyInfo[]> {
    // A retired key stays published while tokens it signed may still be presented.
    // ID tokens (an hour) are signed with the same keys.
    const keepMs = Math.max(this.settings.accessTokenSeconds * 2, idTokenSeconds) * 1000;
    const rotated = await rotateSigningKeys(this.#db, keepMs, record);
    await this.reload();
    return rotated.ok ? rotated.value : [];
  }

  /** Serves a request under /oauth. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const provider = this.#provider;
    const context = {
      provider,
      db: this.#db,
      formKey: this.#formKey,
      throttle: this.#throttle,
      // Behind a TLS-terminating proxy, the entry it appended (the last) is the client; the
      // ones before it are whatever the client sent.
      clientIp: this.settings.behindProxy
        ? String(req.headers['x-forwarded-for'] ?? '')
            .split(',')
            .at(-1)
            ?.trim() ||
          (req.socket.remoteAddress ?? '')
        : (req.socket.remoteAddress ?? ''),
    };
    if (await handleInteraction(req, res, context)) return;
    await bindClientSecret(req, this.#db, this.#bindingKey);
    // Mounted under /oauth: oidc-provider reads its mount path from originalUrl.
    const url = req.url ?? '/';
    Object.assign(req, { originalUrl: url });
    req.url = url.slice(oauthPrefix.length) || '/';
    await this.#handler(req, res);
  }

  close(): void {
    clearInterval(this.#timer);
  }
}
