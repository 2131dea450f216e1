// request-log: writes sampled requests to the request log (analytics), headers redacted and,
// when asked, the first bytes of the bodies. It runs before every other policy and never stops a
// request, so it also logs the requests that authentication, limits or the upstream refuse; the
// entry is built once the response is done, off the request's path.
//
// Sampling draws one number per request at its start: a request that neither rate could keep
// costs nothing more. At the end the rate for its status decides, so each is exact.
import type { PolicyContext } from '../context.ts';
import type { CreateOptions, PolicyDefinition, PolicyHandler } from '../definition.ts';
import type { RequestLogSink } from '../request-log-entry.ts';
import { logEntry } from './entry.ts';
import { Redactor } from './redact.ts';
import { type RequestLogConfig, requestLogSchema } from './schema.ts';

export const requestLog = {
  name: 'request-log',
  description:
    'Writes sampled requests to the request log: status, timings, consumer, redacted headers and optionally the first bytes of the bodies.',
  phase: 'pre-auth',
  priority: 2100,
  schema: requestLogSchema,
  create(config: RequestLogConfig, options: CreateOptions): PolicyHandler {
    return requestLogHandler(config, options.requestLog);
  },
} satisfies PolicyDefinition<RequestLogConfig>;

const passThrough: PolicyHandler = () => undefined;

/** The handler, with the random numbers it samples by given (tests make them predictable). */
export function requestLogHandler(
  config: RequestLogConfig,
  sink: RequestLogSink | undefined,
  random: () => number = Math.random,
): PolicyHandler {
  const keepAny = Math.max(config.sampleRate, config.errorSampleRate);
  if (sink === undefined || keepAny === 0) return passThrough;
  const { sampleRate, errorSampleRate } = config;
  const body = config.captureBody;
  const capture = body.request || body.response ? body : undefined;
  const redactor = new Redactor(config.redactHeaders, config.redactQuery);

  return function requestLogHandler(ctx: PolicyContext): undefined {
    const draw = random();
    if (draw >= keepAny) return undefined;
    // Now: the connection may be gone by the end.
    const clientIp = ctx.clientIp();
    ctx.onEnd((end) => {
      if (draw < (end.status >= 400 ? errorSampleRate : sampleRate))
        sink.add(logEntry(ctx, end, clientIp, config, redactor));
    }, capture);
    return undefined;
  };
}
