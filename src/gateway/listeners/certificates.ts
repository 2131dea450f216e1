// Certificates of the HTTPS listener: every PEM pair is loaded once, at start, and the names each
// certificate carries (subjectAltName DNS entries, wildcards included; the subject CN when it has
// none) choose its context by the SNI server name: exact name, then wildcard, then the first
// certificate as the default. Wildcards follow the router's rule: one more label.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { TlsSettings } from '../../shared/gateway-settings.ts';
import { wildcardParent } from '../router/router.ts';

export interface CertificateSet {
  /** The first pair, served to clients that send no SNI or a name no certificate carries. */
  readonly defaultPair: { readonly cert: Buffer; readonly key: Buffer };
  /** The names of each certificate, in the order given. */
  readonly names: readonly (readonly string[])[];
  /** The context for an SNI server name. */
  select(serverName: string): SecureContext;
}

/** The DNS names a certificate is valid for, lower-cased. */
export function certificateNames(certificate: X509Certificate): string[] {
  const altNames = certificate.subjectAltName;
  if (altNames !== undefined) {
    const names: string[] = [];
    for (const entry of altNames.split(', ')) {
      if (!entry.startsWith('DNS:')) continue;
      const value = entry.slice(4);
      // Node quotes a name with unusual characters as a JSON string.
      names.push((value.startsWith('"') ? String(JSON.parse(value)) : value).toLowerCase());
    }
    return names;
  }
  const commonName = /(?:^|\n)CN=([^\n]+)/.exec(certificate.subject)?.[1];
  return commonName === undefined ? [] : [commonName.toLowerCase()];
}

/** Throws when a file cannot be read or a key does not fit its certificate: a startup error. */
/** `clientCa`: CAs client certificates are checked against (every SNI context needs them). */
export function loadCertificates(files: TlsSettings['certificates'], clientCa?: Buffer): CertificateSet {
  if (files.length === 0) throw new Error('the HTTPS listener needs at least one certificate');
  const exact = new Map<string, SecureContext>();
  const wildcard = new Map<string, SecureContext>();
  const names: string[][] = [];
  let defaultPair: { cert: Buffer; key: Buffer } | undefined;
  let defaultContext: SecureContext | undefined;
  for (const { certFile, keyFile } of files) {
    const cert = readFileSync(certFile);
    const key = readFileSync(keyFile);
    let context: SecureContext;
    try {
      context = createSecureContext(clientCa === undefined ? { cert, key } : { cert, key, ca: clientCa });
    } catch (error) {
      throw new Error(`${keyFile} is not the key of ${certFile}: ${(error as Error).message}`);
    }
    defaultPair ??= { cert, key };
    defaultContext ??= context;
    const own = certificateNames(new X509Certificate(cert));
    names.push(own);
    // The first certificate listed for a name keeps it.
    for (const name of own) {
      if (name.startsWith('*.')) {
        if (!wildcard.has(name.slice(2))) wildcard.set(name.slice(2), context);
      } else if (!exact.has(name)) exact.set(name, context);
    }
  }
  const fallback = defaultContext as SecureContext;
  return {
    defaultPair: defaultPair as { cert: Buffer; key: Buffer },
    names,
    select(serverName: string): SecureContext {
      const name = serverName.toLowerCase();
      const found = exact.get(name);
      if (found !== undefined) return found;
      const parent = wildcardParent(name);
      return (parent === undefined ? undefined : wildcard.get(parent)) ?? fallback;
    },
  };
}
