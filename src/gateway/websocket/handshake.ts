// WebSocket handshakes (RFC 6455 §4) as the gateway sees them: which requests are one, and a
// ServerResponse on the raw socket, so a refused handshake gets the same problem+json answer as
// any other request (and policies, access logs and metrics see an ordinary response).
import { type IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

const websocketToken = /(?:^|,)\s*websocket\s*(?:,|$)/i;

/** True for a request asking to switch to WebSocket; the server's shouldUpgradeCallback. */
export function isWebSocketUpgrade(req: IncomingMessage): boolean {
  const upgrade = req.headers.upgrade;
  return upgrade !== undefined && websocketToken.test(upgrade);
}

/** Why an upgrade request cannot be proxied as a WebSocket handshake; undefined when it can. */
export function handshakeProblem(req: IncomingMessage): string | undefined {
  if (!isWebSocketUpgrade(req)) return 'The gateway upgrades connections to WebSocket only.';
  if (req.method !== 'GET') return 'A WebSocket handshake must be a GET request.';
  if (req.httpVersion !== '1.1') return 'A WebSocket handshake must use HTTP/1.1.';
  return undefined;
}

/** A response written on the upgrade request's socket; the socket closes once it is sent. */
export function upgradeResponse(req: IncomingMessage, socket: Duplex): ServerResponse {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  // Node hands over the socket without an error listener; a reset must not crash the process.
  socket.on('error', () => socket.destroy());
  res.assignSocket(socket as Socket);
  res.once('finish', () => {
    socket.once('finish', () => socket.destroy());
    socket.end();
  });
  return res;
}
