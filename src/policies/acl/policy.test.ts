import { describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.ts';
import type { Consumer } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { acl } from './policy.ts';

const globex = { accountId: newId('account'), applicationId: newId('application') };
const initech = { accountId: newId('account'), applicationId: newId('application') };

function consumer(of: typeof globex, tier = 'standard'): Consumer {
  return testConsumer({ ...of, tier });
}

function run(config: unknown, caller: Consumer | undefined) {
  const ctx = testContext(caller ? { consumer: caller } : {});
  return acl.create(acl.schema.parse(config))(ctx);
}

function code(outcome: unknown): string | undefined {
  return (outcome as { code?: string } | undefined)?.code;
}

describe('acl', () => {
  it('lets every caller through with the default config', () => {
    expect(run({}, consumer(globex))).toBeUndefined();
    expect(run({}, undefined)).toBeUndefined();
  });

  it('is synchronous', () => {
    expect(run({ deny: { tiers: ['standard'] } }, consumer(globex))).not.toBeInstanceOf(Promise);
  });

  it('refuses a denied application', () => {
    const config = { deny: { applications: [globex.applicationId] } };
    expect(run(config, consumer(globex))).toMatchObject({ kind: 'problem', code: 'access-denied' });
    expect(run(config, consumer(initech))).toBeUndefined();
  });

  it('refuses every application of a denied account', () => {
    const config = { deny: { accounts: [globex.accountId] } };
    expect(code(run(config, consumer(globex)))).toBe('access-denied');
    expect(run(config, consumer(initech))).toBeUndefined();
  });

  it('refuses a denied tier', () => {
    const config = { deny: { tiers: ['sandbox'] } };
    expect(code(run(config, consumer(globex, 'sandbox')))).toBe('access-denied');
    expect(run(config, consumer(globex, 'gold'))).toBeUndefined();
  });

  it('refuses callers that match no allow entry', () => {
    const config = { allow: { tiers: ['gold'] } };
    expect(run(config, consumer(globex, 'gold'))).toBeUndefined();
    expect(code(run(config, consumer(initech)))).toBe('access-denied');
  });

  it('lets a caller through that matches any one allow entry', () => {
    const config = { allow: { accounts: [globex.accountId], applications: [initech.applicationId] } };
    expect(run(config, consumer(globex))).toBeUndefined();
    expect(run(config, consumer(initech))).toBeUndefined();
    const other = { accountId: newId('account'), applicationId: newId('application') };
    expect(code(run(config, consumer(other)))).toBe('access-denied');
  });

  it('lets deny win over allow', () => {
    const config = { allow: { tiers: ['gold'] }, deny: { applications: [globex.applicationId] } };
    expect(code(run(config, consumer(globex, 'gold')))).toBe('access-denied');
    expect(run(config, consumer(initech, 'gold'))).toBeUndefined();
  });

  it('refuses a request without a credential when there is an allow list', () => {
    expect(code(run({ allow: { tiers: ['gold'] } }, undefined))).toBe('access-denied');
  });

  it('lets a request without a credential through when there are only deny lists', () => {
    expect(run({ deny: { tiers: ['sandbox'], accounts: [globex.accountId] } }, undefined)).toBeUndefined();
  });

  it('refuses names where ids belong, unknown fields and overlong lists', () => {
    expect(acl.schema.safeParse({ allow: { accounts: ['globex'] } }).success).toBe(false);
    expect(acl.schema.safeParse({ deny: { applications: [globex.accountId] } }).success).toBe(false);
    expect(acl.schema.safeParse({ allow: { tier: ['gold'] } }).success).toBe(false);
    expect(acl.schema.safeParse({ allow: { tiers: ['gold '] } }).success).toBe(false);
    expect(acl.schema.safeParse({ allow: { tiers: Array(1001).fill('gold') } }).success).toBe(false);
  });
});
