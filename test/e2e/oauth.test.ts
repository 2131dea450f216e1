// User story: "A partner's backend gets tokens with its client id and secret; a partner's app
// lets an end user sign in and consent, then calls our API with the user's token; the gateway
// checks every token itself and tells our upstream who the user is and what they allowed."
// A real OAuth client library nobody here wrote (openid-client) against `turnpike start`,
// with a real Chromium clicking through sign-in and consent. RFC 9700's rules each get a
// negative test.
import type { Server } from 'node:http';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import * as client from 'openid-client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, provisionPlan } from '../support/admin-client.ts';
import { launchChromium, redirectTarget } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { expectProblem, send, within } from '../support/http.ts';

const password = 'correct horse battery staple';

/** The OAuth error code a failed openid-client call carries (body or WWW-Authenticate). */
async function oauthError(pending: Promise<unknown>): Promise<string> {
  try {
    await pending;
  } catch (error) {
    const e = error as { error?: string; cause?: unknown };
    if (typeof e.error === 'string') return e.error;
    const challenges = Array.isArray(e.cause) ? (e.cause as { parameters?: { error?: string } }[]) : [];
    return challenges[0]?.parameters?.error ?? String(error);
  }
  return 'no error';
}

describe('OAuth 2.0 and OpenID Connect', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let callback: Server;
  let redirectUri = '';
  let issuer = '';
  let audience = '';
  const app = { id: '', secret: '' };
  const spa = { id: '' };

  const orders = (token: string | undefined, method = 'GET') =>
    send(`${tp.gateway}/orders/v1/orders`, {
      method,
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });

  /** openid-client set up for a client, over plain HTTP on loopback. */
  async function configFor(clientId: string, secret?: string) {
    return client.discovery(
      new URL(issuer),
      clientId,
      undefined,
      secret === undefined ? client.None() : client.ClientSecretBasic(secret),
      { execute: [client.allowInsecureRequests] },
    );
  }

  /** Drives the browser through sign-in and consent; returns the URL the app was sent back to. */
  async function signInAndConsent(authorizationUrl: URL, options: { consent?: boolean } = {}) {
    const page = await browser.newPage();
    try {
      await page.goto(authorizationUrl.href);
      await page.getByLabel('Email').fill('ada@example.test');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
      const consentText = await page.locator('main').innerText();
      await page.getByRole('button', { name: options.consent === false ? 'Deny' : 'Allow' }).click();
      await page.waitForURL((url) => url.href.startsWith(redirectUri));
      return { returned: new URL(page.url()), consentText };
    } finally {
      await page.close();
    }
  }

  beforeAll(async () => {
    ({ server: callback, uri: redirectUri } = await redirectTarget());
    browser = await launchChromium();

    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    const server = (await admin.call('GET', '/oauth')).body;
    issuer = server.issuer;
    audience = server.audience;
    await admin.create('/oauth-scopes', { name: 'orders:read', description: 'Read your orders' });
    await admin.create('/oauth-scopes', { name: 'orders:write', description: 'Place orders for you' });

    const upstream = await admin.create('/upstreams', {
      name: 'echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    const api = await admin.create('/apis', {
      name: 'orders',
      basePath: '/orders/v1',
      upstreamId: upstream.id,
    });
    await admin.create(`/apis/${api.id}/routes`, { name: 'list', methods: ['GET'], path: '/orders' });
    const create = await admin.create(`/apis/${api.id}/routes`, {
      name: 'create',
      methods: ['POST'],
      path: '/orders',
    });
    await admin.create('/policies', { name: 'oauth', apiId: api.id });
    await admin.create('/policies', {
      name: 'scopes',
      routeId: create.id,
      config: { required: ['orders:write'] },
    });
    const planId = await provisionPlan(admin, 'orders', [api.id]);
    const account = await admin.create('/accounts', { name: 'partner' });
    app.id = (
      await admin.create('/applications', {
        accountId: account.id,
        name: 'partner-portal',
        redirectUris: [redirectUri],
      })
    ).id;
    app.secret = (await admin.create(`/applications/${app.id}/client-secrets`, { label: 'backend' })).secret;
    spa.id = (
      await admin.create('/applications', {
        accountId: account.id,
        name: 'partner-spa',
        redirectUris: [redirectUri],
      })
    ).id;
    for (const id of [app.id, spa.id]) await admin.create('/subscriptions', { applicationId: id, planId });
    await admin.create('/end-users', { email: 'ada@example.test', name: 'Ada', password });
  });

  afterAll(async () => {
    await browser?.close();
    callback?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('publishes discovery with code flow and client credentials only, PKCE S256, and a JWKS', async () => {
    const config = await configFor(app.id, app.secret);
    const meta = config.serverMetadata();
    expect(meta.issuer).toBe(issuer);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'client_credentials', 'refresh_token']),
    );
    expect(meta.grant_types_supported).not.toContain('password');
    expect(meta.grant_types_supported).not.toContain('implicit');
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.introspection_endpoint).toBeTruthy();
    expect(meta.revocation_endpoint).toBeTruthy();
    const jwks = (await (await fetch(String(meta.jwks_uri))).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2); // the signing key and the next one
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
  });

  it('issues client-credentials tokens as RFC 9068 JWTs that the gateway accepts', async () => {
    const config = await configFor(app.id, app.secret);
    const tokens = await client.clientCredentialsGrant(config, { scope: 'orders:read' });
    expect(decodeProtectedHeader(tokens.access_token)).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect(decodeJwt(tokens.access_token)).toMatchObject({
      iss: issuer,
      aud: audience,
      client_id: app.id,
      scope: 'orders:read',
    });
    await within(5000, async () => (await orders(tokens.access_token)).status === 200);
    const seen = (await orders(tokens.access_token)).json();
    expect(seen.headers['x-consumer-application']).toBe(app.id);
    expect(seen.headers['x-consumer-scopes']).toBe('orders:read');
    expect(seen.headers.authorization).toBeUndefined();
    expectProblem(await orders(tokens.access_token, 'POST'), 403, 'scope-insufficient');
    expectProblem(await orders(undefined), 401, 'credential-missing');
  });

  it('refuses a wrong client secret, any secret of another application, and a secret in the body', async () => {
    expect(await oauthError(client.clientCredentialsGrant(await configFor(app.id, 'tpc_wrong'), {}))).toBe(
      'invalid_client',
    );
    const account = (await admin.call('GET', '/accounts?name=partner')).body.data[0];
    const backend = await admin.create('/applications', { accountId: account.id, name: 'partner-backend' });
    const other = (await admin.create(`/applications/${backend.id}/client-secrets`, {})).secret;
    expect(await oauthError(client.clientCredentialsGrant(await configFor(app.id, other), {}))).toBe(
      'invalid_client',
    );
    // client_secret_post: refused, the right secret notwithstanding (Basic only).
    const inBody = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: app.id,
        client_secret: app.secret,
      }),
    });
    expect(inBody.status).toBe(401);
    expect(((await inBody.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('keeps an application that had a secret confidential once its secrets are gone', async () => {
    const account = (await admin.call('GET', '/accounts?name=partner')).body.data[0];
    const web = await admin.create('/applications', {
      accountId: account.id,
      name: 'partner-web',
      redirectUris: [redirectUri],
    });
    const secret = await admin.create(`/applications/${web.id}/client-secrets`, {});
    await admin.call('DELETE', `/applications/${web.id}/client-secrets/${secret.id}`);
    // A public client would be let in at the token endpoint with its id alone (and fail on the
    // made-up code: invalid_grant); a confidential one without its secret is refused first.
    const token = (clientId: string) =>
      fetch(`${issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: clientId,
          code: 'made-up',
          redirect_uri: redirectUri,
          code_verifier: client.randomPKCECodeVerifier(),
        }),
      }).then(async (r) => ((await r.json()) as { error: string }).error);
    expect(await token(spa.id)).toBe('invalid_grant');
    expect(await token(web.id)).toBe('invalid_client');
  });

  it('runs the authorization code flow with PKCE through sign-in and consent in a browser', async () => {
    const config = await configFor(app.id, app.secret);
    const verifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid orders:read orders:write',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
    });
    const { returned, consentText } = await signInAndConsent(url);
    expect(consentText).toContain('partner-portal'); // names the application
    expect(consentText).toContain('Place orders for you'); // and the scopes
    const tokens = await client.authorizationCodeGrant(config, returned, {
      pkceCodeVerifier: verifier,
      expectedState: state,
    });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.sub).toMatch(/^usr_/);
    expect(tokens.refresh_token).toBeTruthy();

    const seen = (await orders(tokens.access_token, 'POST')).json();
    expect(seen.headers['x-consumer-subject']).toBe(claims.sub);
    expect(seen.headers['x-consumer-scopes']).toBe('orders:read orders:write');

    // The code works once (RFC 9700 §4.5.3); using it again also revokes what it gave.
    expect(
      await oauthError(
        client.authorizationCodeGrant(config, returned, { pkceCodeVerifier: verifier, expectedState: state }),
      ),
    ).toBe('invalid_grant');
    expect(await oauthError(client.refreshTokenGrant(config, tokens.refresh_token as string))).toBe(
      'invalid_grant',
    );

    // Refresh tokens rotate; the old one used again revokes the whole family.
    const first = (await signInAndConsentTokens(config)).refresh_token as string;
    const next = await client.refreshTokenGrant(config, first);
    expect(next.refresh_token).toBeTruthy();
    expect(next.refresh_token).not.toBe(first);
    const active = await client.tokenIntrospection(config, next.refresh_token as string);
    expect(active).toMatchObject({ active: true, client_id: app.id, sub: claims.sub });
    expect((await orders(next.access_token)).status).toBe(200);
    expect(await oauthError(client.refreshTokenGrant(config, first))).toBe('invalid_grant');
    expect((await client.tokenIntrospection(config, next.refresh_token as string)).active).toBe(false);

    // Revocation (RFC 7009) of a refresh token.
    const again = await signInAndConsentTokens(config);
    await client.tokenRevocation(config, again.refresh_token as string);
    expect((await client.tokenIntrospection(config, again.refresh_token as string)).active).toBe(false);
  });

  /** A second authorization (the grant exists now, so no consent page): sign-in only. */
  async function signInAndConsentTokens(config: client.Configuration) {
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid orders:read',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
    });
    const page = await browser.newPage();
    try {
      await page.goto(url.href);
      await page.waitForURL((u) => u.href.startsWith(redirectUri) || u.pathname.includes('/interaction/'));
      if (!page.url().startsWith(redirectUri)) {
        if (await page.getByLabel('Email').isVisible()) {
          await page.getByLabel('Email').fill('ada@example.test');
          await page.getByLabel('Password').fill(password);
          await page.getByRole('button', { name: 'Sign in' }).click();
        }
        await page.waitForURL((u) => u.href.startsWith(redirectUri) || u.pathname.includes('/interaction/'));
        if (!page.url().startsWith(redirectUri)) {
          await page.getByRole('button', { name: 'Allow' }).click();
          await page.waitForURL((u) => u.href.startsWith(redirectUri));
        }
      }
      return client.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier });
    } finally {
      await page.close();
    }
  }

  it('slows down password guessing on the sign-in page', async () => {
    await admin.create('/end-users', { email: 'mallory-target@example.test', password });
    const config = await configFor(app.id, app.secret);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid',
      code_challenge: await client.calculatePKCECodeChallenge(client.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const page = await browser.newPage();
    try {
      await page.goto(url.href);
      for (let i = 0; i < 6; i++) {
        await page.getByLabel('Email').fill('mallory-target@example.test');
        await page.getByLabel('Password').fill(`guess number ${i}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByRole('alert').waitFor();
      }
      expect(await page.getByRole('alert').innerText()).toMatch(/Too many failed sign-ins/);
      // Even the right password waits now.
      await page.getByLabel('Email').fill('mallory-target@example.test');
      await page.getByLabel('Password').fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await page.getByRole('alert').innerText()).toMatch(/Too many failed sign-ins/);
    } finally {
      await page.close();
    }
  });

  it('lets a public client (no secret) use the code flow with PKCE', async () => {
    const config = await configFor(spa.id);
    const tokens = await signInAndConsentTokens(config);
    expect(decodeJwt(tokens.access_token)).toMatchObject({ client_id: spa.id });
    expect((await orders(tokens.access_token)).status).toBe(200);
  });

  describe('RFC 9700', () => {
    const authorize = async (params: Record<string, string>) => {
      const url = new URL(`${issuer}/auth`);
      for (const [k, v] of Object.entries({
        client_id: app.id,
        response_type: 'code',
        scope: 'openid',
        ...params,
      }))
        url.searchParams.set(k, v);
      return fetch(url, { redirect: 'manual' });
    };
    const challenge = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

    it('refuses a redirect URI that is not exactly a registered one, without redirecting to it', async () => {
      for (const uri of [
        `${redirectUri}/extra`,
        `${redirectUri}?x=1`,
        redirectUri.replace('127.0.0.1', 'localhost'),
      ]) {
        const response = await authorize({
          redirect_uri: uri,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        });
        expect(response.status, uri).toBe(400);
        expect(response.headers.get('location')).toBeNull();
      }
    });

    it('refuses the implicit flow and the password grant', async () => {
      const implicit = await authorize({
        redirect_uri: redirectUri,
        response_type: 'token',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
      expect(
        implicit.status === 400 ||
          String(implicit.headers.get('location')).includes('unsupported_response_type'),
      ).toBe(true);
      const token = await fetch(`${issuer}/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${app.id}:${app.secret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'password', username: 'ada@example.test', password }),
      });
      expect(token.status).toBe(400);
      expect(((await token.json()) as { error: string }).error).toBe('unsupported_grant_type');
    });

    it('requires PKCE, with S256 only', async () => {
      const none = await authorize({ redirect_uri: redirectUri });
      expect(String(none.headers.get('location'))).toMatch(/error=invalid_request/);
      const plain = await authorize({
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'plain',
      });
      expect(String(plain.headers.get('location'))).toMatch(/error=invalid_request/);
    });
  });

  it('rotates signing keys without refusing a token signed before or after', async () => {
    const config = await configFor(app.id, app.secret);
    const before = (await client.clientCredentialsGrant(config, { scope: 'orders:read' })).access_token;
    const rotated = await admin.call('POST', '/oauth/signing-keys/rotate');
    expect(rotated.status).toBe(200);
    expect(rotated.body.signingKeys.map((k: { state: string }) => k.state).sort()).toEqual([
      'active',
      'next',
      'retired',
    ]);
    const after = (await client.clientCredentialsGrant(config, { scope: 'orders:read' })).access_token;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    // No wait: the new signing key was published (and in the gateways) since the last rotation.
    expect((await orders(after)).status).toBe(200);
    expect((await orders(before)).status).toBe(200);
  });

  it('refuses tokens once the application is suspended', async () => {
    const config = await configFor(app.id, app.secret);
    const token = (await client.clientCredentialsGrant(config, {})).access_token;
    await admin.update(`/applications/${app.id}`, { state: 'suspended' });
    await within(5000, async () => (await orders(token)).status === 403);
    expectProblem(await orders(token), 403, 'application-inactive');
    expect(await oauthError(client.clientCredentialsGrant(config, {}))).toBe('invalid_client');
    await admin.update(`/applications/${app.id}`, { state: 'active' });
  });
});
