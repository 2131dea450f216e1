// Builds the gateway snapshot from the store: one consistent read of everything the data plane
// needs, with subscriptions resolved into per-application grants (which APIs, on which plan).
import { asc, gt, isNull, sql } from 'drizzle-orm';
import type { Snapshot, SnapshotApplication } from '../../gateway/snapshot/types.ts';
import { unseal } from '../../shared/sealed.ts';
import {
  accounts,
  apiKeys,
  apis,
  applications,
  configRevision,
  credentials,
  oauthRevokedGrants,
  oauthSigningKeys,
  plans,
  policies,
  productApis,
  routes,
  subscriptions,
  upstreams,
} from '../../store/schema/index.ts';
import type { Db } from '../services/context.ts';
import { credentialSealingKey, platformSecret } from '../services/platform-secrets.ts';
import { consistentRead } from '../services/read.ts';

/** Who issues the tokens the gateways check; the keys come from the store. */
export interface AuthorizationServerIdentity {
  issuer: string;
  audience: string;
}

export async function buildSnapshot(db: Db, oauth?: AuthorizationServerIdentity): Promise<Snapshot> {
  const sealingKey = await platformSecret(db, credentialSealingKey);
  // Repeatable read: every table as of the same moment, so a snapshot never pairs a new key
  // with an old application list.
  return consistentRead(db, async (tx) => {
    const [revision] = await tx.select().from(configRevision);
    const [
      upstreamRows,
      apiRows,
      routeRows,
      links,
      planRows,
      accountRows,
      policyRows,
      signingKeyRows,
      revokedGrantRows,
      credentialRows,
      appRows,
      keyRows,
      subscriptionRows,
    ] = [
      await tx.select().from(upstreams),
      await tx.select().from(apis),
      await tx.select().from(routes),
      await tx.select().from(productApis),
      await tx.select({ id: plans.id, productId: plans.productId }).from(plans),
      await tx.select({ id: accounts.id, state: accounts.state, tier: accounts.tier }).from(accounts),
      await tx.select().from(policies),
      await tx.select({ publicJwk: oauthSigningKeys.publicJwk }).from(oauthSigningKeys),
      await tx
        .select({ grantId: oauthRevokedGrants.grantId })
        .from(oauthRevokedGrants)
        .where(gt(oauthRevokedGrants.expiresAt, new Date()))
        .orderBy(asc(oauthRevokedGrants.grantId)),
      // Revoked credentials are absent, like revoked keys.
      await tx.select().from(credentials).where(isNull(credentials.revokedAt)),
      await tx
        .select({ id: applications.id, accountId: applications.accountId, state: applications.state })
        .from(applications),
      await tx
        .select({
          id: apiKeys.id,
          hash: apiKeys.hash,
          applicationId: apiKeys.applicationId,
          expiresAt: apiKeys.expiresAt,
        })
        .from(apiKeys)
        // A revoked key is simply absent: the gateway does not know it any more.
        .where(isNull(apiKeys.revokedAt)),
      await tx
        .select({
          applicationId: subscriptions.applicationId,
          planId: subscriptions.planId,
          createdAt: subscriptions.createdAt,
        })
        .from(subscriptions)
        .where(sql`${subscriptions.state} = 'active'`),
    ];

    const apisOfProduct = groupBy(
      links,
      (l) => l.productId,
      (l) => l.apiId,
    );
    const productOfPlan = new Map(planRows.map((p) => [p.id, p.productId]));
    const accountOf = new Map(accountRows.map((a) => [a.id, a]));
    const routesOfApi = groupBy(
      routeRows,
      (r) => r.apiId,
      (r) => r,
    );

    // Oldest subscription first, so when two plans cover one API the choice is stable.
    subscriptionRows.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const grantsOf = new Map<string, SnapshotApplication['grants']>();
    for (const s of subscriptionRows) {
      const grants = grantsOf.get(s.applicationId) ?? [];
      for (const apiId of apisOfProduct.get(productOfPlan.get(s.planId) ?? '') ?? []) {
        if (!grants.some((g) => g.apiId === apiId)) grants.push({ apiId, planId: s.planId });
      }
      grantsOf.set(s.applicationId, grants);
    }

    return {
      version: revision?.revision ?? 0,
      createdAt: new Date().toISOString(),
      upstreams: upstreamRows.map((u) => ({
        id: u.id,
        name: u.name,
        targets: u.targets,
        balancing: u.balancing,
        healthChecks: u.healthChecks,
        timeouts: u.timeouts,
        retries: u.retries,
      })),
      apis: apiRows.map((a) => ({
        id: a.id,
        name: a.name,
        basePath: a.basePath,
        hosts: a.hosts,
        upstreamId: a.upstreamId,
        keyless: a.keyless,
        stripBasePath: a.stripBasePath,
        maxBodyBytes: a.maxBodyBytes,
        routes: (routesOfApi.get(a.id) ?? []).map((r) => ({
          id: r.id,
          name: r.name,
          methods: r.methods,
          path: r.path,
          metric: r.metric,
        })),
      })),
      applications: appRows.map((app) => ({
        id: app.id,
        accountId: app.accountId,
        tier: accountOf.get(app.accountId)?.tier ?? 'standard',
        active: app.state === 'active' && accountOf.get(app.accountId)?.state === 'approved',
        grants: grantsOf.get(app.id) ?? [],
      })),
      keys: keyRows.map((k) => ({
        id: k.id,
        hash: k.hash,
        applicationId: k.applicationId,
        expiresAt: k.expiresAt?.toISOString() ?? null,
      })),
      ...(oauth && {
        authorizationServer: {
          issuer: oauth.issuer,
          audience: oauth.audience,
          // Sorted, so the same keys always make the same snapshot (and no spurious delta).
          keys: signingKeyRows
            .map((k) => k.publicJwk)
            .sort((a, b) => String(a.kid).localeCompare(String(b.kid))),
          ...(revokedGrantRows.length > 0 && { revokedGrants: revokedGrantRows.map((r) => r.grantId) }),
        },
      }),
      credentials: credentialRows.map((c) => ({
        id: c.id,
        kind: c.kind,
        identifier: c.identifier,
        applicationId: c.applicationId,
        hash: c.secretHash,
        ...(c.kind === 'hmac' && { secret: unsealed(c.sealedSecret, sealingKey) }),
        expiresAt: c.expiresAt?.toISOString() ?? null,
      })),
      policies: policyRows.map((p) => ({
        id: p.id,
        name: p.name,
        apiId: p.apiId,
        routeId: p.routeId,
        enabled: p.enabled,
        config: p.config,
      })),
    };
  });
}

/** A secret that cannot be unsealed (another installation's) is left out: the key then never verifies. */
function unsealed(sealed: string | null, key: string): string | undefined {
  return sealed === null ? undefined : unseal(sealed, key);
}

function groupBy<T, V>(items: T[], key: (item: T) => string, value: (item: T) => V): Map<string, V[]> {
  const groups = new Map<string, V[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(value(item));
    else groups.set(k, [value(item)]);
  }
  return groups;
}
