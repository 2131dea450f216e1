import type { IncomingMessage, ServerResponse } from 'node:http';
import type Provider from 'oidc-provider';
import { constantTimeEqual } from '../../shared/crypto.ts';
import { oauthScopes } from '../../store/schema/index.ts';
import { SignInThrottle } from '../http/sign-in-throttle.ts';
import type { Db } from '../services/context.ts';
import { signInFederated, verifyEndUserPassword } from '../services/end-users.ts';
import { assertionState, interactionToken, loginRedirect, signInFor, verifyAssertion } from './federation.ts';
import { consentPage, errorPage, loginPage, pageHeaders, type ScopeLine } from './pages.ts';

const route = /^\/oauth\/interaction\/([A-Za-z0-9_-]{1,64})(?:\/(login|confirm|abort|assertion))?$/;
const formLimit = 16 * 1024;

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, pageHeaders);
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(req.headers['content-type'] ?? '')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > formLimit) return undefined;
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export interface InteractionContext {
  provider: Provider;
  db: Db;
  /** Key for the forms' anti-forgery tokens. */
  formKey: string;
  throttle: SignInThrottle;
  /** The client's address, for the throttle (the peer, or as a trusted proxy says). */
  clientIp: string;
}

/** True when the request was an interaction page (answered); false to let others handle it. */
export async function handleInteraction(
  req: IncomingMessage,
  res: ServerResponse,
  { provider, db, formKey, throttle, clientIp }: InteractionContext,
): Promise<boolean> {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const match = route.exec(path);
  if (!match) return false;
  const [, uid = '', action] = match;
  if (action === 'assertion' && (req.method === 'GET' || req.method === 'POST')) {
    await handleAssertion(req, res, uid, { provider, db, formKey });
    return true;
  }
  if ((req.method === 'GET') !== (action === undefined) || (req.method !== 'GET' && req.method !== 'POST')) {
    send(res, 405, errorPage('method_not_allowed', 'This page does not accept that method.'));
    return true;
  }
  let details: Awaited<ReturnType<Provider['interactionDetails']>>;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    send(
      res,
      400,
      errorPage(
        'interaction_expired',
        'This sign-in has expired or is not yours; start again from the application.',
      ),
    );
    return true;
  }
  if (details.uid !== uid) {
    send(res, 400, errorPage('interaction_mismatch', 'This sign-in does not match the one in progress.'));
    return true;
  }
  const clientId = String(details.params.client_id ?? '');
  const client = await provider.Client.find(clientId);
  const application = client?.clientName ?? clientId;
  const formToken = interactionToken(formKey, 'interaction', uid);
  const prompt = details.prompt.name;

  const signIn = prompt === 'login' ? await signInFor(db, details.params.resource) : undefined;
  if (signIn !== undefined && !signIn.ok) {
    send(res, 400, errorPage('invalid_target', signIn.problem.detail));
    return true;
  }
  const identityProvider = signIn?.value ?? null;

  if (action === undefined) {
    if (prompt === 'login' && identityProvider !== null) {
      const returnTo = `${provider.issuer}/interaction/${uid}/assertion`;
      const state = assertionState(formKey, uid);
      res.writeHead(303, {
        ...pageHeaders,
        location: loginRedirect(identityProvider, returnTo, state, details.params.login_hint),
      });
      res.end();
    } else if (prompt === 'login') send(res, 200, loginPage(uid, formToken, application));
    else send(res, 200, consentPage(uid, formToken, application, await scopeLines(db, details)));
    return true;
  }

  const form = await readForm(req);
  if (form === undefined || !constantTimeEqual(form.get('csrf') ?? '', formToken)) {
    send(
      res,
      403,
      errorPage('invalid_form', 'The form could not be verified; start again from the application.'),
    );
    return true;
  }
  if (action === 'abort') {
    await provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: 'The user did not allow the request.' },
      { mergeWithLastSubmission: false },
    );
    return true;
  }
  if (action === 'login') {
    if (identityProvider !== null) {
      send(res, 400, errorPage('invalid_step', 'This API signs its users in at its own sign-in page.'));
      return true;
    }
    const email = form.get('email') ?? '';
    const attempt = SignInThrottle.key(email, clientIp);
    const verdict = throttle.attempt(attempt);
    if (!verdict.allowed) {
      const wait = Math.ceil(verdict.retryAfterSeconds / 60);
      res.setHeader('retry-after', String(verdict.retryAfterSeconds));
      send(
        res,
        429,
        loginPage(uid, formToken, application, `Too many failed sign-ins. Try again in ${wait} min.`),
      );
      return true;
    }
    const user = await verifyEndUserPassword(db, email, form.get('password') ?? '');
    if (user === undefined) {
      send(res, 401, loginPage(uid, formToken, application, 'Wrong email or password.'));
      return true;
    }
    throttle.succeeded(attempt);
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.id } },
      { mergeWithLastSubmission: false },
    );
    return true;
  }
  // confirm: grant what the prompt says is missing, and only that.
  if (prompt !== 'consent' || details.session?.accountId === undefined) {
    send(res, 400, errorPage('invalid_step', 'There is nothing to confirm at this step.'));
    return true;
  }
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: details.session.accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(resource, scopes.join(' '));
  const grantId = await grant.save();
  await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
  return true;
}

