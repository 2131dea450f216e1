// Identity provider: an API provider's own sign-in page. End users of the APIs that name it sign
// in there instead of Turnpike's end-user directory, and come back with a JWT it signed.
import { z } from 'zod';
import { jwtAlgorithms, type PublicJwk, publicJwk } from '../../policies/jwt/schema.ts';
import { redirectUriProblem } from './application.ts';
import { id, name, timestamp, uniqueItems } from './fields.ts';

export type JwtAlgorithm = (typeof jwtAlgorithms)[number];

export const defaultIdentityProviderAlgorithms: JwtAlgorithm[] = ['RS256', 'ES256'];

/** Where end users are sent and keys fetched: the rule of redirect URIs (https, or loopback http). */
const pageUrl = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    const problem = redirectUriProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const fields = {
  name,
  displayName: z
    .string()
    .max(200)
    .optional()
    .meta({ default: '' })
    .describe('What Turnpike’s pages call the provider ("Continue to …"); up to 200 characters.'),
  loginUrl: pageUrl.describe(
    'The sign-in page end users are sent to; Turnpike adds `redirect_uri` and `state`. https, or http for localhost, 127.0.0.1 or [::1]; no fragment.',
  ),
  issuer: z.string().min(1).max(2048).describe('The `iss` claim its assertions carry, compared exactly.'),
  jwksUrl: pageUrl
    .nullable()
    .optional()
    .meta({ default: null })
    .describe('Where its public keys are published (a JWK Set); give this or `publicKeys`, not both.'),
  publicKeys: z
    .array(publicJwk)
    .max(20)
    .optional()
    .meta({ default: [] })
    .describe('Its public keys as JWKs (no private members), for a provider without a key set URL.'),
  algorithms: uniqueItems(z.enum(jwtAlgorithms), 'algorithm')
    .min(1)
    .max(jwtAlgorithms.length)
    .optional()
    .meta({ default: defaultIdentityProviderAlgorithms })
    .describe('Signature algorithms an assertion may use; asymmetric ones only.'),
};

/**
 * Why these key settings cannot stand, or undefined: the keys come from exactly one place.
 * Shared by the schemas and by the service, which checks the result of a PATCH.
 */
export function keySourceProblem(keys: {
  jwksUrl: string | null;
  publicKeys: readonly unknown[];
}): { path: 'jwksUrl' | 'publicKeys'; message: string } | undefined {
  if (keys.jwksUrl !== null && keys.publicKeys.length > 0)
    return { path: 'publicKeys', message: 'give either jwksUrl or publicKeys, not both' };
  if (keys.jwksUrl === null && keys.publicKeys.length === 0)
    return {
      path: 'jwksUrl',
      message: 'give jwksUrl or publicKeys: the keys that verify the provider’s assertions',
    };
  return undefined;
}

export const identityProviderCreate = z
  .strictObject(fields)
  .superRefine((input, ctx) => {
    const problem = keySourceProblem({ jwksUrl: input.jwksUrl ?? null, publicKeys: input.publicKeys ?? [] });
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  })
  .meta({
    id: 'IdentityProviderCreate',
    description: 'A new identity provider; exactly one of `jwksUrl` and `publicKeys`.',
  });

export const identityProviderUpdate = z
  .strictObject(fields)
  .partial()
  .superRefine((patch, ctx) => {
    // Only what the patch alone decides; the service checks the result with the stored fields.
    if (patch.jwksUrl && patch.publicKeys?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['publicKeys'],
        message: 'give either jwksUrl or publicKeys, not both',
      });
  })
  .meta({
    id: 'IdentityProviderUpdate',
    description:
      'Fields to change. To switch key source, set the other to null or []: `{"jwksUrl": null, "publicKeys": […]}`.',
  });

export const identityProvider = z
  .strictObject({
    id: id('idp'),
    name: z.string(),
    displayName: z.string(),
    loginUrl: z.string(),
    issuer: z.string(),
    jwksUrl: z.string().nullable(),
    publicKeys: z.array(z.record(z.string(), z.unknown())),
    algorithms: z.array(z.enum(jwtAlgorithms)),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({
    id: 'IdentityProvider',
    description: 'A sign-in page of the API provider’s own, used instead of Turnpike’s end-user directory.',
  });

export type IdentityProviderCreate = z.infer<typeof identityProviderCreate>;
export type IdentityProviderUpdate = z.infer<typeof identityProviderUpdate>;
export type IdentityProvider = z.infer<typeof identityProvider>;
export type { PublicJwk };
