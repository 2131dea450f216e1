// Runtime settings from flags and TURNPIKE_* environment variables (flags win), validated once
// at start so a typo fails with a readable message instead of a stack trace.
import { resolve } from 'node:path';

export interface Listener {
  host: string;
  port: number;
}

export interface Settings {
  dataDir: string;
  databaseUrl: string | undefined;
  adminToken: string | undefined;
  logLevel: string;
  gateway: Listener;
  admin: Listener;
  portal: Listener;
  status: Listener;
  oauth: OAuthSettings;
  mail: MailSettings;
  /** Where developers reach the portal (behind a proxy, say), for links in mails; default its own address. */
  portalUrl: string | undefined;
}

/** The authorization server's settings (TURNPIKE_OAUTH_*). */
export interface OAuthSettings {
  /** The issuer URL; by default the portal's address with /oauth. */
  issuer: string | undefined;
  /** The `aud` of access tokens: the gateway as a resource server. */
  audience: string;
  accessTokenSeconds: number;
}

/** How mail goes out (TURNPIKE_SMTP_URL, TURNPIKE_MAIL_FROM). */
export interface MailSettings {
  /** smtp:// or smtps:// with user and password; undefined writes mails to the outbox instead. */
  smtpUrl: string | undefined;
  /** The `From` of every mail. */
  from: string;
}

export const defaultMailFrom = 'Turnpike <no-reply@localhost>';

export class SettingsError extends Error {
  /** True when a command-line flag was at fault (a usage error), false for the environment. */
  readonly fromFlag: boolean;
  constructor(message: string, fromFlag: boolean) {
    super(message);
    this.fromFlag = fromFlag;
  }
}

/** The public contract's defaults (DESIGN.md section 5). The admin API and status listen on loopback. */
export const listenerDefaults = {
  gateway: { host: '0.0.0.0', port: 8000 },
  admin: { host: '127.0.0.1', port: 8001 },
  portal: { host: '0.0.0.0', port: 8002 },
  status: { host: '127.0.0.1', port: 8100 },
} as const;

export type ListenerName = keyof typeof listenerDefaults;

const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads one setting from a flag or, failing that, an environment variable, and names it in errors. */
export class SettingsReader {
  readonly #flags: Record<string, string | boolean | undefined>;
  readonly #env: NodeJS.ProcessEnv;

  constructor(flags: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv) {
    this.#flags = flags;
    this.#env = env;
  }

  string(flag: string, envName: string): string | undefined {
    const fromFlag = this.#flags[flag];
    return typeof fromFlag === 'string' ? fromFlag : this.#env[envName] || undefined;
  }

  /** Comma-separated values, trimmed, empty ones dropped. */
  list(flag: string, envName: string): string[] {
    return (this.string(flag, envName) ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }

  int(flag: string, envName: string, fallback: number, min: number, max: number): number {
    const text = this.string(flag, envName);
    if (text === undefined) return fallback;
    const value = Number(text);
    if (!/^\d+$/.test(text) || value < min || value > max) {
      this.fail(flag, envName, `must be a number from ${min} to ${max}, not "${text}"`);
    }
    return value;
  }

  /** Throws a SettingsError naming the flag or the variable, whichever was given. */
  fail(flag: string, envName: string, problem: string): never {
    const fromFlag = typeof this.#flags[flag] === 'string';
    throw new SettingsError(`${fromFlag ? `--${flag}` : envName} ${problem}`, fromFlag);
  }

  listener(name: ListenerName): Listener {
    const upper = name.toUpperCase();
    return {
      host: this.string(`${name}-host`, `TURNPIKE_${upper}_HOST`) ?? listenerDefaults[name].host,
      port: this.int(`${name}-port`, `TURNPIKE_${upper}_PORT`, listenerDefaults[name].port, 0, 65535),
    };
  }
}

export function resolveSettings(
  flags: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): Settings {
  const read = new SettingsReader(flags, env);
  const databaseUrl = read.string('database-url', 'TURNPIKE_DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    read.fail('database-url', 'TURNPIKE_DATABASE_URL', 'must start with postgres:// or postgresql://');
  }
  const adminToken = env.TURNPIKE_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new SettingsError('TURNPIKE_ADMIN_TOKEN must be at least 16 characters long', false);
  }
  return {
    dataDir: resolve(read.string('data-dir', 'TURNPIKE_DATA_DIR') ?? '.turnpike'),
    databaseUrl,
    adminToken,
    logLevel: logLevelOf(read),
    gateway: read.listener('gateway'),
    admin: read.listener('admin'),
    portal: read.listener('portal'),
    status: read.listener('status'),
    oauth: oauthSettings(read),
    mail: mailSettings(read),
    portalUrl: portalUrlOf(read),
  };
}

function portalUrlOf(read: SettingsReader): string | undefined {
  const url = read.string('portal-url', 'TURNPIKE_PORTAL_URL');
  if (url !== undefined && !/^https?:\/\/[^/?#]+\/?$/.test(url)) {
    read.fail(
      'portal-url',
      'TURNPIKE_PORTAL_URL',
      'must be an http(s) URL of a host, without a path, query or fragment',
    );
  }
  return url?.replace(/\/$/, '');
}

function oauthSettings(read: SettingsReader): OAuthSettings {
  const issuer = read.string('oauth-issuer', 'TURNPIKE_OAUTH_ISSUER');
  if (issuer !== undefined && !/^https?:\/\/[^?#]+$/.test(issuer)) {
    read.fail('oauth-issuer', 'TURNPIKE_OAUTH_ISSUER', 'must be an http(s) URL without query or fragment');
  }
  const audience = read.string('oauth-audience', 'TURNPIKE_OAUTH_AUDIENCE') ?? 'urn:turnpike:gateway';
  if (!URL.canParse(audience) || audience.includes('#')) {
    read.fail('oauth-audience', 'TURNPIKE_OAUTH_AUDIENCE', 'must be an absolute URI without a fragment');
  }
  return {
    issuer: issuer?.replace(/\/$/, ''),
    audience,
    accessTokenSeconds: read.int(
      'oauth-access-token-ttl',
      'TURNPIKE_OAUTH_ACCESS_TOKEN_TTL',
      600,
      60,
      86_400,
    ),
  };
}

function mailSettings(read: SettingsReader): MailSettings {
  const smtpUrl = read.string('smtp-url', 'TURNPIKE_SMTP_URL');
  // The message never repeats the URL: it may hold the SMTP password.
  if (smtpUrl !== undefined && !isSmtpUrl(smtpUrl))
    read.fail('smtp-url', 'TURNPIKE_SMTP_URL', 'must be an smtp:// or smtps:// URL with a host');
  const from = read.string('mail-from', 'TURNPIKE_MAIL_FROM') ?? defaultMailFrom;
  if (!/^([^\s@<>]+@[^\s@<>]+|[^<>\r\n]*<[^\s@<>]+@[^\s@<>]+>)$/.test(from))
    read.fail(
      'mail-from',
      'TURNPIKE_MAIL_FROM',
      `must be an address such as "Turnpike <no-reply@example.com>", not "${from}"`,
    );
  return { smtpUrl, from };
}

function isSmtpUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
}

export function logLevelOf(read: SettingsReader): string {
  const logLevel = read.string('log-level', 'TURNPIKE_LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel)) {
    read.fail('log-level', 'TURNPIKE_LOG_LEVEL', `must be one of ${logLevels.join(', ')}, not "${logLevel}"`);
  }
  return logLevel;
}

/** A URL a person can open: wildcard addresses become the loopback address. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
