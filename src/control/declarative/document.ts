// The declarative document (`turnpike apply -f FILE`, `turnpike export`): the same fields as
// the admin API, with names instead of ids for references, and children nested in parents.
import { z } from 'zod';
import { policyNamed } from '../../policies/index.ts';
import { signupSettings } from '../admin-api/portal-signup.ts';
import { accountCreate } from '../model/account.ts';
import { apiCreate } from '../model/api.ts';
import { applicationCreate } from '../model/application.ts';
import {
  basicPassword,
  credentialLabel,
  fingerprint,
  hmacSecret,
  sealedHmacSecret,
  username,
} from '../model/credential.ts';
import {
  keyHash,
  keyLabel,
  keyPrefixField,
  name,
  plaintextKey,
  subscriptionState,
  timestamp,
  uniqueItems,
} from '../model/fields.ts';
import { identityProviderCreate } from '../model/identity-provider.ts';
import { scopeDescription, scopeName } from '../model/oauth-scope.ts';
import { planCreate } from '../model/plan.ts';
import { policyName } from '../model/policy.ts';
import { brandingInput } from '../model/portal-branding.ts';
import { portalFieldCreate } from '../model/portal-field.ts';
import { portalPageCreate } from '../model/portal-page.ts';
import { productCreate } from '../model/product.ts';
import { routeCreate } from '../model/route.ts';
import { upstreamCreate } from '../model/upstream.ts';
import { alertEntry } from './alert-entry.ts';

export const policyEntry = z
  .strictObject({
    name: policyName,
    enabled: z
      .boolean()
      .optional()
      .meta({ default: true })
      .describe('False: switched off here, and so is one of the same name configured more broadly.'),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .meta({ default: {} })
      .describe("The policy's settings."),
  })
  .superRefine((entry, ctx) => {
    // The policy's own schema, so a bad field is reported at its place in the file.
    const parsed = policyNamed(entry.name)?.schema.safeParse(entry.config ?? {});
    for (const issue of parsed?.success === false ? parsed.error.issues : []) {
      ctx.addIssue({ code: 'custom', path: ['config', ...issue.path], message: issue.message });
    }
  })
  .meta({ id: 'ConfigPolicy', description: 'A policy: its name and config.' });

const policyList = z
  .array(policyEntry)
  .max(100)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, entry] of list.entries()) {
      if (seen.has(entry.name))
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `${entry.name} is listed twice here` });
      seen.add(entry.name);
    }
  });

export const routeEntry = routeCreate
  .extend({
    policies: policyList.optional().describe("The route's own policies; when present, exactly these."),
  })
  .meta({ id: 'ConfigRoute' });

export const apiEntry = apiCreate
  .omit({ upstreamId: true })
  .extend({
    upstream: name.describe('Name of the upstream.'),
    routes: z.array(routeEntry).max(10_000).optional().describe('The routes; when present, exactly these.'),
    policies: policyList.optional().describe("The API's policies; when present, exactly these."),
  })
  .meta({ id: 'ConfigApi', description: 'An API with its routes.' });

export const planEntry = planCreate.omit({ productId: true }).meta({ id: 'ConfigPlan' });

export const productEntry = productCreate
  .omit({ apiIds: true })
  .extend({
    apis: uniqueItems(name, 'API')
      .max(500)
      .optional()
      .meta({ default: [] })
      .describe('Names of the APIs in the product.'),
    plans: z.array(planEntry).max(1000).optional().describe('The plans; when present, exactly these.'),
  })
  .meta({ id: 'ConfigProduct', description: 'A product with its plans.' });

export const subscriptionEntry = z
  .strictObject({
    product: name.describe('Name of the product.'),
    plan: name.describe('Name of the plan within the product.'),
    state: subscriptionState.optional(),
  })
  .meta({ id: 'ConfigSubscription', description: 'A subscription of the application to a plan.' });

