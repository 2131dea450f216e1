// Credentials of an application besides API keys: an HTTP Basic username with a password
// Turnpike generates (stored as SHA-256 only, shown once), a client certificate for mutual
// TLS, known by its SHA-256 fingerprint, or an HMAC signing key: a username with a secret
// Turnpike generates (shown once, stored sealed: the gateway needs it to compute signatures).
// The gateway matches them by `identifier`.
import { z } from 'zod';
import { certificateFacts, isFingerprint } from '../../shared/fingerprint.ts';
import { isSealed } from '../../shared/sealed.ts';
import { isWellFormedBasicPassword, isWellFormedHmacSecret } from '../../shared/secrets.ts';
import { id, keyLabel, timestamp } from './fields.ts';

export const credentialKinds = ['basic', 'mtls', 'hmac'] as const;
export const credentialKind = z
  .enum(credentialKinds)
  .describe(
    '`basic`: HTTP Basic username and password. `mtls`: a client certificate (mutual TLS). ' +
      '`hmac`: a username and a secret that requests are signed with.',
  );

export const credentialLabel = keyLabel.describe('Label to tell credentials apart.');

export const username = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9._@-]+$/, 'must be letters, digits, ".", "_", "@" or "-"')
  .describe('The username (basic, hmac); unique among all applications’ credentials of its kind.');

export const fingerprint = z
  .string()
  .max(95)
  .refine(isFingerprint, 'must be a SHA-256 fingerprint: 64 hex digits, optionally as colon-separated pairs')
  .describe(
    'SHA-256 fingerprint of the certificate (DER): 64 hex digits, any case, with or without colons ' +
      '(`openssl x509 -noout -fingerprint -sha256`). Stored lower case without colons.',
  );

/** Only in declarative files, to carry a password over from another install: the API never takes one. */
export const basicPassword = z
  .string()
  .refine(isWellFormedBasicPassword, 'must be a Turnpike basic password (tpb_… with a valid checksum)')
  .describe('The password itself (`tpb_…`); stored only as its SHA-256 hash.');

/** Only in declarative files, like the basic password: the API generates the secret. */
export const hmacSecret = z
  .string()
  .refine(isWellFormedHmacSecret, 'must be a Turnpike HMAC secret (tph_… with a valid checksum)')
  .describe('The HMAC secret itself (`tph_…`); stored sealed with this installation’s key.');

/** An HMAC secret as `turnpike export` writes it: sealed, readable only by the installation that sealed it. */
export const sealedHmacSecret = z
  .string()
  .max(1000)
  .refine(isSealed, 'must be a sealed secret (v1.…) as turnpike export writes it')
  .describe(
    'The HMAC secret sealed with the installation’s key (`v1.…`), as exported; only the installation ' +
      'that sealed it can apply it.',
  );

export const pemCertificate = z
  .string()
  .max(16 * 1024)
  .superRefine((value, ctx) => {
    const facts = certificateFacts(value);
    if (typeof facts === 'string') ctx.addIssue({ code: 'custom', message: facts });
  })
  .describe('The client certificate, PEM (`-----BEGIN CERTIFICATE-----`…), without its private key.');

const expiresAt = timestamp.describe('When the credential stops working; never when absent.');

export const basicCredentialCreate = z
  .strictObject({
    kind: z.literal('basic'),
    username: username
      .optional()
      .describe(
        'The HTTP Basic username; the new credential’s id when absent. Unique among basic credentials.',
      ),
    label: credentialLabel.optional().meta({ default: '' }),
    expiresAt: expiresAt.optional(),
  })
  .meta({
    id: 'BasicCredentialCreate',
    description:
      'A new HTTP Basic credential. Turnpike generates the password (`tpb_…`); it cannot be given.',
  });

export const hmacCredentialCreate = z
  .strictObject({
    kind: z.literal('hmac'),
    username: username
      .optional()
      .describe(
        'The username requests are signed as; the new credential’s id when absent. Unique among hmac credentials.',
      ),
    label: credentialLabel.optional().meta({ default: '' }),
    expiresAt: expiresAt.optional(),
  })
  .meta({
    id: 'HmacCredentialCreate',
    description:
      'A new HMAC signing credential. Turnpike generates the secret (`tph_…`); it cannot be given.',
  });

export const mtlsCredentialCreate = z
  .strictObject({
    kind: z.literal('mtls'),
    certificate: pemCertificate.optional(),
    fingerprint: fingerprint.optional(),
    label: credentialLabel.optional().meta({ default: '' }),
    expiresAt: expiresAt
      .optional()
      .describe(
        'When the credential stops working; the certificate’s notAfter when absent (never, for a fingerprint).',
      ),
  })
  .superRefine((c, ctx) => {
    if (!c.certificate === !c.fingerprint)
      ctx.addIssue({
        code: 'custom',
        path: ['certificate'],
        message: 'give exactly one of certificate or fingerprint',
      });
  })
  .meta({
    id: 'MtlsCredentialCreate',
    description: 'A new client certificate credential, by its PEM certificate or by its SHA-256 fingerprint.',
  });

export const credentialCreate = z
  .discriminatedUnion('kind', [basicCredentialCreate, mtlsCredentialCreate, hmacCredentialCreate])
  .meta({ id: 'CredentialCreate', description: 'A new credential; `kind` says which.' });

export const credentialUpdate = z
  .strictObject({
    label: credentialLabel,
    expiresAt: timestamp.nullable().describe('New expiry; null for none.'),
  })
  .partial()
  .meta({ id: 'CredentialUpdate', description: 'Fields to change; a revoked credential cannot be changed.' });

export const credentialFilter = z.object({
  kind: credentialKind.optional().describe('Only credentials of this kind.'),
});

export const credential = z
  .strictObject({
    id: id('crd'),
    applicationId: id('app'),
    kind: credentialKind,
    identifier: z
      .string()
      .describe('What the gateway matches: the username (basic, hmac) or the fingerprint (mtls).'),
    username: z.string().nullable().describe('The username (basic, hmac); null for mtls.'),
    fingerprint: z
      .string()
      .nullable()
      .describe(
        'SHA-256 fingerprint of the certificate, lower-case hex without colons; null for basic and hmac.',
      ),
    subject: z
      .string()
      .nullable()
      .describe('Subject of the certificate, when it was registered by its PEM; null otherwise.'),
    label: z.string(),
    status: z
      .enum(['active', 'expired', 'revoked'])
      .describe('Whether the gateway accepts the credential now.'),
    expiresAt: timestamp.nullable(),
    revokedAt: timestamp.nullable().describe('When it was revoked; revocation is final.'),
    createdAt: timestamp,
  })
  .meta({ id: 'Credential', description: 'A basic, mTLS or HMAC credential, without its secret.' });

export const createdCredential = credential
  .extend({
    password: z
      .string()
      .optional()
      .describe('The password (`tpb_…`) of a basic credential. Shown only in this response; store it now.'),
    secret: z
      .string()
      .optional()
      .describe('The secret (`tph_…`) of an hmac credential. Shown only in this response; store it now.'),
  })
  .meta({
    id: 'CreatedCredential',
    description: 'A new credential; a basic one with its password, an hmac one with its secret.',
  });

export type CredentialKind = z.infer<typeof credentialKind>;
export type CredentialCreate = z.infer<typeof credentialCreate>;
export type CredentialUpdate = z.infer<typeof credentialUpdate>;
export type CredentialFilter = z.infer<typeof credentialFilter>;
export type Credential = z.infer<typeof credential>;
export type CreatedCredential = z.infer<typeof createdCredential>;
