// Configuration of the ip-restriction policy: which client addresses may call an API.
import { isIP } from 'node:net';
import { z } from 'zod';

const maxEntries = 1000;

/** One allow or deny entry, parsed: a single address (`prefix` undefined) or a subnet. */
export interface AddressRule {
  readonly address: string;
  readonly prefix: number | undefined;
  readonly type: 'ipv4' | 'ipv6';
}

/** `10.0.0.0/8`, `2001:db8::/32`, `192.0.2.7` or `::1`; undefined for anything else. */
export function parseAddressRule(text: string): AddressRule | undefined {
  const slash = text.indexOf('/');
  const address = slash === -1 ? text : text.slice(0, slash);
  // A zone (fe80::1%eth0) names an interface of one host; it has no meaning in a rule.
  if (address.includes('%')) return undefined;
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (slash === -1) return { address, prefix: undefined, type };
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits)) return undefined;
  const prefix = Number(bits);
  if (prefix > (family === 4 ? 32 : 128)) return undefined;
  return { address, prefix, type };
}

const rule = z
  .string()
  .refine(
    (value) => parseAddressRule(value) !== undefined,
    'must be an IP address or CIDR such as 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32',
  );

export const ipRestrictionSchema = z
  .object({
    allow: z
      .array(rule)
      .max(maxEntries)
      .default([])
      .describe(
        'Client addresses allowed to call the API, as IPv4 or IPv6 addresses or CIDRs (10.0.0.0/8, 2001:db8::/32). When non-empty, every other address is refused. Default []: any address not denied passes; at most 1000.',
      ),
    deny: z
      .array(rule)
      .max(maxEntries)
      .default([])
      .describe(
        'Client addresses refused, as IPv4 or IPv6 addresses or CIDRs; checked first, so an entry here wins over one in allow. Default []; at most 1000.',
      ),
  })
  .strict();

export type IpRestrictionConfig = z.infer<typeof ipRestrictionSchema>;
