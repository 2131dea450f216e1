// Builds the gateway snapshot from the store: one consistent read of everything the data plane
// needs, with subscriptions resolved into per-application grants (which APIs, on which plan,
// through which subscription) and the plans that limit or disable metrics. Lists are read in id
// order, so the same configuration always gives the same snapshot.
import { asc, gt, isNull, sql } from 'drizzle-orm';
import type { Snapshot, SnapshotApplication, SnapshotPlan } from '../../gateway/snapshot/types.ts';
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
import { rootMetric } from '../model/metric.ts';
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
      await tx.select().from(upstreams).orderBy(asc(upstreams.id)),
      // Only what gateways use: the overview, OpenAPI document and changelog stay behind.
      await tx
        .select({
          id: apis.id,
          name: apis.name,
          basePath: apis.basePath,
          hosts: apis.hosts,
          upstreamId: apis.upstreamId,
          keyless: apis.keyless,
          stripBasePath: apis.stripBasePath,
          maxBodyBytes: apis.maxBodyBytes,
          metrics: apis.metrics,
        })
        .from(apis)
        .orderBy(asc(apis.id)),
      await tx.select().from(routes).orderBy(asc(routes.id)),
      await tx.select().from(productApis),
      await tx
        .select({
          id: plans.id,
          productId: plans.productId,
          limits: plans.limits,
          disabledMetrics: plans.disabledMetrics,
        })
        .from(plans)
        .orderBy(asc(plans.id)),
      await tx.select({ id: accounts.id, state: accounts.state, tier: accounts.tier }).from(accounts),
      await tx.select().from(policies).orderBy(asc(policies.id)),
      await tx.select({ publicJwk: oauthSigningKeys.publicJwk }).from(oauthSigningKeys),
      await tx
        .select({ grantId: oauthRevokedGrants.grantId })
        .from(oauthRevokedGrants)
        .where(gt(oauthRevokedGrants.expiresAt, new Date()))
        .orderBy(asc(oauthRevokedGrants.grantId)),
      // Revoked credentials are absent, like revoked keys.
      await tx.select().from(credentials).where(isNull(credentials.revokedAt)).orderBy(asc(credentials.id)),
      await tx
        .select({ id: applications.id, accountId: applications.accountId, state: applications.state })
        .from(applications)
        .orderBy(asc(applications.id)),
      await tx
        .select({
          id: apiKeys.id,
          hash: apiKeys.hash,
          applicationId: apiKeys.applicationId,
          expiresAt: apiKeys.expiresAt,
        })
        .from(apiKeys)
        // A revoked key is simply absent: the gateway does not know it any more.
        .where(isNull(apiKeys.revokedAt))
        .orderBy(asc(apiKeys.id)),
      await tx
        .select({
          id: subscriptions.id,
          applicationId: subscriptions.applicationId,
          planId: subscriptions.planId,
          createdAt: subscriptions.createdAt,
        })
        .from(subscriptions)
        .where(sql`${subscriptions.state} = 'active'`)
        // Oldest first (ids are time-ordered), so when two plans cover one API the choice is stable.
        .orderBy(asc(subscriptions.createdAt), asc(subscriptions.id)),
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

    const grantsOf = new Map<string, SnapshotApplication['grants']>();
    for (const s of subscriptionRows) {
      const grants = grantsOf.get(s.applicationId) ?? [];
      for (const apiId of apisOfProduct.get(productOfPlan.get(s.planId) ?? '') ?? []) {
        if (!grants.some((g) => g.apiId === apiId))
          grants.push({ apiId, planId: s.planId, subscriptionId: s.id });
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
      apis: apiRows.map((a) => {
        const metrics = metricParents(a.metrics);
        return {
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
            ...(r.delta !== 1 && { delta: r.delta }),
          })),
          ...(metrics.length > 0 && { metrics }),
        };
      }),
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
      plans: planRows.flatMap(snapshotPlan),
    };
  });
}

/** A plan as gateways need it, or nothing when it neither limits nor disables a metric. */
function snapshotPlan(
  plan: Pick<typeof plans.$inferSelect, 'id' | 'limits' | 'disabledMetrics'>,
): SnapshotPlan[] {
  if (plan.limits.length === 0 && plan.disabledMetrics.length === 0) return [];
  return [
    {
      id: plan.id,
      limits: plan.limits.map((l) => ({
        metric: l.metric,
        period: l.period,
        max: l.max,
        per: l.per ?? 'subscription',
      })),
      disabledMetrics: [...plan.disabledMetrics].sort(),
    },
  ];
}

/** Declared parents, by metric name; a declared `hits` parent is the default and needs no entry. */
function metricParents(metrics: { name: string; parent: string }[]): { name: string; parent: string }[] {
  return metrics
    .filter((m) => m.parent !== rootMetric)
    .map((m) => ({ name: m.name, parent: m.parent }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
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
