// The OAuth 2.0 / OpenID Connect authorization server: oidc-provider, configured the way
// RFC 9700 (OAuth 2.0 Security Best Current Practice) asks. Only the code flow (PKCE with S256,
// always) and client credentials; no implicit or password grant; exact redirect URIs; codes
// used once; refresh tokens rotated on every use, a reused one revoking its whole grant. Access
// tokens are JWTs (RFC 9068) for one audience, the gateway, which checks them locally.
import { eq } from 'drizzle-orm';
import Provider, {
  type Configuration,
  errors,
  interactionPolicy,
  type KoaContextWithOIDC,
} from 'oidc-provider';
import { apiOfResource } from '../../shared/api-resource.ts';
import { apis, endUsers, oauthScopes } from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';
import { recordAdapter } from './adapter.ts';
import { clientMetadata } from './clients.ts';
import { signInFor } from './federation.ts';
import { errorPage, pageHeaders } from './pages.ts';
import { signingAlgorithm } from './signing-keys.ts';

export interface AuthorizationServerSettings {
  /** The issuer: the portal's public URL with `/oauth`. */
  issuer: string;
  /** The one resource access tokens are for (their `aud`): the gateway. */
  audience: string;
  /** Lifetime of access tokens in seconds; also how long a retired signing key stays published. */
  accessTokenSeconds: number;
  /** Trust X-Forwarded-Proto and -Host (the portal runs behind a TLS-terminating proxy). */
  behindProxy: boolean;
}

export interface ProviderSecrets {
  cookieKeys: string[];
  bindingKey: string;
  /** Private JWKs, the signing one first. */
  signingKeys: Record<string, unknown>[];
}

export const refreshTokenSeconds = 14 * 24 * 3600;
export const idTokenSeconds = 3600;

export function buildProvider(
  db: Db,
  settings: AuthorizationServerSettings,
  secrets: ProviderSecrets,
  configurationChanged: () => Promise<void>,
): Provider {
  const Adapter = recordAdapter(db, {
    accessTokenSeconds: settings.accessTokenSeconds,
    configurationChanged,
  });
  const configuration: Configuration = {
    adapter: class ClientsAndRecords extends Adapter {
      override async find(id: string) {
        // Clients are applications, looked up as they are now (a suspension applies at once).
        if (this.model === 'Client') return clientMetadata(db, id, secrets.bindingKey);
        return super.find(id);
      }
    } as unknown as Configuration['adapter'],
    jwks: { keys: secrets.signingKeys as never },
    cookies: { keys: secrets.cookieKeys },
    findAccount: async (_ctx, sub) => {
      const [user] = await db.select().from(endUsers).where(eq(endUsers.id, sub));
      if (user?.state !== 'active') return undefined;
      return {
        accountId: user.id,
        claims: async () => ({ sub: user.id, email: user.email, name: user.name }),
      };
    },
    claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    responseTypes: ['code'],
    // Secrets in the Authorization header only (client-auth.ts checks them there); none for
    // public clients. No secret in the body, no client_secret_jwt, no private_key_jwt.
    clientAuthMethods: ['client_secret_basic', 'none'],
    pkce: { required: () => true },
    interactions: {
      policy: signInPolicy(db),
      url: (_ctx, interaction) => `/oauth/interaction/${interaction.uid}`,
    },
    // The grant a token was issued under, so gateways can refuse tokens of a revoked grant.
    extraTokenClaims: async (_ctx, token) =>
      'grantId' in token && typeof token.grantId === 'string' ? { gid: token.grantId } : undefined,
    allowOmittingSingleRegisteredRedirectUri: false,
    rotateRefreshToken: true,
    // Refresh tokens for the code flow whenever the client may use them (offline_access or not).
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    clientDefaults: { id_token_signed_response_alg: signingAlgorithm },
    enabledJWA: {
      idTokenSigningAlgValues: [signingAlgorithm],
      requestObjectSigningAlgValues: [signingAlgorithm],
      userinfoSigningAlgValues: [signingAlgorithm],
    },
    ttl: {
      AccessToken: settings.accessTokenSeconds,
      ClientCredentials: settings.accessTokenSeconds,
      AuthorizationCode: 60,
      IdToken: idTokenSeconds,
      RefreshToken: refreshTokenSeconds,
      Grant: refreshTokenSeconds,
      Interaction: 600,
      Session: 24 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      userinfo: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => settings.audience,
        useGrantedResource: async () => true,
        // The gateway as a whole, or one API (urn:turnpike:api:NAME): its tokens are for it alone.
        getResourceServerInfo: async (_ctx, resource) => {
          if (resource !== settings.audience) {
            const name = apiOfResource(resource);
            const [api] = name ? await db.select({ id: apis.id }).from(apis).where(eq(apis.name, name)) : [];
            if (api === undefined) throw new errors.InvalidTarget();
          }
          const scopes = await db.select({ name: oauthScopes.name }).from(oauthScopes);
          return {
            scope: scopes.map((s) => s.name).join(' '),
            audience: resource,
            accessTokenTTL: settings.accessTokenSeconds,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: signingAlgorithm } },
          };
        },
      },
    },
    // A browser app may call the token endpoint from the origins of its redirect URIs only.
    clientBasedCORS: (_ctx, origin, client) =>
      (client.redirectUris ?? []).some((uri) => new URL(uri).origin === origin),
    renderError: async (ctx: KoaContextWithOIDC, out) => {
      ctx.set(pageHeaders);
      ctx.type = 'html';
      ctx.body = errorPage(String(out.error), String(out.error_description ?? ''));
    },
  };
  const provider = new Provider(settings.issuer, configuration);
  provider.proxy = settings.behindProxy;
  return provider;
}

/**
 * oidc-provider's prompts, with one more reason to sign in again: the session's end user signed
 * in somewhere other than where the APIs asked for sign their users in (the end-user directory
 * or an identity provider), e.g. a directory session meeting an API with its own sign-in.
 */
function signInPolicy(db: Db): interactionPolicy.Prompt[] {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login')?.checks.add(
    new Check('identity_provider', 'End-User must sign in where the API asks', async (ctx) => {
      const required = await signInFor(db, ctx.oidc.params?.resource);
      if (!required.ok) throw new errors.InvalidTarget(required.problem.detail);
      const accountId = ctx.oidc.session?.accountId;
      if (accountId === undefined) return Check.REQUEST_PROMPT;
      const [user] = await db
        .select({ identityProviderId: endUsers.identityProviderId })
        .from(endUsers)
        .where(eq(endUsers.id, accountId));
      return (user?.identityProviderId ?? null) === (required.value?.id ?? null)
        ? Check.NO_NEED_TO_PROMPT
        : Check.REQUEST_PROMPT;
    }),
  );
  return policy;
}