/**
 * The end user is back from the identity provider with an assertion (in the query, or posted as
 * a form). The interaction is found by its id, not by cookie (a cross-site POST carries no
 * SameSite cookie); the assertion's nonce ties it to this interaction, and oidc-provider's
 * resume step still checks the browser's cookie before anything is issued.
 */
async function handleAssertion(
  req: IncomingMessage,
  res: ServerResponse,
  uid: string,
  { provider, db, formKey }: Pick<InteractionContext, 'provider' | 'db' | 'formKey'>,
): Promise<void> {
  const input =
    req.method === 'POST' ? await readForm(req) : new URL(req.url ?? '', 'http://localhost').searchParams;
  const state = assertionState(formKey, uid);
  const refuse = (error: string, description: string) => send(res, 400, errorPage(error, description));
  if (input === undefined || !constantTimeEqual(input.get('state') ?? '', state)) {
    refuse('invalid_state', 'This sign-in could not be matched; start again from the application.');
    return;
  }
  const interaction = await provider.Interaction.find(uid);
  if (interaction === undefined || interaction.prompt.name !== 'login') {
    refuse('interaction_expired', 'This sign-in has expired; start again from the application.');
    return;
  }
  const signIn = await signInFor(db, interaction.params.resource);
  const identityProvider = signIn.ok ? signIn.value : null;
  if (identityProvider === null) {
    refuse('invalid_step', 'This sign-in does not go through an identity provider.');
    return;
  }
  const asserted = await verifyAssertion(identityProvider, input.get('assertion') ?? '', {
    audience: provider.issuer,
    nonce: state,
  });
  if (!asserted.ok) {
    refuse('invalid_assertion', asserted.problem.detail);
    return;
  }
  const user = await signInFederated(db, {
    identityProviderId: identityProvider.id,
    subject: asserted.value.subject,
    email: asserted.value.email,
    name: asserted.value.name,
  });
  if (user === undefined) {
    refuse('access_denied', 'Your access has been disabled; ask the API provider.');
    return;
  }
  interaction.result = { login: { accountId: user.id } };
  await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
  res.writeHead(303, { ...pageHeaders, location: interaction.returnTo });
  res.end();
}

/** The scopes the consent page lists: OpenID ones, then the API scopes with their descriptions. */
async function scopeLines(
  db: Db,
  details: Awaited<ReturnType<Provider['interactionDetails']>>,
): Promise<ScopeLine[]> {
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  const described = new Map((await db.select().from(oauthScopes)).map((s) => [s.name, s.description]));
  const oidc: Record<string, string> = {
    openid: 'Confirm who you are',
    profile: 'Your name',
    email: 'Your email address',
    offline_access: 'Keep access while you are away',
  };
  const lines: ScopeLine[] = (missing.missingOIDCScope ?? []).map((name) => ({
    name,
    description: oidc[name] ?? '',
  }));
  for (const scopes of Object.values(missing.missingResourceScopes ?? {}))
    for (const name of scopes) lines.push({ name, description: described.get(name) ?? '' });
  return lines;
}
