// prom-client's default metrics (process_*, nodejs_*), unprefixed as on the gateway's status
// port. Once per process: they describe the process, not a server, and each collection starts
// event-loop and GC observers that are never stopped, so several admin servers share one.
import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

export function processMetrics(): Registry {
  if (registry === undefined) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
