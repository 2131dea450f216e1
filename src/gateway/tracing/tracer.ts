// The OpenTelemetry SDK for one gateway process: a tracer whose finished spans are batched
// (BatchSpanProcessor, OTEL_BSP_* apply) and POSTed as OTLP/JSON to the collector. Loaded only
// when an endpoint is configured (see ../workers/serve.ts), so a gateway without one pays nothing.
//
// Sampling is parent-based (a caller's sampled flag decides; new traces by the configured ratio),
// decided here before the SDK is called: a request not recorded costs a header check or a random
// number, and no span objects.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname } from 'node:os';
import { type DiagLogger, DiagLogLevel, diag, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Logger } from 'pino';
import type { RouteInfo } from '../../policies/context.ts';
import { joinPattern } from '../../shared/path-pattern.ts';
import { version } from '../../shared/version.ts';
import type { SnapshotApi } from '../snapshot/types.ts';
import { isValidTraceparent } from '../trace-context.ts';
import { RequestTrace, type TraceSource } from './request-trace.ts';
import type { TracingSettings } from './settings.ts';

/** How long a stopping gateway waits for its last spans to be sent, within the drain's grace. */
const shutdownMs = 3_000;

export class GatewayTracer implements TraceSource {
  readonly tracer: Tracer;
  readonly #provider: BasicTracerProvider;
  readonly #ratio: number;
  #templates = new Map<string, string>();

  constructor(settings: TracingSettings, logger?: Logger) {
    if (logger !== undefined) diag.setLogger(diagLogger(logger, settings.endpoint), DiagLogLevel.WARN);
    this.#ratio = settings.sampleRatio;
    const ours = resourceFromAttributes({
      [ATTR_SERVICE_NAME]: settings.serviceName,
      [ATTR_SERVICE_VERSION]: version,
      'service.instance.id': randomUUID(),
      'host.name': hostname(),
      'process.pid': process.pid,
    });
    this.#provider = new BasicTracerProvider({
      // OTEL_RESOURCE_ATTRIBUTES add to ours; ours win (OTEL_SERVICE_NAME over service.name there).
      resource: detectResources({ detectors: [envDetector] }).merge(ours),
      // Only the requests begin() chose reach the SDK.
      sampler: new AlwaysOnSampler(),
      spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.endpoint }))],
    });
    this.tracer = this.#provider.getTracer('turnpike-gateway', version);
  }

  /** Starts a request's server span as it arrives; null when this request is not to be recorded. */
  begin(req: IncomingMessage, res: ServerResponse, requestId: string): RequestTrace | null {
    const traceparent = req.headers.traceparent;
    if (typeof traceparent === 'string' && isValidTraceparent(traceparent)) {
      // The sampled flag is the lowest bit of the flags, so of their second hex digit.
      if ((Number.parseInt(traceparent.charAt(54), 16) & 1) === 0) return null;
    } else if (this.#ratio < 1 && Math.random() >= this.#ratio) return null;
    return new RequestTrace(this, req, res, requestId);
  }

  routeTemplate(route: RouteInfo): string | undefined {
    return this.#templates.get(route.id);
  }

  /** The routes of the snapshot now served, for http.route; called on every load that compiles. */
  setRoutes(apis: readonly SnapshotApi[]): void {
    const templates = new Map<string, string>();
    for (const api of apis)
      for (const route of api.routes) templates.set(route.id, joinPattern(api.basePath, route.path));
    this.#templates = templates;
  }

  /** Sends what is batched now (tests). */
  flush(): Promise<void> {
    return this.#provider.forceFlush();
  }

  /** Sends the last spans and stops; gives up after a few seconds when the collector is away. */
  async shutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, shutdownMs);
    });
    await Promise.race([this.#provider.shutdown().catch(() => {}), late]);
    clearTimeout(timer);
  }
}

/**
 * The SDK's own warnings (an export that failed, spans dropped from a full queue) in the gateway's
 * log, at most one line per 10 s: a collector that is down would otherwise log every batch.
 */
function diagLogger(logger: Logger, endpoint: string): DiagLogger {
  let last = 0;
  let quiet = 0;
  const log = (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - last < 10_000) {
      quiet++;
      return;
    }
    // A failed export arrives as the SDK's JSON rendering of the error.
    const error = parsedError(message);
    if (error !== undefined)
      logger.warn({ endpoint, err: error, suppressed: quiet }, 'tracing: sending spans failed');
    else
      logger.warn({ endpoint, detail: args.map(String).join(' '), suppressed: quiet }, `tracing: ${message}`);
    last = now;
    quiet = 0;
  };
  const ignore = () => {};
  return { error: log, warn: log, info: ignore, debug: ignore, verbose: ignore };
}

function parsedError(message: string): { message: string; code?: string } | undefined {
  if (!message.startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(message) as { message?: unknown; code?: unknown };
    if (typeof parsed.message !== 'string') return undefined;
    return typeof parsed.code === 'string'
      ? { message: parsed.message, code: parsed.code }
      : { message: parsed.message };
  } catch {
    return undefined;
  }
}
