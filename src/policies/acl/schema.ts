// Configuration of the acl policy: which accounts, applications and tiers may call an API.
import { z } from 'zod';
import { isId } from '../../shared/ids.ts';

const maxEntries = 1000;

// Ids only: account and application names are not in the gateway's snapshot, so a name here
// would never match. Refusing it at config time beats an allow list that silently lets no one in.
const accountId = z
  .string()
  .refine((value) => isId('account', value), 'must be an account id (acc_…), not a name');
const applicationId = z
  .string()
  .refine((value) => isId('application', value), 'must be an application id (app_…), not a name');
// The same shape the admin API accepts for an account's tier.
const tier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be a tier name: letters, digits, ".", "_" or "-"');

function callers(which: 'allow' | 'deny') {
  const verb = which === 'allow' ? 'Let through' : 'Refuse';
  return z
    .object({
      accounts: z
        .array(accountId)
        .max(maxEntries)
        .default([])
        .describe(`${verb} every application of these accounts, by id (acc_…). Default []; at most 1000.`),
      applications: z
        .array(applicationId)
        .max(maxEntries)
        .default([])
        .describe(`${verb} these applications, by id (app_…). Default []; at most 1000.`),
      tiers: z
        .array(tier)
        .max(maxEntries)
        .default([])
        .describe(
          `${verb} applications whose account is on one of these trust tiers, such as "gold". Default []; at most 1000.`,
        ),
    })
    .strict()
    .prefault({});
}

export const aclSchema = z
  .object({
    allow: callers('allow').describe(
      'Callers allowed on the API: when any list here is non-empty, a caller must match an entry (or be refused), and a request without a credential is refused. Default: all lists empty, so every caller not denied passes.',
    ),
    deny: callers('deny').describe(
      'Callers refused on the API; checked before allow, so an entry here wins over one in allow. Default: all lists empty, so no one is refused.',
    ),
  })
  .strict();

export type AclConfig = z.infer<typeof aclSchema>;
