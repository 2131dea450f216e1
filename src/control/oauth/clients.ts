// OAuth clients are applications: the client id is the application id. An application that has
// a client secret (or ever had one) is a confidential client (client credentials, and the
// authorization code flow when it has redirect URIs); one with redirect URIs and never a secret
// is a public client (authorization code with PKCE only). A suspended application, or one whose
// account is not approved, is no client at all.
import { createHmac } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { isId } from '../../shared/ids.ts';
import { accounts, applications } from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';

/**
 * What oidc-provider compares a presented client secret with. The real secrets are stored
 * hashed, so client-auth.ts checks the presented one against them and, when it matches, hands
 * oidc-provider this value instead: derived from the client id with a key only the control
 * plane has, it is never sent by a client and never stored.
 */
export function boundSecret(bindingKey: string, clientId: string): string {
  return createHmac('sha256', bindingKey).update(clientId).digest('base64url');
}

export async function clientMetadata(
  db: Db,
  clientId: string,
  bindingKey: string,
): Promise<Record<string, unknown> | undefined> {
  if (!isId('application', clientId)) return undefined;
  const [row] = await db
    .select({ app: applications, accountState: accounts.state })
    .from(applications)
    .innerJoin(accounts, eq(accounts.id, applications.accountId))
    .where(eq(applications.id, clientId));
  if (row?.app.state !== 'active' || row.accountState !== 'approved') return undefined;
  // Once it has had a secret it stays confidential, even with none left (revoked, expired or
  // deleted): every secret it presents is then refused.
  const confidential = row.app.oauthConfidential;
  const redirectUris = row.app.redirectUris;
  const interactive = redirectUris.length > 0;
  if (!confidential && !interactive) return undefined;
  return {
    client_id: clientId,
    client_name: row.app.name,
    redirect_uris: redirectUris,
    response_types: interactive ? ['code'] : [],
    grant_types: [
      ...(confidential ? ['client_credentials'] : []),
      ...(interactive ? ['authorization_code', 'refresh_token'] : []),
    ],
    token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
    ...(confidential && { client_secret: boundSecret(bindingKey, clientId) }),
  };
}
