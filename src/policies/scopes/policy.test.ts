import { describe, expect, it } from 'vitest';
import type { Consumer } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { scopes } from './policy.ts';

// An API key grants no scopes.
const keyConsumer = testConsumer({ applicationId: 'app_1', accountId: 'acc_1' });

function token(...granted: string[]): Consumer {
  return { ...keyConsumer, subject: 'user-1', scopes: new Set(granted) };
}

function run(config: unknown, consumer: Consumer | undefined) {
  const ctx = testContext(consumer ? { consumer } : {});
  return scopes.create(scopes.schema.parse(config))(ctx);
}

function code(outcome: unknown): string | undefined {
  return (outcome as { code?: string } | undefined)?.code;
}

describe('scopes', () => {
  const both = { required: ['orders:read', 'orders:write'] };

  it('lets every request through when no scope is required', () => {
    expect(run({}, undefined)).toBeUndefined();
    expect(run({}, keyConsumer)).toBeUndefined();
    expect(run({ match: 'any' }, token())).toBeUndefined();
  });

  it('is synchronous', () => {
    expect(run(both, token('orders:read'))).not.toBeInstanceOf(Promise);
  });

  it('needs every required scope by default', () => {
    expect(run(both, token('orders:read', 'orders:write', 'profile'))).toBeUndefined();
    expect(run(both, token('orders:read'))).toMatchObject({ kind: 'problem', code: 'scope-insufficient' });
    expect(code(run(both, token()))).toBe('scope-insufficient');
  });

  it('needs one of the required scopes with match any', () => {
    const any = { ...both, match: 'any' };
    expect(run(any, token('orders:write'))).toBeUndefined();
    expect(run(any, token('orders:read'))).toBeUndefined();
    expect(code(run(any, token('profile')))).toBe('scope-insufficient');
  });

  it('refuses an API-key consumer, whose credential carries no scopes', () => {
    expect(run(both, keyConsumer)).toMatchObject({
      code: 'scope-insufficient',
      detail: expect.stringContaining('grants no scopes'),
    });
  });

  it('refuses a request no authenticate policy identified', () => {
    expect(code(run({ required: ['orders:read'] }, undefined))).toBe('scope-insufficient');
  });

  it('names the required scopes in an RFC 6750 challenge', () => {
    const challenge = 'Bearer realm="turnpike", error="insufficient_scope", scope="orders:read orders:write"';
    for (const consumer of [token('orders:read'), keyConsumer, undefined]) {
      expect(run(both, consumer)).toMatchObject({ headers: { 'www-authenticate': challenge } });
    }
  });

  it('says whether all or one of the scopes are needed', () => {
    expect(run(both, token())).toMatchObject({
      detail: 'The token does not grant the scopes orders:read orders:write.',
    });
    expect(run({ ...both, match: 'any' }, token())).toMatchObject({
      detail: 'The token grants none of the scopes orders:read orders:write.',
    });
  });

  it('refuses scope tokens RFC 6749 does not allow, and unknown fields', () => {
    for (const bad of ['orders read', 'say"hi"', 'back\\slash', '', 'naïve']) {
      expect(scopes.schema.safeParse({ required: [bad] }).success, bad).toBe(false);
    }
    expect(scopes.schema.safeParse({ required: ['https://api.example.com/orders.read'] }).success).toBe(true);
    expect(scopes.schema.safeParse({ match: 'some' }).success).toBe(false);
    expect(scopes.schema.safeParse({ scopes: ['orders:read'] }).success).toBe(false);
  });
});
