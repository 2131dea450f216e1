// `turnpike export`: the whole configuration as a declarative document, names for references,
// keys and basic passwords as hashes, HMAC secrets sealed as stored, the current subscription
// per plan (older ones are history, not configuration), OAuth scopes, identity providers, the
// portal's content and alert rules (webhook secrets sealed as stored) when there are any.
// Defaults are left out to keep files short; states (an API's lifecycle too) and nested lists are
// always written, so applying an export reproduces exactly what was exported.
import { asc } from 'drizzle-orm';
import { defaultUpstreamSettings, type UpstreamSettings } from '../../shared/upstream-settings.ts';
import {
  accounts,
  apiKeys,
  apis,
  applications,
  credentials,
  identityProviders,
  oauthScopes,
  plans,
  policies,
  productApis,
  products,
  routes,
  subscriptions,
  upstreams,
} from '../../store/schema/index.ts';
import { defaultIdentityProviderAlgorithms, type PublicJwk } from '../model/identity-provider.ts';
import type { PlanPricing } from '../model/pricing.ts';
import type { Db } from '../services/context.ts';
import { consistentRead } from '../services/read.ts';
import { currentPerPlan } from './apply-accounts.ts';
import type { ConfigDocument } from './document.ts';
import { readAlerts } from './export-alerts.ts';
import { readPortal } from './export-portal.ts';
import { same } from './run.ts';

export function exportDocument(db: Db): Promise<ConfigDocument> {
  return consistentRead(db, (tx) => readDocument(tx));
}

