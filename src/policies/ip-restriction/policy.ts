// ip-restriction: allow and deny lists of client addresses and subnets, like Kong's plugin of the
// same name. Deny is checked first and always wins; a non-empty allow list refuses the rest.
import { BlockList, isIP } from 'node:net';
import { deny, type PolicyContext, type PolicyResponse } from '../context.ts';
import type { PolicyDefinition, PolicyHandler } from '../definition.ts';
import { type IpRestrictionConfig, ipRestrictionSchema, parseAddressRule } from './schema.ts';

export const ipRestriction = {
  name: 'ip-restriction',
  description: 'Allows or refuses requests by client IP address or subnet (IPv4 and IPv6); deny entries win.',
  phase: 'pre-auth',
  priority: 1990,
  schema: ipRestrictionSchema,
  create(config: IpRestrictionConfig): PolicyHandler {
    const allowed = config.allow.length > 0 ? blockListOf(config.allow) : undefined;
    const denied = config.deny.length > 0 ? blockListOf(config.deny) : undefined;
    // The address is left out: the client knows it, and a log reader has it in the access log.
    const notAllowed = deny('ip-not-allowed', 'Requests from this address are not allowed.');
    if (allowed === undefined && denied === undefined) return () => undefined;

    return function ipRestrictionHandler(ctx: PolicyContext): PolicyResponse | undefined {
      const address = ctx.clientIp();
      const family = isIP(address);
      // An address that cannot be read cannot be shown to be outside a deny list: refuse it.
      if (family === 0) return notAllowed;
      // BlockList matches an IPv4-mapped IPv6 address (::ffff:10.1.2.3) against IPv4 rules too.
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (denied?.check(address, type)) return notAllowed;
      if (allowed !== undefined && !allowed.check(address, type)) return notAllowed;
      return undefined;
    };
  },
} satisfies PolicyDefinition<IpRestrictionConfig>;

function blockListOf(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const rule = parseAddressRule(entry);
    // The schema refused anything else, so this is a config that skipped it: a bug.
    if (rule === undefined) throw new Error(`not an address or CIDR: ${entry}`);
    if (rule.prefix === undefined) list.addAddress(rule.address, rule.type);
    else list.addSubnet(rule.address, rule.prefix, rule.type);
  }
  return list;
}
