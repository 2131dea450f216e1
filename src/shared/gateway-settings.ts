// Settings of a gateway node (not of the configuration it serves): worker processes, draining,
// which proxies to believe, the HTTPS listener and client limits. Flags win over TURNPIKE_*
// variables; shared by `turnpike start` and `turnpike gateway`.
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import type { Listener, SettingsReader } from './config.ts';

export interface TlsSettings extends Listener {
  /** PEM files; the gateway picks a certificate by SNI from the names each one carries. */
  certificates: { certFile: string; keyFile: string }[];
  /**
   * Ask clients for a certificate (for the mtls-auth policy). Off by default: a browser with
   * certificates installed would show a picker. A CA file also checks the chain.
   */
  clientCertificates?: { request: boolean; caFile: string | undefined };
}

export interface ClientLimits {
  /** Largest request head (431 above). */
  maxHeaderBytes: number;
  /** Time to receive the request head (408 after). */
  headersTimeoutMs: number;
  /** Time to receive the whole request, body included (408 after). */
  requestTimeoutMs: number;
  /** How long an idle client connection stays open. */
  keepAliveTimeoutMs: number;
}

export interface GatewaySettings {
  /** Gateway worker processes; 0 serves from the main process itself. */
  workers: number;
  /** On SIGTERM, how long requests in flight may take before connections are cut. */
  drainMs: number;
  /** Addresses or CIDR ranges whose X-Forwarded-* and Forwarded headers are believed. */
  trustedProxies: string[];
  tls: TlsSettings | undefined;
  limits: ClientLimits;
  /** One JSON line per request: to standard output, to a file, or nowhere. */
  accessLog: 'stdout' | 'off' | { file: string };
  /** Per-minute rollups and the request log shipped to the control plane (on by default). */
  analytics: boolean;
  counters: CounterSettings;
}

/** Where rate limits and quotas are counted. */
export interface CounterSettings {
  /** Redis shared by every worker and node; undefined counts in each gateway process. */
  redisUrl: string | undefined;
  /** When Redis does not answer in time: allow the call (open) or refuse it (closed). */
  failure: 'open' | 'closed';
  /** How long a call waits for Redis. */
  timeoutMs: number;
}

export function resolveGatewaySettings(read: SettingsReader): GatewaySettings {
  return {
    workers: read.int('workers', 'TURNPIKE_WORKERS', availableParallelism(), 0, 256),
    drainMs: read.int('drain-timeout', 'TURNPIKE_DRAIN_TIMEOUT_MS', 10_000, 0, 3_600_000),
    trustedProxies: trustedProxies(read),
    tls: tls(read),
    accessLog: accessLog(read),
    analytics: onOff(read, 'analytics', 'TURNPIKE_ANALYTICS'),
    counters: counters(read),
    limits: {
      maxHeaderBytes: read.int('max-header-bytes', 'TURNPIKE_MAX_HEADER_BYTES', 16_384, 1_024, 1_048_576),
      headersTimeoutMs: read.int('headers-timeout', 'TURNPIKE_HEADERS_TIMEOUT_MS', 30_000, 1_000, 3_600_000),
      requestTimeoutMs: read.int('request-timeout', 'TURNPIKE_REQUEST_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
      keepAliveTimeoutMs: 65_000,
    },
  };
}

function counters(read: SettingsReader): CounterSettings {
  const redisUrl = read.string('redis-url', 'TURNPIKE_REDIS_URL');
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    read.fail('redis-url', 'TURNPIKE_REDIS_URL', 'must start with redis:// or rediss://');
  const failure = read.string('redis-failure', 'TURNPIKE_REDIS_FAILURE') ?? 'open';
  if (failure !== 'open' && failure !== 'closed')
    read.fail('redis-failure', 'TURNPIKE_REDIS_FAILURE', `must be open or closed, not "${failure}"`);
  return {
    redisUrl,
    failure,
    timeoutMs: read.int('redis-timeout', 'TURNPIKE_REDIS_TIMEOUT_MS', 50, 1, 10_000),
  };
}

function onOff(read: SettingsReader, flag: string, env: string): boolean {
  const value = read.string(flag, env) ?? 'on';
  if (value !== 'on' && value !== 'off') read.fail(flag, env, `must be on or off, not "${value}"`);
  return value === 'on';
}

function accessLog(read: SettingsReader): GatewaySettings['accessLog'] {
  const value = read.string('access-log', 'TURNPIKE_ACCESS_LOG') ?? 'stdout';
  if (value === 'stdout' || value === 'off') return value;
  if (value.trim() === '')
    read.fail('access-log', 'TURNPIKE_ACCESS_LOG', 'must be stdout, off or a file, not empty');
  return { file: resolve(value) };
}

function trustedProxies(read: SettingsReader): string[] {
  const entries = read.list('trusted-proxies', 'TURNPIKE_TRUSTED_PROXIES');
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk) {
      read.fail(
        'trusted-proxies',
        'TURNPIKE_TRUSTED_PROXIES',
        `has "${entry}", which is not an IP address or CIDR range`,
      );
    }
  }
  return entries;
}

function tls(read: SettingsReader): TlsSettings | undefined {
  const certs = read.list('tls-cert', 'TURNPIKE_TLS_CERT');
  const keys = read.list('tls-key', 'TURNPIKE_TLS_KEY');
  if (certs.length === 0 && keys.length === 0) return undefined;
  if (keys.length === 0) {
    read.fail('tls-cert', 'TURNPIKE_TLS_CERT', 'needs its key files: --tls-key (or TURNPIKE_TLS_KEY)');
  }
  if (certs.length === 0) {
    read.fail(
      'tls-key',
      'TURNPIKE_TLS_KEY',
      'needs its certificate files: --tls-cert (or TURNPIKE_TLS_CERT)',
    );
  }
  if (certs.length !== keys.length) {
    read.fail(
      'tls-key',
      'TURNPIKE_TLS_KEY',
      `lists ${keys.length} key file(s) for ${certs.length} certificate file(s); give one key per certificate, in the same order`,
    );
  }
  for (const [flag, envName, files] of [
    ['tls-cert', 'TURNPIKE_TLS_CERT', certs],
    ['tls-key', 'TURNPIKE_TLS_KEY', keys],
  ] as const) {
    const missing = files.find((file) => !existsSync(file));
    if (missing) read.fail(flag, envName, `names ${missing}, which does not exist`);
  }
  return {
    host: read.string('tls-host', 'TURNPIKE_TLS_HOST') ?? '0.0.0.0',
    port: read.int('tls-port', 'TURNPIKE_TLS_PORT', 8443, 0, 65535),
    certificates: certs.map((cert, i) => ({ certFile: resolve(cert), keyFile: resolve(keys[i] ?? '') })),
    clientCertificates: clientCertificates(read),
  };
}

function clientCertificates(read: SettingsReader): NonNullable<TlsSettings['clientCertificates']> {
  const mode = read.string('tls-client-certs', 'TURNPIKE_TLS_CLIENT_CERTS') ?? 'off';
  if (mode !== 'off' && mode !== 'request') {
    read.fail('tls-client-certs', 'TURNPIKE_TLS_CLIENT_CERTS', `must be "off" or "request", not "${mode}"`);
  }
  const caFile = read.string('tls-client-ca', 'TURNPIKE_TLS_CLIENT_CA');
  if (caFile !== undefined && !existsSync(caFile)) {
    read.fail('tls-client-ca', 'TURNPIKE_TLS_CLIENT_CA', `names ${caFile}, which does not exist`);
  }
  return { request: mode === 'request' || caFile !== undefined, caFile: caFile && resolve(caFile) };
}
