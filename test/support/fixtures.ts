// Small builders for control-plane tests: a full chain upstream → API → route → product → plan
// → account → application (→ subscription, key) through the admin API.
import type { AdminHarness } from './admin.ts';

export interface Chain {
  upstreamId: string;
  apiId: string;
  productId: string;
  planId: string;
  accountId: string;
  applicationId: string;
}

export async function created(
  h: AdminHarness,
  url: string,
  body: unknown,
): Promise<{ id: string } & Record<string, unknown>> {
  const response = await h.call('POST', url, body);
  if (response.status !== 201)
    throw new Error(`POST ${url} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function chain(h: AdminHarness, name = 'weather', basePath = '/weather/v1'): Promise<Chain> {
  const upstream = await created(h, '/admin/v1/upstreams', {
    name: `${name}-up`,
    targets: [{ url: 'http://127.0.0.1:9' }],
  });
  const api = await created(h, '/admin/v1/apis', { name, basePath, upstreamId: upstream.id });
  await created(h, `/admin/v1/apis/${api.id}/routes`, { name: 'all', path: '/*' });
  const product = await created(h, '/admin/v1/products', { name, apiIds: [api.id] });
  const plan = await created(h, '/admin/v1/plans', { productId: product.id, name: 'trial' });
  const account = await created(h, '/admin/v1/accounts', { name: `${name}-acct` });
  const application = await created(h, '/admin/v1/applications', { accountId: account.id, name: 'app' });
  return {
    upstreamId: upstream.id,
    apiId: api.id,
    productId: product.id,
    planId: plan.id,
    accountId: account.id,
    applicationId: application.id,
  };
}
