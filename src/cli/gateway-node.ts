// Start-up of a gateway node's workers, shared by `turnpike start` and `turnpike gateway`: the
// checks made once in the main process and the readable form of a listener that failed. Loaded
// with run-platform.ts and run-gateway.ts only, so other commands do not load the gateway.
import { accessLogFileProblem } from '../gateway/access-log/access-log.ts';
import { loadCertificates } from '../gateway/listeners/certificates.ts';
import type { Listener } from '../shared/config.ts';
import type { GatewaySettings } from '../shared/gateway-settings.ts';
import { listenError } from '../shared/listen-error.ts';
import { StartupError } from './start.ts';

/** A gateway listener that could not listen, as a readable error naming the port that failed. */
export function gatewayListenError(error: unknown, gateway: Listener, node: GatewaySettings): Error {
  const tls = (error as { listener?: string }).listener === 'https' ? node.tls : undefined;
  return tls === undefined
    ? listenError(error, gateway, 'gateway')
    : listenError(error, { host: tls.host, port: tls.port }, 'HTTPS listener');
}

/**
 * What every gateway worker would otherwise fail on alike, checked once in the main process so
 * that it stops the start with one line: an access log file that cannot be written, a
 * certificate or key that cannot be read or do not fit.
 */
export function checkGatewayNode(node: GatewaySettings): void {
  if (typeof node.accessLog === 'object') {
    const problem = accessLogFileProblem(node.accessLog.file);
    if (problem !== undefined) throw new StartupError(problem);
  }
  if (node.tls !== undefined) {
    try {
      loadCertificates(node.tls.certificates);
    } catch (error) {
      throw new StartupError(`cannot use the HTTPS certificates: ${(error as Error).message}`);
    }
  }
}
