// Client certificates as mutual-TLS credentials know them: by their SHA-256 fingerprint in one
// form (lower-case hex, no separators), whoever wrote it down and however. Shared by the control
// plane (registering a certificate) and anything else that must agree with the gateway's form.
import { X509Certificate } from 'node:crypto';

/** `AB:CD:…` (Node, OpenSSL) or any case/separators → lower-case hex without separators. */
export function normalizeFingerprint(text: string): string {
  return text.replace(/[^0-9A-Fa-f]/g, '').toLowerCase();
}

/** 64 hex digits, any case, optionally in colon-separated pairs (as `openssl x509 -fingerprint` prints). */
export function isFingerprint(text: string): boolean {
  return /^[0-9A-Fa-f]{64}$/.test(text) || /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){31}$/.test(text);
}

export interface CertificateFacts {
  /** SHA-256 of the DER encoding, lower-case hex. */
  fingerprint: string;
  /** The subject's attributes, one `name=value` after another, separated by ", ". */
  subject: string;
  notAfter: Date;
}

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** What a PEM certificate says about itself, or why it is not one certificate. */
export function certificateFacts(pem: string): CertificateFacts | string {
  // A private key pasted along with the certificate is a mistake worth stopping: it would be
  // in the request, and Turnpike never needs it.
  if (pem.includes('PRIVATE KEY-----')) return 'contains a private key; give only the certificate';
  const blocks = pem.match(certificateBlock) ?? [];
  if (blocks.length === 0)
    return 'is not a PEM certificate (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)';
  if (blocks.length > 1) return 'holds several certificates; give only the client’s own';
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(blocks[0] ?? '');
  } catch {
    return 'is not a valid X.509 certificate';
  }
  return {
    fingerprint: normalizeFingerprint(certificate.fingerprint256),
    subject: certificate.subject.split('\n').join(', '),
    notAfter: certificate.validToDate,
  };
}
