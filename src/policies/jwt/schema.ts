// Configuration of the jwt policy: whom to trust (issuer, audiences, keys) and how a token's claims
// name the calling application, its end user and its scopes.
import { z } from 'zod';

/** Asymmetric signature algorithms only: `none` and the HMAC ones (HS*) cannot be configured. */
export const jwtAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** Members that only a private (or symmetric) JWK has; a public key set must not carry them. */
const privateMembers = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'] as const;

const base64url = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be base64url');

// The common members are checked; others (x5c, key_ops, …) pass through to jose untouched.
const commonMembers = {
  kid: z.string().min(1).max(256).optional(),
  alg: z.enum(jwtAlgorithms).optional(),
  use: z.literal('sig').optional(),
};

export const publicJwk = z
  .discriminatedUnion('kty', [
    z.looseObject({ kty: z.literal('RSA'), n: base64url, e: base64url, ...commonMembers }),
    z.looseObject({
      kty: z.literal('EC'),
      crv: z.enum(['P-256', 'P-384', 'P-521']),
      x: base64url,
      y: base64url,
      ...commonMembers,
    }),
    z.looseObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64url, ...commonMembers }),
  ])
  .superRefine((jwk, issues) => {
    for (const member of privateMembers) {
      if (member in jwk) {
        issues.addIssue({
          code: 'custom',
          path: [member],
          message: `a public key must not carry the private member "${member}"`,
        });
      }
    }
  });

export const jwtSchema = z
  .object({
    issuer: z
      .string()
      .min(1)
      .max(2048)
      .nullable()
      .default(null)
      .describe(
        'The token issuer this API trusts: when set, the `iss` claim must equal it exactly. Default null (any issuer whose key verifies the token); 1 to 2048 characters.',
      ),
    audiences: z
      .array(z.string().min(1).max(2048))
      .max(20)
      .default([])
      .describe(
        'Audiences this API answers to: when non-empty, the `aud` claim must contain one of them. Default [] (no audience check); at most 20.',
      ),
    jwksUrl: z
      .url({ protocol: /^https?$/ })
      .max(2048)
      .nullable()
      .default(null)
      .describe(
        "URL of the issuer's JSON Web Key Set (http or https; http only on a trusted network). Fetched on the first token, kept 10 minutes and fetched again when a token names an unknown `kid` (at most every 30 seconds). Default null; give this or publicKeys, not both.",
      ),
    publicKeys: z
      .array(publicJwk)
      .max(20)
      .default([])
      .describe(
        'Public keys as JWKs (kty RSA, EC or OKP; no private members), for issuers without a key set URL. Default []; at most 20; give this or jwksUrl, not both.',
      ),
    algorithms: z
      .array(z.enum(jwtAlgorithms))
      .min(1)
      .max(jwtAlgorithms.length)
      .default(['RS256', 'ES256', 'EdDSA'])
      .describe(
        'Signature algorithms a token may use (the `alg` header). Default ["RS256", "ES256", "EdDSA"]; `none` and HS256/HS384/HS512 are never accepted.',
      ),
    applicationClaim: z
      .string()
      .min(1)
      .max(64)
      .default('client_id')
      .describe(
        'Claim that holds the Turnpike application id (`app_…`) of the calling client. Default "client_id" (RFC 9068), falling back to `azp` when the token has no client_id; 1 to 64 characters.',
      ),
    scopeClaim: z
      .string()
      .min(1)
      .max(64)
      .default('scope')
      .describe(
        'Claim that holds the granted scopes: a space-separated string or an array of strings (e.g. "scp"). Default "scope"; 1 to 64 characters.',
      ),
    clockSkewSeconds: z
      .number()
      .int()
      .min(0)
      .max(300)
      .default(30)
      .describe(
        'Seconds of clock difference with the issuer tolerated when checking `exp` and `nbf`. Default 30; 0 to 300.',
      ),
    requiredClaims: z
      .array(z.string().min(1).max(64))
      .max(20)
      .default(['exp'])
      .describe(
        'Claims a token must carry besides those the other settings require. Default ["exp"]: tokens that never expire are refused; at most 20.',
      ),
    typ: z
      .string()
      .min(1)
      .max(64)
      .nullable()
      .default(null)
      .describe(
        'Required `typ` header, compared without the "application/" prefix and case: "at+jwt" accepts at+jwt and application/at+jwt (RFC 9068 access tokens). Default null (any typ).',
      ),
  })
  .strict()
  .superRefine((config, issues) => {
    if (config.jwksUrl !== null && config.publicKeys.length > 0) {
      issues.addIssue({
        code: 'custom',
        path: ['publicKeys'],
        message: 'give either jwksUrl or publicKeys, not both',
      });
    }
  });

export type JwtConfig = z.infer<typeof jwtSchema>;
export type PublicJwk = z.infer<typeof publicJwk>;
