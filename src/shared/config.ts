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
}

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

export function resolveSettings(
  flags: Record<string, string | boolean | undefined>,
  env: NodeJS.ProcessEnv,
): Settings {
  const pick = (flag: string, envName: string) => {
    const fromFlag = flags[flag];
    return typeof fromFlag === 'string' ? fromFlag : env[envName] || undefined;
  };
  // Names the setting the way the user gave it, flag or variable.
  const source = (flag: string, envName: string) =>
    typeof flags[flag] === 'string'
      ? { name: `--${flag}`, fromFlag: true }
      : { name: envName, fromFlag: false };
  const listener = (name: ListenerName): Listener => {
    const upper = name.toUpperCase();
    const portText = pick(`${name}-port`, `TURNPIKE_${upper}_PORT`);
    const host = pick(`${name}-host`, `TURNPIKE_${upper}_HOST`) ?? listenerDefaults[name].host;
    if (portText === undefined) return { host, port: listenerDefaults[name].port };
    return { host, port: parsePort(portText, source(`${name}-port`, `TURNPIKE_${upper}_PORT`)) };
  };
  const databaseUrl = pick('database-url', 'TURNPIKE_DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    const { name, fromFlag } = source('database-url', 'TURNPIKE_DATABASE_URL');
    throw new SettingsError(`${name} must start with postgres:// or postgresql://`, fromFlag);
  }
  const adminToken = env.TURNPIKE_ADMIN_TOKEN || undefined;
  if (adminToken !== undefined && adminToken.length < 16) {
    throw new SettingsError('TURNPIKE_ADMIN_TOKEN must be at least 16 characters long', false);
  }
  const logLevel = pick('log-level', 'TURNPIKE_LOG_LEVEL') ?? 'info';
  if (!logLevels.includes(logLevel)) {
    const { name, fromFlag } = source('log-level', 'TURNPIKE_LOG_LEVEL');
    throw new SettingsError(`${name} must be one of ${logLevels.join(', ')}, not "${logLevel}"`, fromFlag);
  }
  return {
    dataDir: resolve(pick('data-dir', 'TURNPIKE_DATA_DIR') ?? '.turnpike'),
    databaseUrl,
    adminToken,
    logLevel,
    gateway: listener('gateway'),
    admin: listener('admin'),
    portal: listener('portal'),
    status: listener('status'),
  };
}

function parsePort(text: string, from: { name: string; fromFlag: boolean }): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new SettingsError(`${from.name} must be a number from 0 to 65535, not "${text}"`, from.fromFlag);
  }
  return port;
}

/** A URL a person can open: wildcard addresses become the loopback address. */
export function displayUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}
