import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateHmacSecret } from '../../shared/secrets.ts';
import type { ApplicationRecord, CredentialRecord } from '../context.ts';
import { testConsumer, testContext } from '../test-context.ts';
import { hmacAuth } from './policy.ts';

const required = { credentialOptional: false };
const optional = { credentialOptional: true };

const secret = generateHmacSecret();
const app: ApplicationRecord = {
  id: 'app_1',
  accountId: 'acc_1',
  tier: 'standard',
  active: true,
  grants: new Map(),
};
const key1: CredentialRecord = {
  id: 'crd_1',
  applicationId: 'app_1',
  hash: null,
  secret,
  expiresAt: null,
};
const known = { credentials: { 'hmac key1': key1 }, applications: [app] };

interface Signing {
  method?: string;
  /** The request target as sent: path and query. */
  target?: string;
  /** Headers sent besides Authorization; a `date` of now unless given. */
  headers?: Record<string, string>;
  signed?: string[];
  algorithm?: string;
  keyId?: string;
  key?: string;
}

/** Signs the way a Kong hmac-auth client does, and returns the testContext init for the request. */
function signed(options: Signing = {}) {
  const method = options.method ?? 'GET';
  const target = options.target ?? '/orders';
  const headers: Record<string, string> = { date: new Date().toUTCString(), ...options.headers };
  const names = options.signed ?? ['@request-target', 'date'];
  const algorithm = options.algorithm ?? 'hmac-sha256';
  const signingString = names
    .map((name) =>
      name === '@request-target'
        ? `@request-target: ${method.toLowerCase()} ${target}`
        : `${name}: ${headers[name]}`,
    )
    .join('\n');
  const signature = createHmac(algorithm.replace('hmac-', ''), options.key ?? secret)
    .update(signingString)
    .digest('base64');
  const authorization = `hmac username="${options.keyId ?? 'key1'}", algorithm="${algorithm}", headers="${names.join(' ')}", signature="${signature}"`;
  return {
    method,
    path: target.split('?')[0],
    requestTarget: target,
    headers: { ...headers, authorization },
  };
}

function run(init: Parameters<typeof testContext>[0], config: unknown = {}, options = required) {
  const ctx = testContext(init);
  const outcome = hmacAuth.create(hmacAuth.schema.parse(config), options)(ctx);
  return { ctx, outcome };
}

function problemOf(outcome: unknown) {
  return outcome as { code?: string; detail?: string; headers?: Record<string, string> } | undefined;
}

/** The outcome of a signed request, with a header of the signed request changed afterwards. */
function tampered(options: Signing, change: Record<string, string>, config: unknown = {}) {
  const request = signed(options);
  return problemOf(run({ ...known, ...request, headers: { ...request.headers, ...change } }, config).outcome);
}

const challenge = 'hmac realm="turnpike", headers="@request-target date"';

afterEach(() => {
  vi.useRealTimers();
});

