// Flags of a gateway node, shared by `turnpike start` and `turnpike gateway` (see
// src/shared/gateway-settings.ts for what they mean).
import type { FlagSpec } from './args.ts';

export const gatewayFlags: FlagSpec = {
  workers: {
    type: 'string',
    value: 'N',
    description:
      'Gateway worker processes (default: one per CPU; 0 serves from the main process) (or TURNPIKE_WORKERS).',
  },
  'drain-timeout': {
    type: 'string',
    value: 'MS',
    description:
      'On SIGTERM, how long requests in flight may take (default 10000) (or TURNPIKE_DRAIN_TIMEOUT_MS).',
  },
  'trusted-proxies': {
    type: 'string',
    value: 'LIST',
    description:
      'Comma-separated addresses or CIDRs whose forwarding headers are believed (or TURNPIKE_TRUSTED_PROXIES).',
  },
  'access-log': {
    type: 'string',
    value: 'WHERE',
    description: 'stdout (default), off, or a file for one JSON line per request (or TURNPIKE_ACCESS_LOG).',
  },
  analytics: {
    type: 'string',
    value: 'on|off',
    description:
      'Ship per-minute rollups and the request log to the control plane: on (default) or off (or TURNPIKE_ANALYTICS).',
  },
  'redis-url': {
    type: 'string',
    value: 'URL',
    description:
      'Count rate limits and quotas in this Redis, shared by every worker and node (or TURNPIKE_REDIS_URL).',
  },
  'redis-failure': {
    type: 'string',
    value: 'MODE',
    description:
      'When Redis does not answer in time: open (default) lets calls through, closed refuses them (or TURNPIKE_REDIS_FAILURE).',
  },
  'redis-timeout': {
    type: 'string',
    value: 'MS',
    description: 'How long a call waits for Redis (default 50) (or TURNPIKE_REDIS_TIMEOUT_MS).',
  },
  'tls-cert': {
    type: 'string',
    value: 'FILES',
    description: 'Comma-separated PEM certificate files for the HTTPS listener (or TURNPIKE_TLS_CERT).',
  },
  'tls-key': {
    type: 'string',
    value: 'FILES',
    description: 'The matching PEM key files, in the same order (or TURNPIKE_TLS_KEY).',
  },
  'tls-port': {
    type: 'string',
    value: 'PORT',
    description: 'Port of the HTTPS listener (default 8443) (or TURNPIKE_TLS_PORT).',
  },
  'tls-host': {
    type: 'string',
    value: 'HOST',
    description: 'Address of the HTTPS listener (default 0.0.0.0) (or TURNPIKE_TLS_HOST).',
  },
  'tls-client-certs': {
    type: 'string',
    value: 'MODE',
    description:
      'request: ask HTTPS clients for a certificate, for the mtls-auth policy; off (default) (or TURNPIKE_TLS_CLIENT_CERTS).',
  },
  'tls-client-ca': {
    type: 'string',
    value: 'FILE',
    description:
      'PEM CA bundle that client certificates are checked against; implies request (or TURNPIKE_TLS_CLIENT_CA).',
  },
  'max-header-bytes': {
    type: 'string',
    value: 'BYTES',
    description: 'Largest request head, 431 above (default 16384) (or TURNPIKE_MAX_HEADER_BYTES).',
  },
  'headers-timeout': {
    type: 'string',
    value: 'MS',
    description: 'Time to send the request head, 408 after (default 30000) (or TURNPIKE_HEADERS_TIMEOUT_MS).',
  },
  'request-timeout': {
    type: 'string',
    value: 'MS',
    description:
      'Time to send the whole request, 408 after (default 120000) (or TURNPIKE_REQUEST_TIMEOUT_MS).',
  },
  'otlp-endpoint': {
    type: 'string',
    value: 'URL',
    description:
      'Send traces over OTLP/HTTP to this collector, such as http://collector:4318; none: no tracing (or TURNPIKE_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT).',
  },
  'trace-sample-ratio': {
    type: 'string',
    value: 'RATIO',
    description:
      "Share of new traces recorded, 0 to 1 (default 1); a caller's traceparent decides for its own (or TURNPIKE_TRACE_SAMPLE_RATIO, OTEL_TRACES_SAMPLER_ARG).",
  },
  // Last, after the gateway's own: both commands list it at the end of their help.
  'log-level': {
    type: 'string',
    value: 'LEVEL',
    description: 'fatal, error, warn, info (default), debug, trace or silent (or TURNPIKE_LOG_LEVEL).',
  },
};
