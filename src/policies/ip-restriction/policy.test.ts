import { describe, expect, it } from 'vitest';
import { testContext } from '../test-context.ts';
import { ipRestriction } from './policy.ts';

function outcome(clientIp: string, config: unknown) {
  return ipRestriction.create(ipRestriction.schema.parse(config))(testContext({ clientIp }));
}

function passes(clientIp: string, config: unknown): boolean {
  const result = outcome(clientIp, config);
  if (result === undefined) return true;
  expect(result).toEqual({
    kind: 'problem',
    code: 'ip-not-allowed',
    detail: 'Requests from this address are not allowed.',
  });
  return false;
}

describe('ip-restriction', () => {
  it('lets every address through with the default config', () => {
    expect(passes('203.0.113.9', {})).toBe(true);
    expect(passes('2001:db8::1', {})).toBe(true);
  });

  it('refuses an IPv4 address in a deny subnet and lets others through', () => {
    const config = { deny: ['10.0.0.0/8'] };
    expect(passes('10.1.2.3', config)).toBe(false);
    expect(passes('192.0.2.1', config)).toBe(true);
    expect(passes('2001:db8::1', config)).toBe(true);
  });

  it('lets only allowed addresses through once allow has an entry', () => {
    const config = { allow: ['192.0.2.7', '2001:db8::/32'] };
    expect(passes('192.0.2.7', config)).toBe(true);
    expect(passes('192.0.2.8', config)).toBe(false);
    expect(passes('2001:db8:ffff::1', config)).toBe(true);
    expect(passes('2001:db9::1', config)).toBe(false);
  });

  it('includes both ends of a CIDR and nothing past them', () => {
    const v4 = { allow: ['192.168.4.0/22'] };
    expect([
      passes('192.168.3.255', v4),
      passes('192.168.4.0', v4),
      passes('192.168.7.255', v4),
      passes('192.168.8.0', v4),
    ]).toEqual([false, true, true, false]);
    const v6 = { allow: ['2001:db8:0:100::/56'] };
    expect([
      passes('2001:db8:0:ff:ffff:ffff:ffff:ffff', v6),
      passes('2001:db8:0:100::', v6),
      passes('2001:db8:0:1ff:ffff:ffff:ffff:ffff', v6),
      passes('2001:db8:0:200::', v6),
    ]).toEqual([false, true, true, false]);
  });

  it('matches IPv6 addresses whatever their spelling', () => {
    expect(passes('2001:DB8:0:0:0:0:0:1', { deny: ['2001:db8::1'] })).toBe(false);
  });

  it('matches an IPv4-mapped IPv6 client address against IPv4 rules', () => {
    expect(passes('::ffff:10.1.2.3', { deny: ['10.0.0.0/8'] })).toBe(false);
    expect(passes('::ffff:a01:203', { deny: ['10.1.2.3'] })).toBe(false);
    expect(passes('::ffff:10.1.2.3', { allow: ['10.0.0.0/8'] })).toBe(true);
    expect(passes('::ffff:192.0.2.1', { allow: ['10.0.0.0/8'] })).toBe(false);
  });

  it('lets deny win over allow', () => {
    const config = { allow: ['10.0.0.0/8'], deny: ['10.0.5.0/24'] };
    expect(passes('10.0.4.1', config)).toBe(true);
    expect(passes('10.0.5.1', config)).toBe(false);
  });

  it('refuses a client address it cannot read when any rule is set', () => {
    expect(passes('', { deny: ['10.0.0.0/8'] })).toBe(false);
    expect(passes('', {})).toBe(true);
  });

  it('treats /0 as every address of its family only', () => {
    expect(passes('198.51.100.1', { deny: ['0.0.0.0/0'] })).toBe(false);
    expect(passes('2001:db8::1', { deny: ['0.0.0.0/0'] })).toBe(true);
    expect(passes('2001:db8::1', { deny: ['::/0'] })).toBe(false);
  });

  it('is synchronous', () => {
    expect(outcome('10.1.2.3', { deny: ['10.0.0.0/8'] })).not.toBeInstanceOf(Promise);
  });

  it('refuses a bad entry and names it by its path', () => {
    for (const bad of [
      '10.0.0.0/33',
      '2001:db8::/129',
      '10.0.0',
      '010.0.0.1',
      'fe80::1%eth0',
      '10.0.0.0/',
      'any',
    ]) {
      const result = ipRestriction.schema.safeParse({ allow: ['10.0.0.0/8'], deny: ['::1', bad] });
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues).toMatchObject([
        {
          path: ['deny', 1],
          message: 'must be an IP address or CIDR such as 10.0.0.0/8, 192.0.2.7 or 2001:db8::/32',
        },
      ]);
    }
  });

  it('rejects unknown config fields and more than 1000 entries', () => {
    expect(ipRestriction.schema.safeParse({ whitelist: ['10.0.0.0/8'] }).success).toBe(false);
    expect(ipRestriction.schema.safeParse({ deny: Array(1001).fill('10.0.0.1') }).success).toBe(false);
  });
});
