// One GET through an upstream pool that resolves with the status code once the body is read (and
// dropped), for the active health checks. Works on any pool with the dispatch interface.
import type { UpstreamController, UpstreamDispatcher } from './dispatch.ts';

export interface ProbeRequest {
  path: string;
  /** Flat [name, value, …], lower-case names. */
  headers: string[];
  timeoutMs: number;
  signal: AbortSignal;
}

export function probeStatus(pool: UpstreamDispatcher, probe: ProbeRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    let status = 0;
    let controller: UpstreamController | undefined;
    const onAbort = () => controller?.abort(probe.signal.reason as Error);
    const settle = () => probe.signal.removeEventListener('abort', onAbort);
    probe.signal.addEventListener('abort', onAbort, { once: true });
    pool.dispatch(
      {
        method: 'GET',
        path: probe.path,
        headers: probe.headers,
        body: null,
        headersTimeout: probe.timeoutMs,
        bodyTimeout: probe.timeoutMs,
      },
      {
        onRequestStart(started) {
          controller = started;
          if (probe.signal.aborted) started.abort(probe.signal.reason as Error);
        },
        onResponseStart(_controller, statusCode) {
          status = statusCode;
        },
        onResponseEnd() {
          settle();
          resolve(status);
        },
        onResponseError(_controller, error) {
          settle();
          reject(error);
        },
      },
    );
  });
}
