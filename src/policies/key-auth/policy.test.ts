import { describe, expect, it } from 'vitest';
import { generateApiKey, hashSecret } from '../../shared/secrets.ts';
import type { ApplicationRecord } from '../context.ts';
import { testContext } from '../test-context.ts';
import { keyAuth } from './policy.ts';

const required = { credentialOptional: false };

const key = generateApiKey('test');
const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};

function run(init: Parameters<typeof testContext>[0], config: unknown = {}) {
  const ctx = testContext(init);
  const outcome = keyAuth.create(keyAuth.schema.parse(config), required)(ctx);
  return { ctx, outcome };
}

function code(outcome: unknown): string | undefined {
  return (outcome as { code?: string } | undefined)?.code;
}

describe('key-auth', () => {
  const known = {
    keys: { [hashSecret(key)]: { id: 'key_1', applicationId: 'app_1', expiresAt: null } },
    applications: [app],
  };

  it('accepts a known key, sets the consumer and removes the key header', () => {
    const { ctx, outcome } = run({ ...known, headers: { 'X-API-Key': key } });
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', accountId: 'acc_1', planId: undefined });
    expect(ctx.consumer?.subject).toBeUndefined(); // keys name no end user
    expect(ctx.upstreamHeaders.get('x-api-key')).toBeNull();
    expect(ctx.usedKeys).toEqual(['key_1']); // for the key's "last used" time
  });

  it('counts no use of a key it refuses', () => {
    const keys = { [hashSecret(key)]: { id: 'key_1', applicationId: 'app_1', expiresAt: Date.now() - 1 } };
    const expired = run({ keys, applications: [app], headers: { 'x-api-key': key } });
    const inactive = run({
      ...known,
      applications: [{ ...app, active: false }],
      headers: { 'x-api-key': key },
    });
    expect([expired.ctx.usedKeys, inactive.ctx.usedKeys]).toEqual([[], []]);
  });

  it('checks each request of a connection on its own key, whatever the previous one sent', () => {
    const connection = {};
    const other = generateApiKey('test');
    const revoked = { ...known, keys: {} };
    const first = run({ ...known, connection, headers: { 'x-api-key': key } });
    const unknown = run({ ...known, connection, headers: { 'x-api-key': other } });
    const malformed = run({ ...known, connection, headers: { 'x-api-key': `${key.slice(0, -1)}x` } });
    const again = run({ ...known, connection, headers: { 'x-api-key': key } });
    const afterRevocation = run({ ...revoked, connection, headers: { 'x-api-key': key } });
    expect(first.outcome).toBeUndefined();
    expect(code(unknown.outcome)).toBe('key-invalid');
    expect(code(malformed.outcome)).toBe('key-malformed');
    expect(again.outcome).toBeUndefined();
    expect(code(afterRevocation.outcome)).toBe('key-invalid');
  });

  it('is synchronous', () => {
    const { outcome } = run({ ...known, headers: { 'X-API-Key': key } });
    expect(outcome).not.toBeInstanceOf(Promise);
  });

  it('answers key-missing with a challenge when no key is sent', () => {
    const { outcome } = run(known);
    expect(code(outcome)).toBe('key-missing');
    expect(outcome).toMatchObject({ headers: { 'www-authenticate': 'Key header="X-API-Key"' } });
  });

  it('answers key-malformed before any lookup', () => {
    let lookups = 0;
    // The last character changed (to one it is not: the key is random), so the checksum fails.
    const broken = `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;
    const ctx = testContext({ headers: { 'x-api-key': broken } });
    const counting = { ...ctx, credentials: { ...ctx.credentials, apiKey: () => void lookups++ } };
    const outcome = keyAuth.create(keyAuth.schema.parse({}), required)(counting);
    expect(code(outcome)).toBe('key-malformed');
    expect(lookups).toBe(0);
  });

  it('answers key-invalid for a well-formed key nobody issued', () => {
    expect(code(run({ ...known, headers: { 'x-api-key': generateApiKey('test') } }).outcome)).toBe(
      'key-invalid',
    );
  });

  it('answers key-expired once the expiry has passed', () => {
    const keys = { [hashSecret(key)]: { id: 'key_1', applicationId: 'app_1', expiresAt: Date.now() - 1 } };
    expect(code(run({ keys, applications: [app], headers: { 'x-api-key': key } }).outcome)).toBe(
      'key-expired',
    );
  });

  it('answers application-inactive for a suspended application', () => {
    const applications = [{ ...app, active: false }];
    expect(code(run({ ...known, applications, headers: { 'x-api-key': key } }).outcome)).toBe(
      'application-inactive',
    );
  });

  it('reads a configured header', () => {
    const { outcome, ctx } = run({ ...known, headers: { apikey: key } }, { header: 'ApiKey' });
    expect(outcome).toBeUndefined();
    expect(ctx.upstreamHeaders.get('apikey')).toBeNull();
  });

  it('ignores the query string unless a query parameter is configured', () => {
    expect(code(run({ ...known, query: { api_key: key } }).outcome)).toBe('key-missing');
    const { outcome, ctx } = run({ ...known, query: { api_key: key } }, { queryParam: 'api_key' });
    expect(outcome).toBeUndefined();
    expect(ctx.removedQueryParams).toEqual(['api_key']);
  });

  it('rejects unknown config fields and bad header names', () => {
    expect(keyAuth.schema.safeParse({ headr: 'x' }).success).toBe(false);
    expect(keyAuth.schema.safeParse({ header: 'X Key' }).success).toBe(false);
  });
});
