// The declarative document (`turnpike apply -f FILE`, `turnpike export`): the same fields as
// the admin API, with names instead of ids for references, and children nested in parents.
import { z } from 'zod';
import { accountCreate } from '../model/account.ts';
import { apiCreate } from '../model/api.ts';
import { applicationCreate } from '../model/application.ts';
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
import { planCreate } from '../model/plan.ts';
import { productCreate } from '../model/product.ts';
import { routeCreate } from '../model/route.ts';
import { upstreamCreate } from '../model/upstream.ts';

export const routeEntry = routeCreate.meta({ id: 'ConfigRoute' });

export const apiEntry = apiCreate
  .omit({ upstreamId: true })
  .extend({
    upstream: name.describe('Name of the upstream.'),
    routes: z.array(routeEntry).max(10_000).optional().describe('The routes; when present, exactly these.'),
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

export const applicationEntry = applicationCreate
  .omit({ accountId: true })
  .extend({
    subscriptions: z.array(subscriptionEntry).max(1000).optional().describe('When present, exactly these.'),
    keys: z.array(keyEntry).max(10_000).optional().describe('When present, exactly these.'),
  })
  .meta({ id: 'ConfigApplication', description: 'An application with its subscriptions and keys.' });

export const accountEntry = accountCreate
  .extend({
    applications: z.array(applicationEntry).max(10_000).optional().describe('When present, exactly these.'),
  })
  .meta({ id: 'ConfigAccount', description: 'An account with its applications.' });

export const configDocument = z
  .strictObject({
    upstreams: z.array(upstreamCreate).max(10_000).optional(),
    apis: z.array(apiEntry).max(10_000).optional(),
    products: z.array(productEntry).max(10_000).optional(),
    accounts: z.array(accountEntry).max(100_000).optional(),
  })
  .meta({
    id: 'ConfigDocument',
    description:
      'Declarative configuration. Names are identities. Objects named here are set to what the file says; ' +
      'a nested list, when present, is exactly the children; objects not named are left alone unless pruned.',
  });

export type ConfigDocument = z.infer<typeof configDocument>;
export type ApiEntry = z.infer<typeof apiEntry>;
export type ProductEntry = z.infer<typeof productEntry>;
export type AccountEntry = z.infer<typeof accountEntry>;
export type ApplicationEntry = z.infer<typeof applicationEntry>;
export type KeyEntry = z.infer<typeof keyEntry>;