export const keyEntry = z
  .strictObject({
    key: plaintextKey.optional(),
    hash: keyHash.optional(),
    prefix: keyPrefixField.optional(),
    label: keyLabel.optional(),
    expiresAt: timestamp.optional(),
    revoked: z
      .literal(true)
      .optional()
      .describe('The key is revoked: listed for the record, refused by the gateway. Revocation is final.'),
  })
  .superRefine((k, ctx) => {
    if (!k.key === !k.hash)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of key (plaintext) or hash' });
  })
  .meta({ id: 'ConfigKey', description: 'An API key, as plaintext `key` (stored hashed) or as its `hash`.' });

const revokedCredential = z
  .literal(true)
  .optional()
  .describe('The credential is revoked: listed for the record, refused by the gateway. Revocation is final.');

export const basicCredentialEntry = z
  .strictObject({
    kind: z.literal('basic'),
    username: username.describe('The HTTP Basic username; with `kind`, the identity of the credential.'),
    password: basicPassword.optional(),
    hash: keyHash.describe('SHA-256 of the password, hex, as exported.').optional(),
    label: credentialLabel.optional(),
    expiresAt: timestamp.optional(),
    revoked: revokedCredential,
  })
  .superRefine((c, ctx) => {
    if (!c.password === !c.hash)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of password (plaintext) or hash' });
  })
  .meta({
    id: 'ConfigBasicCredential',
    description:
      'An HTTP Basic credential: its username and the password, as plaintext (stored hashed) or `hash`.',
  });

export const mtlsCredentialEntry = z
  .strictObject({
    kind: z.literal('mtls'),
    fingerprint: fingerprint.describe(
      'SHA-256 fingerprint of the client certificate: 64 hex digits, any case, colons allowed. ' +
        'With `kind`, the identity of the credential.',
    ),
    subject: z
      .string()
      .max(2000)
      .optional()
      .describe("The certificate's subject, for people reading the list."),
    label: credentialLabel.optional(),
    expiresAt: timestamp.optional(),
    revoked: revokedCredential,
  })
  .meta({
    id: 'ConfigMtlsCredential',
    description: 'A client certificate for mutual TLS, by its fingerprint.',
  });

export const hmacCredentialEntry = z
  .strictObject({
    kind: z.literal('hmac'),
    username: username.describe(
      'The username requests are signed as; with `kind`, the identity of the credential.',
    ),
    secret: hmacSecret.optional(),
    sealedSecret: sealedHmacSecret.optional(),
    label: credentialLabel.optional(),
    expiresAt: timestamp.optional(),
    revoked: revokedCredential,
  })
  .superRefine((c, ctx) => {
    if (!c.secret === !c.sealedSecret)
      ctx.addIssue({ code: 'custom', message: 'give exactly one of secret (plaintext) or sealedSecret' });
  })
  .meta({
    id: 'ConfigHmacCredential',
    description:
      'An HMAC signing credential: its username and the secret, as plaintext or `sealedSecret` ' +
      '(as exported; stored sealed either way).',
  });

export const credentialEntry = z
  .discriminatedUnion('kind', [basicCredentialEntry, mtlsCredentialEntry, hmacCredentialEntry])
  .meta({ id: 'ConfigCredential', description: 'A basic, mTLS or HMAC credential of the application.' });

export const applicationEntry = applicationCreate
  .omit({ accountId: true })
  .extend({
    subscriptions: z.array(subscriptionEntry).max(1000).optional().describe('When present, exactly these.'),
    keys: z.array(keyEntry).max(10_000).optional().describe('When present, exactly these.'),
    credentials: z
      .array(credentialEntry)
      .max(10_000)
      .optional()
      .describe('Basic, mTLS and HMAC credentials; when present, exactly these.'),
  })
  .meta({
    id: 'ConfigApplication',
    description: 'An application with its subscriptions, keys and credentials.',
  });

export const accountEntry = accountCreate
  .extend({
    applications: z.array(applicationEntry).max(10_000).optional().describe('When present, exactly these.'),
  })
  .meta({ id: 'ConfigAccount', description: 'An account with its applications.' });

export const oauthScopeEntry = z
  .strictObject({
    name: scopeName,
    description: scopeDescription.optional().meta({ default: '' }),
  })
  .meta({ id: 'ConfigOAuthScope', description: 'A scope the authorization server grants.' });