async function readDocument(db: Db): Promise<ConfigDocument> {
  const upstreamRows = await db.select().from(upstreams).orderBy(asc(upstreams.name));
  const upstreamName = new Map(upstreamRows.map((u) => [u.id, u.name]));
  const apiRows = await db.select().from(apis).orderBy(asc(apis.name));
  const apiName = new Map(apiRows.map((a) => [a.id, a.name]));
  const routeRows = await db.select().from(routes).orderBy(asc(routes.name));
  const productRows = await db.select().from(products).orderBy(asc(products.name));
  const links = await db.select().from(productApis);
  const planRows = await db.select().from(plans).orderBy(asc(plans.name));
  const planRef = new Map(planRows.map((p) => [p.id, p]));
  const productName = new Map(productRows.map((p) => [p.id, p.name]));
  const accountRows = await db.select().from(accounts).orderBy(asc(accounts.name));
  const appRows = await db.select().from(applications).orderBy(asc(applications.name));
  const subRows = await db.select().from(subscriptions).orderBy(asc(subscriptions.id));
  const keyRows = await db.select().from(apiKeys).orderBy(asc(apiKeys.id));
  const credentialRows = await db.select().from(credentials).orderBy(asc(credentials.id));
  const policyRows = await db.select().from(policies).orderBy(asc(policies.name));
  const scopeRows = await db.select().from(oauthScopes).orderBy(asc(oauthScopes.name));
  const providerRows = await db.select().from(identityProviders).orderBy(asc(identityProviders.name));
  const providerName = new Map(providerRows.map((p) => [p.id, p.name]));
  const portal = await readPortal(db);
  const alerts = await readAlerts(db);
  // Global and API lists are always written (a present list is exactly these); a route's only
  // when it has policies, to keep files short.
  const policiesOf = (apiId: string | null, routeId: string | null) =>
    policyRows
      .filter((p) => p.apiId === apiId && p.routeId === routeId)
      .map((p) => ({
        name: p.name,
        ...(!p.enabled && { enabled: false }),
        ...(Object.keys(p.config).length > 0 && { config: p.config }),
      }));

  return {
    upstreams: upstreamRows.map((u) => ({
      name: u.name,
      ...(u.description && { description: u.description }),
      targets: u.targets.map((t) => ({ url: t.url, weight: t.weight })),
      ...unlessDefault('balancing', u.balancing),
      ...unlessDefault('healthChecks', u.healthChecks),
      ...unlessDefault('timeouts', u.timeouts),
      ...unlessDefault('retries', u.retries),
    })),
    policies: policiesOf(null, null),
    apis: apiRows.map((a) => ({
      name: a.name,
      ...(a.description && { description: a.description }),
      ...(a.version && { version: a.version }),
      ...(a.visibility !== 'public' && { visibility: a.visibility }),
      ...(a.partnerTiers.length > 0 && { partnerTiers: a.partnerTiers }),
      lifecycle: a.lifecycle,
      basePath: a.basePath,
      ...(a.hosts.length > 0 && { hosts: a.hosts }),
      upstream: upstreamName.get(a.upstreamId) ?? a.upstreamId,
      ...(a.keyless && { keyless: true }),
      ...(!a.stripBasePath && { stripBasePath: false }),
      ...(a.maxBodyBytes !== null && { maxBodyBytes: a.maxBodyBytes }),
      ...(a.identityProviderId !== null && {
        identityProvider: providerName.get(a.identityProviderId) ?? a.identityProviderId,
      }),
      ...(a.metrics.length > 0 && { metrics: a.metrics.map((m) => ({ name: m.name, parent: m.parent })) }),
      routes: routeRows
        .filter((r) => r.apiId === a.id)
        .map((r) => ({
          name: r.name,
          ...(r.methods.length > 0 && { methods: r.methods as ('GET' | 'POST')[] }),
          path: r.path,
          ...(r.metric !== 'hits' && { metric: r.metric }),
          ...(r.delta !== 1 && { delta: r.delta }),
          ...(policyRows.some((p) => p.routeId === r.id) && { policies: policiesOf(a.id, r.id) }),
        })),
      policies: policiesOf(a.id, null),
      // The long ones last, so the routes stay near the top of the entry.
      ...(a.overview && { overview: a.overview }),
      ...(a.changelog && { changelog: a.changelog }),
      ...(a.openapi !== null && { openapi: a.openapi }),
    })),
    products: productRows.map((p) => ({
      name: p.name,
      ...(p.description && { description: p.description }),
      apis: links
        .filter((l) => l.productId === p.id)
        .map((l) => apiName.get(l.apiId) ?? l.apiId)
        .sort(),
      plans: planRows
        .filter((pl) => pl.productId === p.id)
        .map((pl) => ({
          name: pl.name,
          ...(pl.description && { description: pl.description }),
          state: pl.state,
          ...(pl.visibility !== 'public' && { visibility: pl.visibility }),
          ...(pl.isDefault && { default: true }),
          ...(pl.approval !== 'auto' && { approval: pl.approval }),
          ...(pl.limits.length > 0 && {
            limits: pl.limits.map((l) => ({
              metric: l.metric,
              period: l.period,
              max: l.max,
              ...(l.per === 'end-user' && { per: l.per }),
            })),
          }),
          ...(pl.disabledMetrics.length > 0 && { disabledMetrics: pl.disabledMetrics }),
          ...(pl.pricing && { pricing: exportedPricing(pl.pricing) }),
        })),
    })),
    accounts: accountRows.map((acc) => ({
      name: acc.name,
      ...(acc.email && { email: acc.email }),
      state: acc.state,
      ...(acc.tier !== 'standard' && { tier: acc.tier }),
      ...(Object.keys(acc.customFields).length > 0 && { customFields: acc.customFields }),
      applications: appRows
        .filter((app) => app.accountId === acc.id)
        .map((app) => ({
          name: app.name,
          ...(app.description && { description: app.description }),
          state: app.state,
          ...(app.redirectUris.length > 0 && { redirectUris: app.redirectUris }),
          ...(Object.keys(app.customFields).length > 0 && { customFields: app.customFields }),
          subscriptions: currentPerPlan(subRows.filter((s) => s.applicationId === app.id)).map((s) => {
            const plan = planRef.get(s.planId);
            return {
              product: productName.get(plan?.productId ?? '') ?? '',
              plan: plan?.name ?? '',
              state: s.state,
            };
          }),
          keys: keyRows
            .filter((k) => k.applicationId === app.id)
            .map((k) => ({
              hash: k.hash,
              ...(k.prefix && { prefix: k.prefix }),
              ...(k.label && { label: k.label }),
              ...(k.expiresAt && { expiresAt: k.expiresAt.toISOString() }),
              ...(k.revokedAt && { revoked: true as const }),
            })),
          credentials: credentialRows
            .filter((c) => c.applicationId === app.id)
            .map((c) => {
              const common = {
                ...(c.label && { label: c.label }),
                ...(c.expiresAt && { expiresAt: c.expiresAt.toISOString() }),
                ...(c.revokedAt && { revoked: true as const }),
              };
              if (c.kind === 'basic')
                return {
                  kind: 'basic' as const,
                  username: c.identifier,
                  hash: c.secretHash ?? '',
                  ...common,
                };
              if (c.kind === 'hmac')
                return {
                  kind: 'hmac' as const,
                  username: c.identifier,
                  sealedSecret: c.sealedSecret ?? '',
                  ...common,
                };
              return {
                kind: 'mtls' as const,
                fingerprint: c.identifier,
                ...(c.subject && { subject: c.subject }),
                ...common,
              };
            }),
        })),
    })),
    // Only when there are any: files of installs without OAuth stay as they were.
    ...(scopeRows.length > 0 && {
      oauthScopes: scopeRows.map((s) => ({
        name: s.name,
        ...(s.description && { description: s.description }),
      })),
    }),
    ...(providerRows.length > 0 && {
      identityProviders: providerRows.map((p) => ({
        name: p.name,
        ...(p.displayName && { displayName: p.displayName }),
        loginUrl: p.loginUrl,
        issuer: p.issuer,
        ...(p.jwksUrl !== null && { jwksUrl: p.jwksUrl }),
        // Checked against the public-JWK schema on the way in.
        ...(p.publicKeys.length > 0 && { publicKeys: p.publicKeys as PublicJwk[] }),
        ...(!same(p.algorithms, defaultIdentityProviderAlgorithms) && {
          algorithms: p.algorithms as typeof defaultIdentityProviderAlgorithms,
        }),
      })),
    }),
    ...(alerts.length > 0 && { alerts }),
    ...(portal && { portal }),
  };
}

/** A settings block as it is stored, or nothing when it is the default (files stay short). */
function unlessDefault<K extends keyof UpstreamSettings>(key: K, value: UpstreamSettings[K]) {
  return same(value, defaultUpstreamSettings[key]) ? {} : { [key]: value };
}

/** A plan's pricing without its defaults: no setup fee, trial or tiers, and the open last tier. */
function exportedPricing(pricing: PlanPricing) {
  return {
    currency: pricing.currency,
    ...(pricing.setupFee > 0 && { setupFee: pricing.setupFee }),
    monthlyFee: pricing.monthlyFee,
    ...(pricing.trialDays > 0 && { trialDays: pricing.trialDays }),
    ...(pricing.perUnit.length > 0 && {
      perUnit: pricing.perUnit.map((t) => ({
        metric: t.metric,
        ...(t.upTo !== null && { upTo: t.upTo }),
        price: t.price,
      })),
    }),
  };
}
