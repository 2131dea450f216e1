// mtls-auth: identifies the calling application by the client certificate it presented on the
// HTTPS listener. TLS has already proven the client holds the certificate's private key; this
// policy looks the certificate up by its SHA-256 fingerprint, the form credentials are
// registered in, and optionally insists that it chains to the listener's client CA.

import { applicationInactive, identifiedBefore } from '../authorization.ts';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { CreateOptions, CredentialHint, PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type MtlsAuthConfig, mtlsAuthSchema } from './schema.ts';

// HTTP has no challenge for TLS client certificates, yet RFC 9110 requires one on a 401. The
// "Mutual" scheme is taken (RFC 8120, a password protocol), so the name is Turnpike's own.
const challenge = 'ClientCertificate realm="turnpike"';
const description = 'a client certificate on the HTTPS port';

export const mtlsAuth = {
  name: 'mtls-auth',
  description:
    'Identifies the calling application by the client certificate it presents on the HTTPS port (mutual TLS).',
  phase: 'authenticate',
  priority: 1600,
  schema: mtlsAuthSchema,
  credential(): CredentialHint {
    return { description, challenge };
  },
  create(config: MtlsAuthConfig, options: CreateOptions): PolicyHandler {
    const headers = { 'www-authenticate': challenge };
    const invalid = (detail: string) => deny('certificate-invalid', detail, headers);
    // Another credential may be accepted instead: then a request without a certificate passes on.
    const missing = options.credentialOptional
      ? undefined
      : deny('credential-missing', `Send ${description}; the plain HTTP port never carries one.`, headers);
    const untrusted = invalid(
      'The client certificate does not chain to the certificate authority this gateway trusts for clients, or has expired.',
    );
    const unknown = invalid(
      'The client certificate is not registered to any application; it may have been revoked.',
    );
    const expired = invalid('The credential of this client certificate has expired.');

    return function mtlsAuthHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const certificate = ctx.clientCertificate();
      if (certificate === undefined) return missing;
      // Among several ways in, the first that identified the caller wins (by priority). The
      // certificate belongs to the connection, so there is nothing to keep from the upstream.
      if (identifiedBefore(ctx, options)) return undefined;
      if (config.requireTrustedCa && !certificate.authorized) return untrusted;
      const record = ctx.credentials.credential('mtls', certificate.fingerprint);
      if (record === undefined) return unknown;
      if (record.expiresAt !== null && record.expiresAt <= Date.now()) return expired;
      const application = ctx.credentials.application(record.applicationId);
      if (application === undefined || !application.active) return applicationInactive;
      ctx.setConsumer(application);
      return undefined;
    };
  },
} satisfies PolicyDefinition<MtlsAuthConfig>;