export const identityProviderEntry = identityProviderCreate.meta({
  id: 'ConfigIdentityProvider',
  description: 'A sign-in page of the API provider’s own; exactly one of `jwksUrl` and `publicKeys`.',
});

export const portalPageEntry = portalPageCreate.meta({
  id: 'ConfigPortalPage',
  description: 'A content page of the portal; its slug is its identity.',
});

export const portalFieldEntry = portalFieldCreate.meta({
  id: 'ConfigPortalField',
  description: 'An extra field of accounts, developers or applications; target and name are its identity.',
});

/** Entries whose identity (`key`) repeats are refused at the repeat, naming the first. */
function uniqueBy<T>(key: (entry: T) => string, at: string, what: string) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const first = new Map<string, number>();
    for (const [i, entry] of list.entries()) {
      const earlier = first.get(key(entry));
      if (earlier !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: [i, at],
          message: `${what} ${key(entry)} is listed twice (first at [${earlier}])`,
        });
      else first.set(key(entry), i);
    }
  };
}

export const portalEntry = z
  .strictObject({
    branding: brandingInput
      .optional()
      .describe('The whole branding (fields left out take their defaults); when absent, left alone.'),
    signup: signupSettings
      .optional()
      .describe('How the portal takes new developers; when absent, left alone.'),
    pages: z
      .array(portalPageEntry)
      .max(10_000)
      .superRefine(uniqueBy((p) => p.slug, 'slug', 'the slug'))
      .optional()
      .describe('Content pages; when present, exactly these.'),
    fields: z
      .array(portalFieldEntry)
      .max(1000)
      .superRefine(uniqueBy((f) => `${f.target}/${f.name}`, 'name', 'the field'))
      .optional()
      .describe('Extra fields; when present, exactly these (a field left out is deleted with its values).'),
  })
  .meta({ id: 'ConfigPortal', description: 'What the developer portal shows beyond APIs and plans.' });

export const configDocument = z
  .strictObject({
    upstreams: z.array(upstreamCreate).max(10_000).optional(),
    policies: policyList.optional().describe('Global policies, on every API; when present, exactly these.'),
    apis: z.array(apiEntry).max(10_000).optional(),
    products: z.array(productEntry).max(10_000).optional(),
    accounts: z.array(accountEntry).max(100_000).optional(),
    oauthScopes: z
      .array(oauthScopeEntry)
      .max(1000)
      .optional()
      .describe('Scopes of the authorization server; when absent, the stored scopes are left alone.'),
    identityProviders: z
      .array(identityProviderEntry)
      .max(100)
      .optional()
      .describe(
        'Sign-in pages APIs may send end users to; when absent, the stored identity providers are left alone.',
      ),
    portal: portalEntry
      .optional()
      .describe('Branding, content pages and extra fields of the portal; when absent, left alone.'),
    alerts: z
      .array(alertEntry)
      .max(1000)
      .optional()
      .describe('Alert rules; when absent, the stored rules are left alone (docs/alerts.md).'),
  })
  .meta({
    id: 'ConfigDocument',
    description:
      'Declarative configuration. Names are identities. Objects named here are set to what the file says; ' +
      'a nested list, when present, is exactly the children; objects not named are left alone unless pruned.',
  });

export type ConfigDocument = z.infer<typeof configDocument>;
export type ApiEntry = z.infer<typeof apiEntry>;
export type PolicyEntry = z.infer<typeof policyEntry>;
export type ProductEntry = z.infer<typeof productEntry>;
export type AccountEntry = z.infer<typeof accountEntry>;
export type ApplicationEntry = z.infer<typeof applicationEntry>;
export type KeyEntry = z.infer<typeof keyEntry>;
export type CredentialEntry = z.infer<typeof credentialEntry>;
export type OAuthScopeEntry = z.infer<typeof oauthScopeEntry>;
export type IdentityProviderEntry = z.infer<typeof identityProviderEntry>;
export type PortalEntry = z.infer<typeof portalEntry>;
export type { AlertEntry } from './alert-entry.ts';
