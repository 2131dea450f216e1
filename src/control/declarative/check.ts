// Checks a document as a whole before anything is written: names unique in each list, every
// reference resolvable (in the file or already in the store), no two routes the gateway could
// not tell apart. Each error names the path of the offending field.
import { routeConflicts } from '../../gateway/router/placement.ts';
import type { FieldError } from '../../shared/errors.ts';
import { normalizeFingerprint } from '../../shared/fingerprint.ts';
import { hashSecret } from '../../shared/secrets.ts';
import type { ConfigDocument } from './document.ts';

/** Names already in the store, for references the file does not define itself. */
export interface KnownNames {
  upstreams: Set<string>;
  apis: Set<string>;
  identityProviders: Set<string>;
  /** product name → its plan names */
  plans: Map<string, Set<string>>;
}

export function checkDocument(doc: ConfigDocument, known: KnownNames): FieldError[] {
  const errors: FieldError[] = [];
  const error = (path: string, message: string) => errors.push({ path, message });

  uniqueNames(doc.upstreams ?? [], 'upstreams', error);
  uniqueNames(doc.apis ?? [], 'apis', error);
  uniqueNames(doc.products ?? [], 'products', error);
  uniqueNames(doc.accounts ?? [], 'accounts', error);
  uniqueNames(doc.oauthScopes ?? [], 'oauthScopes', error);
  uniqueNames(doc.identityProviders ?? [], 'identityProviders', error);
  uniqueNames(doc.alerts ?? [], 'alerts', error);

  const upstreams = new Set([...known.upstreams, ...(doc.upstreams ?? []).map((u) => u.name)]);
  const apis = new Set([...known.apis, ...(doc.apis ?? []).map((a) => a.name)]);
  const providers = new Set([
    ...known.identityProviders,
    ...(doc.identityProviders ?? []).map((p) => p.name),
  ]);
  for (const [i, api] of (doc.apis ?? []).entries()) {
    if (!upstreams.has(api.upstream)) error(`apis[${i}].upstream`, `no upstream named ${api.upstream}`);
    if (api.identityProvider && !providers.has(api.identityProvider))
      error(`apis[${i}].identityProvider`, `no identity provider named ${api.identityProvider}`);
    const routes = api.routes ?? [];
    uniqueNames(routes, `apis[${i}].routes`, error);
  }
  // The gateway's own rule, on the document's APIs in document order, so paths match the file.
  // Routes of APIs the file does not name are checked again before the apply commits.
  const placeable = (doc.apis ?? []).map((api) => ({
    id: api.name,
    name: api.name,
    basePath: api.basePath,
    hosts: api.hosts ?? [],
    routes: (api.routes ?? []).map((r) => ({
      id: r.name,
      name: r.name,
      methods: r.methods ?? [],
      path: r.path,
      metric: '',
    })),
  }));
  for (const conflict of routeConflicts(placeable)) error(`${conflict.path}.path`, conflict.message);

  const plans = new Map(known.plans);
  for (const [i, product] of (doc.products ?? []).entries()) {
    for (const [j, apiName] of (product.apis ?? []).entries()) {
      if (!apis.has(apiName)) error(`products[${i}].apis[${j}]`, `no API named ${apiName}`);
    }
    const productPlans = product.plans;
    if (productPlans) {
      uniqueNames(productPlans, `products[${i}].plans`, error);
      const defaults = productPlans.flatMap((p, j) => (p.default ? [j] : []));
      for (const j of defaults.slice(1))
        error(`products[${i}].plans[${j}].default`, 'only one plan of a product can be the default');
      plans.set(product.name, new Set(productPlans.map((p) => p.name)));
    } else if (!plans.has(product.name)) {
      plans.set(product.name, new Set());
    }
  }

  // Alert scopes name APIs and plans here; routes, accounts and applications when applied.
  for (const [i, alert] of (doc.alerts ?? []).entries()) {
    const scope = alert.scope ?? {};
    if (scope.api !== undefined && !apis.has(scope.api))
      error(`alerts[${i}].scope.api`, `no API named ${scope.api}`);
    if (scope.product !== undefined && scope.plan !== undefined) {
      const productPlans = plans.get(scope.product);
      if (!productPlans) error(`alerts[${i}].scope.product`, `no product named ${scope.product}`);
      else if (!productPlans.has(scope.plan))
        error(`alerts[${i}].scope.plan`, `product ${scope.product} has no plan named ${scope.plan}`);
    }
  }

  const keyOwners = new Map<string, string>();
  const credentialOwners = new Map<string, string>();
  for (const [i, account] of (doc.accounts ?? []).entries()) {
    const applications = account.applications ?? [];
    uniqueNames(applications, `accounts[${i}].applications`, error);
    for (const [j, app] of applications.entries()) {
      const at = `accounts[${i}].applications[${j}]`;
      const seenPlans = new Set<string>();
      for (const [k, sub] of (app.subscriptions ?? []).entries()) {
        const productPlans = plans.get(sub.product);
        if (!productPlans) error(`${at}.subscriptions[${k}].product`, `no product named ${sub.product}`);
        else if (!productPlans.has(sub.plan))
          error(`${at}.subscriptions[${k}].plan`, `product ${sub.product} has no plan named ${sub.plan}`);
        const id = `${sub.product}/${sub.plan}`;
        if (seenPlans.has(id)) error(`${at}.subscriptions[${k}]`, `a second subscription to ${id}`);
        seenPlans.add(id);
      }
      for (const [k, key] of (app.keys ?? []).entries()) {
        const hash = key.hash ?? (key.key ? hashSecret(key.key) : undefined);
        if (!hash) continue;
        const owner = keyOwners.get(hash);
        if (owner) error(`${at}.keys[${k}]`, `the same key is already listed at ${owner}`);
        keyOwners.set(hash, `${at}.keys[${k}]`);
      }
      // Usernames and fingerprints are unique per kind across all applications, as in the store.
      for (const [k, credential] of (app.credentials ?? []).entries()) {
        const identity =
          credential.kind === 'mtls'
            ? `mtls:${normalizeFingerprint(credential.fingerprint)}`
            : `${credential.kind}:${credential.username}`;
        const owner = credentialOwners.get(identity);
        if (owner) error(`${at}.credentials[${k}]`, `the same credential is already listed at ${owner}`);
        credentialOwners.set(identity, `${at}.credentials[${k}]`);
      }
    }
  }
  return errors;
}

function uniqueNames(
  items: { name: string }[],
  path: string,
  error: (path: string, message: string) => void,
): void {
  const first = new Map<string, number>();
  for (const [i, item] of items.entries()) {
    const earlier = first.get(item.name);
    if (earlier !== undefined)
      error(`${path}[${i}].name`, `duplicate name ${item.name} (first at ${path}[${earlier}])`);
    else first.set(item.name, i);
  }
}
