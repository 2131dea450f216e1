import { describe, expect, it } from 'vitest';
import { generateBasicPassword, hashSecret } from '../../shared/secrets.ts';
import type { ApplicationRecord, CredentialRecord } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { basicAuth } from './policy.ts';

const required = { credentialOptional: false };
const optional = { credentialOptional: true };

const password = generateBasicPassword();
const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};
const alice: CredentialRecord = {
  id: 'crd_1',
  applicationId: 'app_1',
  hash: hashSecret(password),
  expiresAt: null,
};
const known = { credentials: { 'basic alice': alice }, applications: [app] };

function basic(userPass: string): Record<string, string> {
  return { authorization: `Basic ${Buffer.from(userPass).toString('base64')}` };
}

function run(init: Parameters<typeof testContext>[0], config: unknown = {}, options = required) {
  const ctx = testContext(init);
  const outcome = basicAuth.create(basicAuth.schema.parse(config), options)(ctx);
  return { ctx, outcome };
}

function problemOf(outcome: unknown) {
  return outcome as { code?: string; detail?: string; headers?: Record<string, string> } | undefined;
}

describe('basic-auth', () => {
  it('accepts a known username and password, sets the consumer and removes the header', () => {
    const { ctx, outcome } = run({ ...known, headers: basic(`alice:${password}`) });
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', accountId: 'acc_1', planId: undefined });
    expect(ctx.consumer?.subject).toBeUndefined(); // the username names the application, not a user
    expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
  });

  it('is synchronous', () => {
    expect(run({ ...known, headers: basic(`alice:${password}`) }).outcome).not.toBeInstanceOf(Promise);
  });

  it('reads the scheme in any case and the username up to the first colon', () => {
    const token = Buffer.from(`alice:${password}`).toString('base64');
    expect(run({ ...known, headers: { authorization: `bAsIc ${token}` } }).outcome).toBeUndefined();
    const credentials = { 'basic ali': { ...alice } };
    // "ali" with the password "ce:…": the password is not well formed, so not "alice".
    const split = run({ credentials, applications: [app], headers: basic(`ali:ce:${password}`) });
    expect(problemOf(split.outcome)?.code).toBe('credentials-invalid');
  });

  it('answers credential-missing with a Basic challenge when no Basic credentials are sent', () => {
    const sent: Record<string, string>[] = [
      {},
      { authorization: 'Bearer abc.def.ghi' },
      { authorization: 'Digest x' },
    ];
    for (const headers of sent) {
      const outcome = problemOf(run({ ...known, headers }).outcome);
      expect(outcome?.code).toBe('credential-missing');
      expect(outcome?.headers).toEqual({ 'www-authenticate': 'Basic realm="turnpike", charset="UTF-8"' });
    }
  });

  it('names the configured realm in its challenge', () => {
    const outcome = problemOf(run(known, { realm: 'Orders API' }).outcome);
    expect(outcome?.headers?.['www-authenticate']).toBe('Basic realm="Orders API", charset="UTF-8"');
    expect(basicAuth.credential({ realm: 'Orders API' }).challenge).toBe(
      'Basic realm="Orders API", charset="UTF-8"',
    );
  });

  it('answers credentials-invalid to a header that is not base64 of username:password', () => {
    const malformed = [
      'Basic',
      'Basic ',
      'Basic !!!!',
      'Basic YWxpY2U', // unpadded
      `Basic ${Buffer.from(`alice${password}`).toString('base64')}`, // no colon
      `Basic ${Buffer.from([0x61, 0xff, 0x3a, 0x61]).toString('base64')}`, // not UTF-8
    ];
    for (const authorization of malformed) {
      const outcome = problemOf(run({ ...known, headers: { authorization } }).outcome);
      expect(outcome?.code, authorization).toBe('credentials-invalid');
      expect(outcome?.detail).toMatch(/not "Basic" followed by the base64/);
      expect(outcome?.headers?.['www-authenticate']).toBe('Basic realm="turnpike", charset="UTF-8"');
    }
  });

  it('answers credentials-invalid to a password that is not a Turnpike password, before any lookup', () => {
    let lookups = 0;
    const ctx = testContext({ headers: basic('alice:hunter2') });
    const counting = {
      ...ctx,
      credentials: { ...ctx.credentials, credential: () => void lookups++ },
    };
    const outcome = problemOf(basicAuth.create(basicAuth.schema.parse({}), required)(counting));
    expect(outcome?.code).toBe('credentials-invalid');
    expect(outcome?.detail).toMatch(/shape of a Turnpike password/);
    expect(lookups).toBe(0);
  });

  it('gives an unknown username and a wrong password the same answer', () => {
    const unknownUser = problemOf(run({ ...known, headers: basic(`bob:${password}`) }).outcome);
    const wrongPassword = problemOf(
      run({ ...known, headers: basic(`alice:${generateBasicPassword()}`) }).outcome,
    );
    expect(unknownUser?.code).toBe('credentials-invalid');
    expect(wrongPassword).toEqual(unknownUser);
  });

  it('refuses a record without a password hash', () => {
    const credentials = { 'basic alice': { ...alice, hash: null } };
    const outcome = problemOf(
      run({ credentials, applications: [app], headers: basic(`alice:${password}`) }).outcome,
    );
    expect(outcome?.code).toBe('credentials-invalid');
  });

  it('says the credential expired only once the password is right', () => {
    const credentials = { 'basic alice': { ...alice, expiresAt: Date.now() - 1 } };
    const right = problemOf(
      run({ credentials, applications: [app], headers: basic(`alice:${password}`) }).outcome,
    );
    expect(right?.code).toBe('credentials-invalid');
    expect(right?.detail).toMatch(/expired/);
    const wrong = problemOf(
      run({ credentials, applications: [app], headers: basic(`alice:${generateBasicPassword()}`) }).outcome,
    );
    expect(wrong?.detail).not.toMatch(/expired/);
  });

  it('accepts a credential whose expiry is still ahead', () => {
    const credentials = { 'basic alice': { ...alice, expiresAt: Date.now() + 60_000 } };
    expect(
      run({ credentials, applications: [app], headers: basic(`alice:${password}`) }).outcome,
    ).toBeUndefined();
  });

  it('answers application-inactive for a suspended or unknown application', () => {
    const suspended = run({
      ...known,
      applications: [{ ...app, active: false }],
      headers: basic(`alice:${password}`),
    });
    const unknown = run({ ...known, applications: [], headers: basic(`alice:${password}`) });
    expect(problemOf(suspended.outcome)?.code).toBe('application-inactive');
    expect(problemOf(unknown.outcome)?.code).toBe('application-inactive');
    expect(suspended.ctx.consumer).toBeUndefined();
  });

  describe('beside other ways in', () => {
    const other = testConsumer({ applicationId: 'app_2', accountId: 'acc_2' });

    it('lets a request without Basic credentials pass untouched', () => {
      const { ctx, outcome } = run({ ...known, headers: { authorization: 'Bearer t' } }, {}, optional);
      expect(outcome).toBeUndefined();
      expect(ctx.consumer).toBeUndefined();
      expect(ctx.upstreamHeaders.has('authorization')).toBe(false); // the bearer token is jwt's
    });

    it('still refuses bad Basic credentials', () => {
      const { outcome } = run({ ...known, headers: basic(`alice:${generateBasicPassword()}`) }, {}, optional);
      expect(problemOf(outcome)?.code).toBe('credentials-invalid');
    });

    it('does not check Basic credentials once another policy identified the caller, but strips them', () => {
      const headers = basic('mallory:not-a-password');
      const { ctx, outcome } = run({ ...known, consumer: other, headers }, {}, optional);
      expect(outcome).toBeUndefined();
      expect(ctx.consumer?.applicationId).toBe('app_2');
      expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
    });
  });

  it('describes its credential for the combined challenge', () => {
    expect(basicAuth.credential(basicAuth.schema.parse({}))).toEqual({
      description: 'a username and password (HTTP Basic)',
      challenge: 'Basic realm="turnpike", charset="UTF-8"',
    });
  });

  it('rejects unknown config fields and realms that would break the challenge', () => {
    expect(basicAuth.schema.safeParse({ relm: 'x' }).success).toBe(false);
    for (const realm of ['', 'say "hi"', 'back\\slash', 'new\nline', 'é', 'x'.repeat(65)]) {
      expect(basicAuth.schema.safeParse({ realm }).success, realm).toBe(false);
    }
    expect(basicAuth.schema.parse({ realm: 'Orders API (v1)' }).realm).toBe('Orders API (v1)');
  });
});
