// Where a gateway node sends its traces, and how many it keeps: from the node's flags and
// TURNPIKE_* variables first, then the standard OTEL_* ones, so a node dropped into an
// OpenTelemetry setup works as every other service there. No endpoint: no tracing at all.
import type { SettingsReader } from '../../shared/config.ts';

export interface TracingSettings {
  /** Full URL the OTLP/HTTP JSON batches are POSTed to (…/v1/traces). */
  endpoint: string;
  /** `service.name` of every span. */
  serviceName: string;
  /** Share of new traces recorded, 0 to 1; a caller's sampled flag decides for its own traces. */
  sampleRatio: number;
}

const tracesPath = 'v1/traces';

export function resolveTracingSettings(
  read: SettingsReader,
  env: NodeJS.ProcessEnv,
): TracingSettings | undefined {
  const endpoint = endpointOf(read, env);
  if (endpoint === undefined || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return undefined;
  return {
    endpoint,
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'turnpike-gateway',
    sampleRatio: sampleRatioOf(read, env),
  };
}

function endpointOf(read: SettingsReader, env: NodeJS.ProcessEnv): string | undefined {
  const own = read.string('otlp-endpoint', 'TURNPIKE_OTLP_ENDPOINT');
  if (own !== undefined) {
    const url = httpUrl(own);
    if (url === undefined)
      read.fail(
        'otlp-endpoint',
        'TURNPIKE_OTLP_ENDPOINT',
        `must be an http:// or https:// URL, not "${own}"`,
      );
    // A collector's address alone gets the standard path; a URL with a path is used as it is.
    return url.pathname === '/' ? `${url.origin}/${tracesPath}` : url.href;
  }
  // The OTLP exporter specification's rules: the per-signal variable is the whole URL, the
  // general one a base that the signal's path is appended to.
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return standardUrl(read, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', traces).href;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return undefined;
  const url = standardUrl(read, 'OTEL_EXPORTER_OTLP_ENDPOINT', base).href;
  return `${url.endsWith('/') ? url : `${url}/`}${tracesPath}`;
}

function standardUrl(read: SettingsReader, name: string, value: string): URL {
  const url = httpUrl(value);
  if (url === undefined)
    read.fail('otlp-endpoint', name, `must be an http:// or https:// URL, not "${value}"`);
  return url;
}

function httpUrl(value: string): URL | undefined {
  if (!URL.canParse(value)) return undefined;
  const url = new URL(value);
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' ? url : undefined;
}

function sampleRatioOf(read: SettingsReader, env: NodeJS.ProcessEnv): number {
  const own = read.string('trace-sample-ratio', 'TURNPIKE_TRACE_SAMPLE_RATIO');
  const text = own ?? env.OTEL_TRACES_SAMPLER_ARG?.trim();
  if (text === undefined || text === '') return 1;
  const ratio = Number(text);
  if (!/^\d*\.?\d+$/.test(text) || ratio > 1) {
    const name = own === undefined ? 'OTEL_TRACES_SAMPLER_ARG' : 'TURNPIKE_TRACE_SAMPLE_RATIO';
    read.fail('trace-sample-ratio', name, `must be a number from 0 to 1, not "${text}"`);
  }
  return ratio;
}
