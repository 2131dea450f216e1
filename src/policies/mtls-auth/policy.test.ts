import { describe, expect, it } from 'vitest';
import type { ApplicationRecord, ClientCertificate, CredentialRecord } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { mtlsAuth } from './policy.ts';

const required = { credentialOptional: false };
const optional = { credentialOptional: true };

const fingerprint = 'ab'.repeat(32);
const trusted: ClientCertificate = { fingerprint, authorized: true };
const selfSigned: ClientCertificate = { fingerprint, authorized: false };
const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};
const registered: CredentialRecord = { id: 'crd_1', applicationId: 'app_1', hash: null, expiresAt: null };
const known = { credentials: { [`mtls ${fingerprint}`]: registered }, applications: [app] };
const challenge = { 'www-authenticate': 'ClientCertificate realm="turnpike"' };

function run(init: Parameters<typeof testContext>[0], config: unknown = {}, options = required) {
  const ctx = testContext(init);
  const outcome = mtlsAuth.create(mtlsAuth.schema.parse(config), options)(ctx);
  return { ctx, outcome };
}

function problemOf(outcome: unknown) {
  return outcome as { code?: string; detail?: string; headers?: Record<string, string> } | undefined;
}

describe('mtls-auth', () => {
  it('accepts a registered certificate and sets the consumer', () => {
    const { ctx, outcome } = run({ ...known, clientCertificate: selfSigned });
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', accountId: 'acc_1', planId: undefined });
    expect(ctx.upstreamHeaders.size).toBe(0); // the certificate stays on the client's connection
  });

  it('is synchronous', () => {
    expect(run({ ...known, clientCertificate: trusted }).outcome).not.toBeInstanceOf(Promise);
  });

  it('answers credential-missing with its challenge when the client presented no certificate', () => {
    const outcome = problemOf(run(known).outcome);
    expect(outcome?.code).toBe('credential-missing');
    expect(outcome?.detail).toMatch(/client certificate on the HTTPS port/);
    expect(outcome?.headers).toEqual(challenge);
  });

  it('answers certificate-invalid for a certificate nobody registered', () => {
    const stranger = { fingerprint: 'cd'.repeat(32), authorized: true };
    const outcome = problemOf(run({ ...known, clientCertificate: stranger }).outcome);
    expect(outcome?.code).toBe('certificate-invalid');
    expect(outcome?.detail).toMatch(/not registered/);
    expect(outcome?.headers).toEqual(challenge);
  });

  it('with requireTrustedCa, refuses a registered certificate the listener does not trust, before any lookup', () => {
    let lookups = 0;
    const ctx = testContext({ ...known, clientCertificate: selfSigned });
    const counting = { ...ctx, credentials: { ...ctx.credentials, credential: () => void lookups++ } };
    const handler = mtlsAuth.create(mtlsAuth.schema.parse({ requireTrustedCa: true }), required);
    const outcome = problemOf(handler(counting));
    expect(outcome?.code).toBe('certificate-invalid');
    expect(outcome?.detail).toMatch(/does not chain/);
    expect(lookups).toBe(0);
    expect(run({ ...known, clientCertificate: trusted }, { requireTrustedCa: true }).outcome).toBeUndefined();
  });

  it('answers certificate-invalid once the credential has expired', () => {
    const credentials = { [`mtls ${fingerprint}`]: { ...registered, expiresAt: Date.now() - 1 } };
    const outcome = problemOf(run({ credentials, applications: [app], clientCertificate: trusted }).outcome);
    expect(outcome?.code).toBe('certificate-invalid');
    expect(outcome?.detail).toMatch(/expired/);
  });

  it('answers application-inactive for a suspended or unknown application', () => {
    const suspended = run({
      ...known,
      applications: [{ ...app, active: false }],
      clientCertificate: trusted,
    });
    const unknown = run({ ...known, applications: [], clientCertificate: trusted });
    expect(problemOf(suspended.outcome)?.code).toBe('application-inactive');
    expect(problemOf(unknown.outcome)?.code).toBe('application-inactive');
    expect(suspended.ctx.consumer).toBeUndefined();
  });

  describe('beside other ways in', () => {
    it('lets a request without a certificate pass untouched', () => {
      const { ctx, outcome } = run(known, {}, optional);
      expect(outcome).toBeUndefined();
      expect(ctx.consumer).toBeUndefined();
    });

    it('still refuses a certificate nobody registered', () => {
      const stranger = { fingerprint: 'cd'.repeat(32), authorized: true };
      expect(problemOf(run({ ...known, clientCertificate: stranger }, {}, optional).outcome)?.code).toBe(
        'certificate-invalid',
      );
    });

    it('does not check the certificate once another policy identified the caller', () => {
      const other = testConsumer({ applicationId: 'app_2', accountId: 'acc_2' });
      const stranger = { fingerprint: 'cd'.repeat(32), authorized: false };
      const { ctx, outcome } = run({ ...known, consumer: other, clientCertificate: stranger }, {}, optional);
      expect(outcome).toBeUndefined();
      expect(ctx.consumer?.applicationId).toBe('app_2');
    });
  });

  it('describes its credential for the combined challenge', () => {
    expect(mtlsAuth.credential()).toEqual({
      description: 'a client certificate on the HTTPS port',
      challenge: 'ClientCertificate realm="turnpike"',
    });
  });

  it('rejects unknown config fields', () => {
    expect(mtlsAuth.schema.safeParse({ requireTrustedCA: true }).success).toBe(false);
    expect(mtlsAuth.schema.safeParse({ requireTrustedCa: 'yes' }).success).toBe(false);
  });
});