describe('hmac-auth', () => {
  it('accepts a signature made with the secret, sets the consumer and removes the header', () => {
    const { ctx, outcome } = run({ ...known, ...signed() });
    expect(outcome).toBeUndefined();
    expect(ctx.consumer).toMatchObject({ applicationId: 'app_1', accountId: 'acc_1', planId: undefined });
    expect(ctx.consumer?.subject).toBeUndefined();
    expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
  });

  it('is synchronous', () => {
    expect(run({ ...known, ...signed() }).outcome).not.toBeInstanceOf(Promise);
  });

  it('covers the method and the request target as sent, query included', () => {
    const request = signed({ method: 'DELETE', target: '/orders/7?force=true&b=%2F' });
    expect(run({ ...known, ...request }).outcome).toBeUndefined();
    const otherQuery = { ...request, requestTarget: '/orders/7?force=false&b=%2F' };
    expect(problemOf(run({ ...known, ...otherQuery }).outcome)?.code).toBe('signature-invalid');
    const otherMethod = { ...request, method: 'GET' };
    expect(problemOf(run({ ...known, ...otherMethod }).outcome)?.code).toBe('signature-invalid');
  });

  it('accepts each configured algorithm, and hmac-sha256 when none is named', () => {
    for (const algorithm of ['hmac-sha256', 'hmac-sha384', 'hmac-sha512']) {
      expect(run({ ...known, ...signed({ algorithm }) }).outcome, algorithm).toBeUndefined();
    }
    const request = signed();
    const authorization = request.headers.authorization.replace(' algorithm="hmac-sha256",', '');
    expect(
      run({ ...known, ...request, headers: { ...request.headers, authorization } }).outcome,
    ).toBeUndefined();
  });

  it('reads the scheme in any case, Signature too, and the parameters in any order', () => {
    const request = signed();
    const sent = request.headers.authorization;
    const params = sent.slice('hmac '.length).split(', ');
    const variants = [
      `HMAC ${params.join(', ')}`,
      `Signature ${params.join(',')}`,
      `hmac   ${[...params].reverse().join(' ,  ')}  `,
      `hmac ${params.join(', ').replace('username=', 'keyId=')}`,
      `hmac ${params.join(', ').replace('username=', 'UserName=')}, created="1700000000"`,
    ];
    for (const authorization of variants) {
      const outcome = run({ ...known, ...request, headers: { ...request.headers, authorization } }).outcome;
      expect(outcome, authorization).toBeUndefined();
    }
  });

  it('answers credential-missing with its challenge when no signature is sent', () => {
    const sent: Record<string, string>[] = [
      {},
      { authorization: 'Bearer abc.def.ghi' },
      { authorization: 'Basic YTpi' },
    ];
    for (const headers of sent) {
      const outcome = problemOf(run({ ...known, headers }).outcome);
      expect(outcome?.code).toBe('credential-missing');
      expect(outcome?.detail).toMatch(/headers="@request-target date"/);
      expect(outcome?.headers).toEqual({ 'www-authenticate': challenge });
    }
  });

  it('names the headers it requires in its challenge, date among them', () => {
    const config = hmacAuth.schema.parse({ enforceHeaders: ['@request-target', 'content-type'] });
    expect(hmacAuth.credential(config).challenge).toBe(
      'hmac realm="turnpike", headers="@request-target content-type date"',
    );
    const xDate = hmacAuth.schema.parse({ enforceHeaders: ['x-date'] });
    expect(hmacAuth.credential(xDate).challenge).toBe('hmac realm="turnpike", headers="x-date"');
  });

  it('answers signature-invalid to an Authorization header that does not parse, before any lookup', () => {
    const request = signed();
    const sent = request.headers.authorization;
    const signature = /signature="([^"]+)"/.exec(sent)?.[1] ?? '';
    const params = `username="key1", algorithm="hmac-sha256", headers="@request-target date"`;
    const malformed = [
      'hmac',
      'hmac ',
      `hmac ${params}`, // no signature
      `hmac algorithm="hmac-sha256", headers="date", signature="${signature}"`, // no key id
      `hmac keyId="key1", ${params}, signature="${signature}"`, // two key ids
      `hmac ${params}, signature="${signature}", signature="${signature}"`,
      `hmac username=key1, algorithm="hmac-sha256", headers="date", signature="${signature}"`, // unquoted
      `hmac ${params}, signature="${signature}",`,
      `hmac ${params} signature="${signature}"`, // no comma
      `hmac username="", algorithm="hmac-sha256", headers="date", signature="${signature}"`,
      `hmac username="key1", algorithm="hmac-sha256", headers="", signature="${signature}"`,
      `hmac username="key1", algorithm="hmac-sha256", headers="@request-target Date", signature="${signature}"`,
      `hmac username="key1", algorithm="hmac-sha256", headers="(request-target) date", signature="${signature}"`,
      `hmac ${params}, signature="${signature.replace(/=+$/, '')}"`, // unpadded
      `hmac ${params}, signature="not base64!"`,
      `hmac ${params}, signature=""`,
      `hmac username="k\\"1", algorithm="hmac-sha256", headers="date", signature="${signature}"`,
    ];
    for (const authorization of malformed) {
      let lookups = 0;
      const ctx = testContext({ ...known, ...request, headers: { ...request.headers, authorization } });
      const counting = { ...ctx, credentials: { ...ctx.credentials, credential: () => void lookups++ } };
      const outcome = problemOf(hmacAuth.create(hmacAuth.schema.parse({}), required)(counting));
      expect(outcome?.code, authorization).toBe('signature-invalid');
      expect(outcome?.detail, authorization).toMatch(/is not "hmac" followed by/);
      expect(outcome?.headers?.['www-authenticate']).toBe(challenge);
      expect(lookups).toBe(0);
    }
  });

  it('refuses an algorithm the API does not accept', () => {
    const sha1 = problemOf(run({ ...known, ...signed({ algorithm: 'hmac-sha1' }) }).outcome);
    expect(sha1?.code).toBe('signature-invalid');
    expect(sha1?.detail).toMatch(
      /algorithm is not one this API accepts: hmac-sha256, hmac-sha384, hmac-sha512/,
    );
    const only256 = { algorithms: ['hmac-sha256'] };
    const sha512 = problemOf(run({ ...known, ...signed({ algorithm: 'hmac-sha512' }) }, only256).outcome);
    expect(sha512?.detail).toMatch(/accepts: hmac-sha256\.$/);
  });

  it('refuses a signature that leaves out a header the API requires', () => {
    const dateOnly = problemOf(run({ ...known, ...signed({ signed: ['date'] }) }).outcome);
    expect(dateOnly?.code).toBe('signature-invalid');
    expect(dateOnly?.detail).toMatch(/must list @request-target date\./);
    const config = { enforceHeaders: ['@request-target', 'date', 'content-type'] };
    const withoutType = problemOf(
      run({ ...known, ...signed({ headers: { 'content-type': 'application/json' } }) }, config).outcome,
    );
    expect(withoutType?.detail).toMatch(/must list @request-target date content-type\./);
    const withType = signed({
      headers: { 'content-type': 'application/json' },
      signed: ['@request-target', 'date', 'content-type'],
    });
    expect(run({ ...known, ...withType }, config).outcome).toBeUndefined();
  });

  it('refuses a signature listing a header the request does not carry', () => {
    const request = signed({ signed: ['@request-target', 'date', 'digest'] });
    const outcome = problemOf(run({ ...known, ...request }).outcome);
    expect(outcome?.code).toBe('signature-invalid');
    expect(outcome?.detail).toMatch(/lists a header the request does not carry/);
  });

  it('compares a signed digest header as a header, and with it the rest of the signed values', () => {
    const digest = 'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=';
    const options = { headers: { digest }, signed: ['@request-target', 'date', 'digest'] };
    expect(run({ ...known, ...signed(options) }).outcome).toBeUndefined();
    expect(tampered(options, { digest: 'SHA-256=something+else=' })?.code).toBe('signature-invalid');
  });

  describe('the signed date', () => {
    it('must be signed, as date or x-date, whatever enforceHeaders says', () => {
      const config = { enforceHeaders: ['@request-target'] };
      const undated = problemOf(
        run({ ...known, ...signed({ signed: ['@request-target'] }) }, config).outcome,
      );
      expect(undated?.code).toBe('signature-invalid');
      expect(undated?.detail).toMatch(/neither a date nor an x-date/);
      const xDate = signed({
        headers: { 'x-date': new Date().toUTCString() },
        signed: ['@request-target', 'x-date'],
      });
      expect(run({ ...known, ...xDate }, config).outcome).toBeUndefined();
    });

    it('refuses a date more than clockSkewSeconds away, either way, and one that is not a date', () => {
      const minutes = (n: number) => new Date(Date.now() + n * 60_000).toUTCString();
      for (const date of [minutes(-10), minutes(10), 'yesterday']) {
        const outcome = problemOf(run({ ...known, ...signed({ headers: { date } }) }).outcome);
        expect(outcome?.code, date).toBe('signature-invalid');
        expect(outcome?.detail).toMatch(/not an HTTP date within 300 seconds/);
      }
      const oneMinute = { clockSkewSeconds: 30 };
      const outcome = problemOf(
        run({ ...known, ...signed({ headers: { date: minutes(-1) } }) }, oneMinute).outcome,
      );
      expect(outcome?.detail).toMatch(/within 30 seconds/);
    });

    it('accepts a date exactly clockSkewSeconds away', () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-11-21T12:00:00Z'));
      const at = (iso: string) => signed({ headers: { date: new Date(iso).toUTCString() } });
      expect(run({ ...known, ...at('2026-11-21T11:55:00Z') }).outcome).toBeUndefined();
      expect(run({ ...known, ...at('2026-11-21T12:05:00Z') }).outcome).toBeUndefined();
      expect(problemOf(run({ ...known, ...at('2026-11-21T11:54:59Z') }).outcome)?.code).toBe(
        'signature-invalid',
      );
    });

    it('checks x-date when it is signed, else date', () => {
      const stale = new Date(Date.now() - 3_600_000).toUTCString();
      const fresh = new Date().toUTCString();
      const both = {
        headers: { date: stale, 'x-date': fresh },
        signed: ['@request-target', 'date', 'x-date'],
      };
      expect(run({ ...known, ...signed(both) }).outcome).toBeUndefined();
      // An x-date added to a captured request is not signed, so it does not make it fresh.
      const replayed = { headers: { date: stale, 'x-date': fresh } };
      expect(problemOf(run({ ...known, ...signed(replayed) }).outcome)?.detail).toMatch(/not an HTTP date/);
    });
  });

  it('gives an unknown key id and a wrong signature the same answer', () => {
    const unknownKey = problemOf(run({ ...known, ...signed({ keyId: 'key2' }) }).outcome);
    const wrongSecret = problemOf(run({ ...known, ...signed({ key: generateHmacSecret() }) }).outcome);
    const changedDate = tampered({}, { date: new Date(Date.now() - 1000).toUTCString() });
    expect(unknownKey?.code).toBe('signature-invalid');
    expect(unknownKey?.detail).toMatch(/key id or the signature is not accepted/);
    expect(wrongSecret).toEqual(unknownKey);
    expect(changedDate).toEqual(unknownKey);
  });

  it('refuses a signature of another length, and a record without a secret', () => {
    const short = signed();
    const authorization = short.headers.authorization.replace(/signature="[^"]+"/, 'signature="AAAA"');
    const outcome = problemOf(
      run({ ...known, ...short, headers: { ...short.headers, authorization } }).outcome,
    );
    expect(outcome?.detail).toMatch(/key id or the signature is not accepted/);
    const credentials = { 'hmac key1': { ...key1, secret: undefined } };
    const noSecret = problemOf(run({ credentials, applications: [app], ...signed() }).outcome);
    expect(noSecret?.detail).toMatch(/key id or the signature is not accepted/);
  });

  it('says the credential expired only once the signature is right', () => {
    const credentials = { 'hmac key1': { ...key1, expiresAt: Date.now() - 1 } };
    const right = problemOf(run({ credentials, applications: [app], ...signed() }).outcome);
    expect(right?.code).toBe('signature-invalid');
    expect(right?.detail).toMatch(/expired/);
    const wrong = problemOf(
      run({ credentials, applications: [app], ...signed({ key: generateHmacSecret() }) }).outcome,
    );
    expect(wrong?.detail).not.toMatch(/expired/);
  });

  it('accepts a credential whose expiry is still ahead', () => {
    const credentials = { 'hmac key1': { ...key1, expiresAt: Date.now() + 60_000 } };
    expect(run({ credentials, applications: [app], ...signed() }).outcome).toBeUndefined();
  });

  it('answers application-inactive for a suspended or unknown application', () => {
    const suspended = run({ ...known, applications: [{ ...app, active: false }], ...signed() });
    const unknown = run({ ...known, applications: [], ...signed() });
    expect(problemOf(suspended.outcome)?.code).toBe('application-inactive');
    expect(problemOf(unknown.outcome)?.code).toBe('application-inactive');
    expect(suspended.ctx.consumer).toBeUndefined();
  });

  describe('beside other ways in', () => {
    const other = testConsumer({ applicationId: 'app_2', accountId: 'acc_2' });

    it('lets a request without a signature pass untouched', () => {
      const sent: Record<string, string>[] = [{}, { authorization: 'Basic YTpi' }];
      for (const headers of sent) {
        const { ctx, outcome } = run({ ...known, headers }, {}, optional);
        expect(outcome).toBeUndefined();
        expect(ctx.consumer).toBeUndefined();
        expect(ctx.upstreamHeaders.has('authorization')).toBe(false); // Basic is basic-auth's
      }
    });

    it('still refuses a bad signature', () => {
      const { outcome } = run({ ...known, ...signed({ key: generateHmacSecret() }) }, {}, optional);
      expect(problemOf(outcome)?.code).toBe('signature-invalid');
    });

    it('does not check a signature once another policy identified the caller, but strips it', () => {
      const headers = { authorization: 'hmac username="mallory", signature="forged"' };
      const { ctx, outcome } = run({ ...known, consumer: other, headers }, {}, optional);
      expect(outcome).toBeUndefined();
      expect(ctx.consumer?.applicationId).toBe('app_2');
      expect(ctx.upstreamHeaders.get('authorization')).toBeNull();
    });
  });

  it('describes its credential for the combined challenge', () => {
    expect(hmacAuth.credential(hmacAuth.schema.parse({}))).toEqual({
      description: 'an HMAC signature of the request in the Authorization header',
      challenge,
    });
  });

  it('rejects unknown config fields and values outside their bounds', () => {
    const refused: unknown[] = [
      { clockSkew: 300 },
      { algorithms: [] },
      { algorithms: ['hmac-sha1'] },
      { enforceHeaders: ['Date'] },
      { enforceHeaders: ['x date'] },
      { enforceHeaders: ['authorization'] },
      { enforceHeaders: ['(request-target)'] },
      { clockSkewSeconds: 0 },
      { clockSkewSeconds: 3601 },
      { clockSkewSeconds: 1.5 },
    ];
    for (const config of refused) {
      expect(hmacAuth.schema.safeParse(config).success, JSON.stringify(config)).toBe(false);
    }
    expect(hmacAuth.schema.parse({})).toEqual({
      algorithms: ['hmac-sha256', 'hmac-sha384', 'hmac-sha512'],
      enforceHeaders: ['@request-target', 'date'],
      clockSkewSeconds: 300,
    });
  });
});
