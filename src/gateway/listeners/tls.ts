// The HTTPS listener: TLS from certificate files with the certificate chosen by SNI, HTTP/2 to
// clients that offer it by ALPN and HTTP/1.1 (with WebSocket upgrades) to the others, all served
// by the same gateway handler as the plain port, under the same client limits.

import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import {
  createSecureServer,
  type Http2SecureServer,
  type Http2ServerRequest,
  type Http2ServerResponse,
  type ServerHttp2Session,
} from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { ClientLimits, TlsSettings } from '../../shared/gateway-settings.ts';
import {
  answerClientError,
  type GatewayHandlers,
  http1Settings,
  Lifecycle,
  listen,
  type RunningServer,
  resolveLimits,
  runningServer,
} from '../server.ts';
import { isWebSocketUpgrade } from '../websocket/handshake.ts';
import { loadCertificates } from './certificates.ts';
import { adaptHttp2Request, asHttp1 } from './http2.ts';

/** The node:http settings an HTTP/2 server with allowHTTP1 reads for its HTTP/1.1 connections. */
interface Http1Side extends ReturnType<typeof http1Settings> {
  requireHostHeader: boolean;
  shouldUpgradeCallback: (req: IncomingMessage) => boolean;
}

/**
 * Starts the HTTPS listener on `tls.host:tls.port`. Rejects when a certificate or key cannot be
 * read or does not fit, or the port cannot be bound.
 */
export async function startTlsGatewayServer(
  gateway: GatewayHandlers,
  tls: TlsSettings,
  limits?: Partial<ClientLimits>,
): Promise<RunningServer<Http2SecureServer>> {
  const resolved = resolveLimits(limits);
  const { request, caFile } = tls.clientCertificates ?? { request: false, caFile: undefined };
  const clientCa = caFile === undefined ? undefined : readFileSync(caFile);
  const certificates = loadCertificates(tls.certificates, clientCa);
  const lifecycle = new Lifecycle();
  const handle = lifecycle.guard(gateway.handle);
  const server = createSecureServer(
    {
      ...certificates.defaultPair,
      SNICallback: (serverName, done) => done(null, certificates.select(serverName)),
      allowHTTP1: true,
      // Asked for, never required: the mtls-auth policy decides per route, so a route without it
      // serves clients without certificates. Unverified ones are still read (by fingerprint).
      ...(request && { requestCert: true, rejectUnauthorized: false }),
      ...(clientCa !== undefined && { ca: clientCa }),
      settings: { maxHeaderListSize: resolved.maxHeaderBytes },
    },
    (req: Http2ServerRequest, res: Http2ServerResponse) => {
      if (req.httpVersionMajor === 2) adaptHttp2Request(req, res, resolved.requestTimeoutMs);
      const [request, response] = asHttp1(req, res);
      handle(request, response);
    },
  );
  // allowHTTP1 connections are served by node:http's own code, which reads these from the server.
  Object.assign(server as unknown as Http1Side, http1Settings(resolved), {
    requireHostHeader: false,
    shouldUpgradeCallback: gateway.upgrade === undefined ? () => false : isWebSocketUpgrade,
  });
  server.on('clientError', answerClientError);
  if (gateway.upgrade !== undefined) server.on('upgrade', lifecycle.trackUpgrades(gateway.upgrade));

  const sockets = new Set<TLSSocket>();
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (session: ServerHttp2Session) => {
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
    // Graceful: streams in flight finish before the session closes.
    session.setTimeout(resolved.keepAliveTimeoutMs, () => session.close());
  });

  const address = await listen(server, tls.host, tls.port);
  return runningServer(server, address, 'https', lifecycle, {
    closeIdle() {
      for (const session of sessions) session.close(); // GOAWAY; open streams finish
      for (const socket of sockets) {
        // HTTP/1.1 connections with no response in flight (upgraded ones hold theirs).
        const inFlight = (socket as TLSSocket & { _httpMessage?: unknown })._httpMessage;
        if (socket.alpnProtocol !== 'h2' && inFlight == null) socket.destroy();
      }
    },
    closeAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  });
}
