import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertionState, type IdentityProviderRow, loginRedirect, verifyAssertion } from './federation.ts';

const audience = 'https://portal.example/oauth';

describe('identity provider assertions', () => {
  let provider: IdentityProviderRow;
  let sign: (
    claims: Record<string, unknown>,
    options?: { issuer?: string; expires?: string },
  ) => Promise<string>;
  const nonce = assertionState('form-key', 'uid-1');

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    provider = {
      id: 'idp_01',
      name: 'bank',
      displayName: 'Bank',
      loginUrl: 'https://login.bank.example/start?lang=en',
      issuer: 'https://login.bank.example',
      jwksUrl: null,
      publicKeys: [{ ...(await exportJWK(publicKey)), kid: 'k1' }],
      algorithms: ['ES256'],
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    sign = (claims, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer(options.issuer ?? provider.issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(options.expires ?? '2m')
        .sign(privateKey);
  });

  it('accepts a signed assertion for this sign-in and reads the person from it', async () => {
    const assertion = await sign({ sub: 'c-1', nonce, email: 'c1@bank.example', name: 'Customer One' });
    const result = await verifyAssertion(provider, assertion, { audience, nonce });
    expect(result).toEqual({
      ok: true,
      value: { subject: 'c-1', email: 'c1@bank.example', name: 'Customer One' },
    });
  });

  it('refuses another sign-in, another issuer, an expired or unsigned assertion, and a missing subject', async () => {
    const refused = async (assertion: string) => {
      const result = await verifyAssertion(provider, assertion, { audience, nonce });
      expect(result.ok).toBe(false);
      return result.ok ? '' : result.problem.detail;
    };
    expect(await refused(await sign({ sub: 'c-1', nonce: assertionState('form-key', 'uid-2') }))).toContain(
      'another sign-in',
    );
    expect(await refused(await sign({ sub: 'c-1', nonce }, { issuer: 'https://evil.example' }))).toContain(
      'iss',
    );
    expect(await refused(await sign({ sub: 'c-1', nonce }, { expires: '-1m' }))).toContain('exp');
    expect(await refused(await sign({ nonce }))).toContain('sub');
    const unsigned = new UnsecuredJWT({ sub: 'c-1', nonce })
      .setIssuer(provider.issuer)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime('2m')
      .encode();
    await refused(unsigned);
    await refused('not-a-jwt');
  });

  it('sends the end user to the login page with where to come back and the state, keeping its query', () => {
    const url = new URL(loginRedirect(provider, `${audience}/interaction/uid-1/assertion`, nonce, 'c-1'));
    expect(url.origin + url.pathname).toBe('https://login.bank.example/start');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      lang: 'en',
      redirect_uri: `${audience}/interaction/uid-1/assertion`,
      state: nonce,
      login_hint: 'c-1',
    });
  });
});
