// User story: "Our bank's customers already have a login. For the payments API, partner apps
// must send them to our own login page, not to a Turnpike password form; the token the app gets
// is good for payments only, and our upstream learns who the customer is. When a customer's
// refresh token is revoked, the access tokens it gave stop working at the gateway too."
// A fake identity provider (a login page that signs assertions with its own key, served with a
// JWKS) beside `turnpike start`; openid-client as the app; Chromium clicking through.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, SignJWT } from 'jose';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, provisionPlan } from '../support/admin-client.ts';
import { launchChromium, redirectTarget } from '../support/browser.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { expectProblem, send, within } from '../support/http.ts';

const bankIssuer = 'https://login.bank.example';

/** What the fake provider signs, unless a test asks it to get something wrong. */
interface AssertionOptions {
  nonce?: string;
  audience?: string;
  issuedSecondsAgo?: number;
}

async function body(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

describe('end users signing in at the API provider’s own login page', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let browser: Browser;
  let callback: Server;
  let bank: Server;
  let bankUrl = '';
  let redirectUri = '';
  let issuer = '';
  let sign: (subject: string, options: AssertionOptions & { nonce: string }) => Promise<string>;
  /** What the next assertion gets wrong, set by a test. */
  let tamper: AssertionOptions = {};
  const app = { id: '', secret: '' };

  const call = (path: string, token: string) =>
    send(`${tp.gateway}${path}`, { headers: { authorization: `Bearer ${token}` } });

  const configFor = () =>
    client.discovery(new URL(issuer), app.id, undefined, client.ClientSecretBasic(app.secret), {
      execute: [client.allowInsecureRequests],
    });

  async function authorizationUrl(resource: string | undefined) {
    const config = await configFor();
    const verifier = client.randomPKCECodeVerifier();
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid payments:pay',
      code_challenge: await client.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(resource && { resource }),
    });
    return { config, verifier, url };
  }

  /** Signs in at the bank as `user` (who chooses how the bank sends them back) and consents. */
  async function viaBank(page: Page, url: URL, user: string) {
    await page.goto(url.href);
    await page.getByRole('heading', { name: 'Bank login' }).waitFor();
    await page.getByLabel('Customer number').fill(user);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Allow access?' }).waitFor();
    await page.getByRole('button', { name: 'Allow' }).click();
    await page.waitForURL((u) => u.href.startsWith(redirectUri));
    return new URL(page.url());
  }

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const jwk = { ...(await exportJWK(publicKey)), kid: 'bank-1', alg: 'ES256', use: 'sig' };
    sign = (subject, options) =>
      new SignJWT({ nonce: options.nonce, email: `${subject}@bank.example`, name: `Customer ${subject}` })
        .setProtectedHeader({ alg: 'ES256', kid: 'bank-1' })
        .setIssuer(bankIssuer)
        .setAudience(options.audience ?? issuer)
        .setSubject(subject)
        .setIssuedAt(Math.floor(Date.now() / 1000) - (options.issuedSecondsAgo ?? 0))
        .setExpirationTime('2m')
        .sign(privateKey);

    // The bank: a login form; the assertion goes back in the query (customer numbers starting
    // with "post-" get it as an auto-submitted form post instead).
    bank = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', bankUrl);
      if (url.pathname === '/jwks') {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ keys: [jwk] }));
      } else if (req.method === 'GET' && url.pathname === '/login') {
        const hidden = ['redirect_uri', 'state']
          .map((n) => `<input type="hidden" name="${n}" value="${url.searchParams.get(n) ?? ''}">`)
          .join('');
        res.setHeader('content-type', 'text/html');
        res.end(`<!doctype html><title>Bank</title><h1>Bank login</h1>
<form method="post" action="/login">${hidden}
<label>Customer number <input name="customer"></label><button>Log in</button></form>`);
      } else if (req.method === 'POST' && url.pathname === '/login') {
        const form = await body(req);
        const customer = form.get('customer') ?? '';
        const state = form.get('state') ?? '';
        const back = new URL(form.get('redirect_uri') ?? '');
        const assertion = await sign(customer, { nonce: state, ...tamper });
        if (customer.startsWith('post-')) {
          res.setHeader('content-type', 'text/html');
          res.end(`<!doctype html><form method="post" action="${back.href}">
<input type="hidden" name="assertion" value="${assertion}"><input type="hidden" name="state" value="${state}">
</form><script>document.forms[0].submit()</script>`);
        } else {
          back.searchParams.set('assertion', assertion);
          back.searchParams.set('state', state);
          res.writeHead(303, { location: back.href }).end();
        }
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => bank.listen(0, '127.0.0.1', resolve));
    bankUrl = `http://127.0.0.1:${(bank.address() as AddressInfo).port}`;
    ({ server: callback, uri: redirectUri } = await redirectTarget());
    browser = await launchChromium();

    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    issuer = (await admin.call('GET', '/oauth')).body.issuer;
    await admin.create('/oauth-scopes', { name: 'payments:pay', description: 'Make payments for you' });
    await admin.create('/identity-providers', {
      name: 'bank',
      displayName: 'Bank login',
      loginUrl: `${bankUrl}/login`,
      issuer: bankIssuer,
      jwksUrl: `${bankUrl}/jwks`,
      algorithms: ['ES256'],
    });
    const upstream = await admin.create('/upstreams', {
      name: 'echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    const apiIds: string[] = [];
    for (const [name, identityProvider] of [
      ['payments', 'bank'],
      ['statements', null],
    ] as const) {
      const api = await admin.create('/apis', {
        name,
        basePath: `/${name}`,
        upstreamId: upstream.id,
        identityProvider,
      });
      await admin.create(`/apis/${api.id}/routes`, { name: 'balance', methods: ['GET'], path: '/balance' });
      await admin.create('/policies', { name: 'oauth', apiId: api.id });
      apiIds.push(api.id);
    }
    const planId = await provisionPlan(admin, 'banking', apiIds);
    const account = await admin.create('/accounts', { name: 'fintech' });
    app.id = (
      await admin.create('/applications', {
        accountId: account.id,
        name: 'budget-app',
        redirectUris: [redirectUri],
      })
    ).id;
    app.secret = (await admin.create(`/applications/${app.id}/client-secrets`, {})).secret;
    await admin.create('/subscriptions', { applicationId: app.id, planId });
    await admin.create('/end-users', { email: 'dir@example.test', password: 'correct horse battery staple' });
  });

  afterAll(async () => {
    await browser?.close();
    callback?.close();
    bank?.close();
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('sends the end user to the bank, back with an assertion, and issues a token for payments only', async () => {
    const { config, verifier, url } = await authorizationUrl('urn:turnpike:api:payments');
    const page = await browser.newPage();
    let returned: URL;
    try {
      returned = await viaBank(page, url, 'c-1001');
    } finally {
      await page.close();
    }
    const tokens = await client.authorizationCodeGrant(config, returned, { pkceCodeVerifier: verifier });
    const claims = decodeJwt(tokens.access_token);
    expect(claims.aud).toBe('urn:turnpike:api:payments');
    expect(claims.scope).toBe('payments:pay');

    const users = (await admin.call('GET', '/end-users')).body.data as Record<string, unknown>[];
    const customer = users.find((u) => u.externalSubject === 'c-1001');
    expect(customer).toMatchObject({
      email: 'c-1001@bank.example',
      name: 'Customer c-1001',
      state: 'active',
    });
    expect(customer?.identityProviderId).toMatch(/^idp_/);
    expect(claims.sub).toBe(customer?.id);

    await within(5000, async () => (await call('/payments/balance', tokens.access_token)).status === 200);
    const seen = (await call('/payments/balance', tokens.access_token)).json();
    expect(seen.headers['x-consumer-subject']).toBe(customer?.id);
    // Asked for payments, good for payments: the statements API refuses it (audience).
    expectProblem(await call('/statements/balance', tokens.access_token), 401, 'token-invalid');
  });

  it('gives client-credentials tokens for one API when asked, and refuses a resource that is no API', async () => {
    const config = await configFor();
    const tokens = await client.clientCredentialsGrant(config, {
      scope: 'payments:pay',
      resource: 'urn:turnpike:api:statements',
    });
    expect(decodeJwt(tokens.access_token).aud).toBe('urn:turnpike:api:statements');
    await within(5000, async () => (await call('/statements/balance', tokens.access_token)).status === 200);
    expectProblem(await call('/payments/balance', tokens.access_token), 401, 'token-invalid');
    await expect(
      client.clientCredentialsGrant(config, { resource: 'urn:turnpike:api:nope' }),
    ).rejects.toMatchObject({ error: 'invalid_target' });
  });

  it('takes the assertion as a form post too, and keeps one end user per bank customer', async () => {
    for (let round = 0; round < 2; round++) {
      const { config, verifier, url } = await authorizationUrl('urn:turnpike:api:payments');
      const context = await browser.newContext();
      const page = await context.newPage();
      try {
        const returned = await viaBank(page, url, 'post-2002');
        await client.authorizationCodeGrant(config, returned, { pkceCodeVerifier: verifier });
      } finally {
        await context.close();
      }
    }
    const users = (await admin.call('GET', '/end-users')).body.data as Record<string, unknown>[];
    expect(users.filter((u) => u.externalSubject === 'post-2002')).toHaveLength(1);
  });

  it('refuses assertions for another sign-in, another audience, or too old, and a forged state', async () => {
    for (const [wrong, words] of [
      [{ nonce: 'not-this-sign-in' }, 'another sign-in'],
      [{ audience: 'https://someone-else.example' }, 'aud'],
      [{ issuedSecondsAgo: 3600 }, 'too far in the past'],
    ] as const) {
      tamper = wrong;
      const { url } = await authorizationUrl('urn:turnpike:api:payments');
      const page = await browser.newPage();
      try {
        await page.goto(url.href);
        await page.getByLabel('Customer number').fill('c-3003');
        const response = page.waitForResponse((r) => r.url().includes('/assertion'));
        await page.getByRole('button', { name: 'Log in' }).click();
        expect((await response).status()).toBe(400);
        expect(await page.locator('body').innerText()).toContain(words);
      } finally {
        await page.close();
        tamper = {};
      }
    }
    // Nobody signed in as c-3003.
    const users = (await admin.call('GET', '/end-users')).body.data as Record<string, unknown>[];
    expect(users.some((u) => u.externalSubject === 'c-3003')).toBe(false);

    // A made-up state (the assertion endpoint called without going through the bank).
    const { url } = await authorizationUrl('urn:turnpike:api:payments');
    const started = await fetch(url, { redirect: 'manual' });
    const interaction = new URL(started.headers.get('location') ?? '', issuer).pathname.split('/').at(-1);
    const forged = await fetch(`${issuer}/interaction/${interaction}/assertion?state=forged&assertion=x.y.z`);
    expect(forged.status).toBe(400);
  });

  it('signs directory users in with the password form for APIs without an identity provider', async () => {
    const { config, verifier, url } = await authorizationUrl('urn:turnpike:api:statements');
    const page = await browser.newPage();
    try {
      await page.goto(url.href);
      await page.getByLabel('Email').fill('dir@example.test');
      await page.getByLabel('Password').fill('correct horse battery staple');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('button', { name: 'Allow' }).click();
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      const tokens = await client.authorizationCodeGrant(config, new URL(page.url()), {
        pkceCodeVerifier: verifier,
      });
      expect(decodeJwt(tokens.access_token).aud).toBe('urn:turnpike:api:statements');
      await within(5000, async () => (await call('/statements/balance', tokens.access_token)).status === 200);
      expectProblem(await call('/payments/balance', tokens.access_token), 401, 'token-invalid');

      // The same browser session, now asking for payments: the bank, not the session, decides.
      const next = await authorizationUrl('urn:turnpike:api:payments');
      await page.goto(next.url.href);
      await page.getByRole('heading', { name: 'Bank login' }).waitFor();
    } finally {
      await page.close();
    }
    // Asking for both at once: they sign in at different places.
    const both = await authorizationUrl(undefined);
    both.url.searchParams.append('resource', 'urn:turnpike:api:payments');
    both.url.searchParams.append('resource', 'urn:turnpike:api:statements');
    const answer = await fetch(both.url, { redirect: 'manual' });
    expect(answer.headers.get('location') ?? '').toContain('error=invalid_target');
  });

  it('refuses access tokens of a revoked grant at the gateway before they expire', async () => {
    const { config, verifier, url } = await authorizationUrl('urn:turnpike:api:payments');
    const page = await browser.newPage();
    let returned: URL;
    try {
      returned = await viaBank(page, url, 'c-4004');
    } finally {
      await page.close();
    }
    const tokens = await client.authorizationCodeGrant(config, returned, { pkceCodeVerifier: verifier });
    expect(decodeJwt(tokens.access_token).gid).toEqual(expect.any(String));
    await within(5000, async () => (await call('/payments/balance', tokens.access_token)).status === 200);
    await client.tokenRevocation(config, tokens.refresh_token ?? '');
    const revokedAt = Date.now();
    await within(5000, async () => (await call('/payments/balance', tokens.access_token)).status === 401);
    expect(Date.now() - revokedAt).toBeLessThan(2000);
    expectProblem(await call('/payments/balance', tokens.access_token), 401, 'token-invalid');
  });
});
