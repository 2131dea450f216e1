// acl: allow and deny lists of accounts, applications and trust tiers. Runs before subscription,
// so a denied caller is refused without a plan lookup. Deny is checked first and always wins.
import { type Consumer, deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type AclConfig, aclSchema } from './schema.ts';

interface Callers {
  readonly accounts: ReadonlySet<string>;
  readonly applications: ReadonlySet<string>;
  readonly tiers: ReadonlySet<string>;
}

export const acl = {
  name: 'acl',
  description: 'Allows or refuses callers by account, application or trust tier; deny entries win.',
  phase: 'authorize',
  priority: 960,
  schema: aclSchema,
  create(config: AclConfig): PolicyHandler {
    const allowed = callersOf(config.allow);
    const denied = callersOf(config.deny);
    // An empty allow side means "everyone not denied"; any entry turns it into a closed list.
    const restricted = allowed.accounts.size + allowed.applications.size + allowed.tiers.size > 0;
    const accessDenied = deny('access-denied', 'This application is not allowed to call this API.');
    const anonymous = deny(
      'access-denied',
      'This API is open only to listed applications; send a credential of one of them.',
    );

    return function aclHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const consumer = ctx.consumer;
      // Without a consumer (a keyless API) there is nothing to deny by, only nothing to allow.
      if (consumer === undefined) return restricted ? anonymous : undefined;
      if (matches(denied, consumer)) return accessDenied;
      if (restricted && !matches(allowed, consumer)) return accessDenied;
      return undefined;
    };
  },
} satisfies PolicyDefinition<AclConfig>;

function callersOf(lists: AclConfig['allow']): Callers {
  return {
    accounts: new Set(lists.accounts),
    applications: new Set(lists.applications),
    tiers: new Set(lists.tiers),
  };
}

function matches(callers: Callers, consumer: Consumer): boolean {
  return (
    callers.applications.has(consumer.applicationId) ||
    callers.accounts.has(consumer.accountId) ||
    callers.tiers.has(consumer.tier)
  );
}
