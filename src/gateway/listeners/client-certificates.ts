// The client certificate of a TLS connection, as policies see it: its SHA-256 fingerprint (the
// form credentials are registered in) and whether it chains to the trusted client CA. Read once
// per connection and kept on the socket: a keep-alive connection serves many requests.
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { ClientCertificate } from '../../policies/context.ts';
import { normalizeFingerprint } from '../../shared/fingerprint.ts';

const cached = new WeakMap<object, ClientCertificate | null>();

export function peerCertificate(socket: Socket): ClientCertificate | undefined {
  // An HTTP/2 request's socket is a proxy of the session's TLS socket; both answer instanceof.
  if (!(socket instanceof TLSSocket)) return undefined;
  let found = cached.get(socket);
  if (found === undefined) {
    const certificate = socket.getPeerCertificate();
    found =
      certificate && typeof certificate.fingerprint256 === 'string'
        ? { fingerprint: normalizeFingerprint(certificate.fingerprint256), authorized: socket.authorized }
        : null;
    cached.set(socket, found);
  }
  return found ?? undefined;
}
