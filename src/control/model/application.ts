// Application: what an account registers to call APIs; also an OAuth client (its id is the client id).
import { z } from 'zod';
import { applicationState, description, id, name, timestamp, uniqueItems } from './fields.ts';
import { customFieldValues } from './portal-field.ts';

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Why `value` cannot be a redirect URI, or undefined when it can: absolute https, or http to a
 * loopback host only (RFC 8252 §7.3 for native apps), and no fragment (RFC 6749 §3.1.2).
 */
export function redirectUriProblem(value: string): string | undefined {
  if (!/^https?:\/\/[^/?#]/i.test(value)) return 'must be an absolute https:// (or loopback http://) URL';
  // RFC 3986 characters only: exact matching must not depend on how a client encodes the rest.
  if (/[^\x21-\x7e]/.test(value)) return 'must be printable ASCII without spaces; percent-encode the rest';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a valid URL';
  }
  if (value.includes('#')) return 'must not have a fragment';
  if (url.protocol === 'http:' && !loopbackHosts.has(url.hostname))
    return 'must use https; http only for localhost, 127.0.0.1 or [::1]';
  return undefined;
}

export const redirectUri = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = redirectUriProblem(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .describe('Where the authorization server may send the end user back; compared as exact strings.');

export const redirectUris = uniqueItems(redirectUri, 'redirect URI')
  .max(20)
  .describe('OAuth 2.0 redirect URIs: https, or http for loopback hosts; no fragment; exact matches only.');

const changeable = {
  name,
  description: description.optional().meta({ default: '' }),
  state: applicationState.optional().meta({ default: 'active' }),
  redirectUris: redirectUris.optional().meta({ default: [] }),
  customFields: customFieldValues.optional().meta({ default: {} }),
};

export const applicationCreate = z
  .strictObject({ accountId: id('acc').describe('Account that owns the application.'), ...changeable })
  .meta({ id: 'ApplicationCreate', description: 'A new application.' });
export const applicationUpdate = z.strictObject(changeable).partial().meta({
  id: 'ApplicationUpdate',
  description: 'Fields to change; `redirectUris` replaces the list and `customFields` all values.',
});

export const application = z
  .strictObject({
    id: id('app'),
    accountId: id('acc'),
    name,
    description,
    state: applicationState,
    redirectUris: z.array(z.string()).describe('OAuth 2.0 redirect URIs, exact matches only.'),
    customFields: z
      .record(z.string(), z.string())
      .describe('Values of the provider’s extra application fields.'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Application', description: 'An application of an account.' });

export type ApplicationCreate = z.infer<typeof applicationCreate>;
export type ApplicationUpdate = z.infer<typeof applicationUpdate>;
export type Application = z.infer<typeof application>;
