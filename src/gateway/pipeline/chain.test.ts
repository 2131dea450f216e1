import { describe, expect, it } from 'vitest';
import { testContext } from '../../policies/test-context.ts';
import type { SnapshotPolicy, SnapshotRoute } from '../snapshot/types.ts';
import { api, route } from '../testing/fixtures.ts';
import { PipelineBuilder } from './chain.ts';
import { runChain } from './run.ts';

const orders = api({
  id: 'api_orders',
  keyless: false,
  routes: [route('/a', [], 'a'), route('/b', [], 'b')],
});
const open = api({ id: 'api_open', keyless: true, routes: [route('/c', [], 'c')] });
const [routeA, routeB] = orders.routes as [SnapshotRoute, SnapshotRoute];
const routeC = open.routes[0] as SnapshotRoute;

let n = 0;
function policy(
  name: string,
  scope: { apiId?: string; routeId?: string } = {},
  fields: Partial<SnapshotPolicy> = {},
) {
  n++;
  return {
    id: `pol_${n}`,
    name,
    apiId: scope.apiId ?? null,
    routeId: scope.routeId ?? null,
    enabled: true,
    config: {},
    ...fields,
  } satisfies SnapshotPolicy;
}

const names = (builder: PipelineBuilder, a = orders, r = routeA) =>
  builder.forRoute(a, r).request.map((h) => h.name);

describe('policy chains', () => {
  it('runs key-auth, subscription and plan-limits on an API that needs a credential and configures none', () => {
    expect(names(new PipelineBuilder())).toEqual(['key-auth', 'subscription', 'plan-limits']);
    expect(names(new PipelineBuilder(), open, routeC)).toEqual([]);
  });

  it('orders policies by phase, then priority, whatever the order they were configured in', () => {
    const builder = new PipelineBuilder([
      policy('upstream-secret', {}, { config: { secret: 'a-secret-of-sixteen-chars' } }),
      policy('scopes', { apiId: orders.id }),
      policy('cors'),
      policy('ip-restriction'),
    ]);
    expect(names(builder)).toEqual([
      'cors',
      'ip-restriction',
      'key-auth',
      'subscription',
      'scopes',
      'plan-limits',
      'upstream-secret',
    ]);
  });

  it('lets a route policy replace the API one, and the API one a global one; disabled switches it off', () => {
    const builder = new PipelineBuilder([
      policy('ip-restriction', {}, { config: { deny: ['10.0.0.0/8'] } }),
      policy('ip-restriction', { apiId: orders.id }, { config: { deny: ['127.0.0.0/8'] } }),
      policy('ip-restriction', { apiId: orders.id, routeId: routeB.id }, { enabled: false }),
    ]);
    const denied = (r: typeof routeA, ip: string) =>
      runChain(builder.forRoute(orders, r).request.slice(0, 1), testContext({ clientIp: ip }));
    expect(denied(routeA, '127.0.0.1')).toMatchObject({ code: 'ip-not-allowed' });
    expect(denied(routeA, '10.1.1.1')).toBeUndefined(); // the API's list replaced the global one
    expect(names(builder, orders, routeB)).toEqual(['key-auth', 'subscription', 'plan-limits']);
    expect(names(builder, open, routeC)).toEqual(['ip-restriction']); // the global one still applies there
  });

  it('with one configured way in, that policy answers a request without its credential', () => {
    const builder = new PipelineBuilder([
      policy('key-auth', { apiId: orders.id }, { config: { header: 'X-Key' } }),
    ]);
    const outcome = runChain(builder.forRoute(orders, routeA).request, testContext());
    expect(outcome).toMatchObject({ code: 'key-missing', detail: expect.stringContaining('X-Key') });
  });

  it('with several ways in, each lets a request without its credential pass and the gate names them all', () => {
    const builder = new PipelineBuilder([
      policy('key-auth', { apiId: orders.id }),
      policy(
        'jwt',
        { apiId: orders.id },
        { config: { issuer: 'https://idp.test/', audiences: ['x'], jwksUrl: 'https://idp.test/jwks' } },
      ),
    ]);
    expect(names(builder)).toEqual(['jwt', 'key-auth', 'credential-gate', 'subscription', 'plan-limits']);
    const outcome = runChain(builder.forRoute(orders, routeA).request, testContext());
    expect(outcome).toMatchObject({ code: 'credential-missing' });
    const challenge = outcome && 'headers' in outcome ? outcome.headers?.['www-authenticate'] : '';
    expect(challenge).toMatch(/Bearer/);
    expect(challenge).toMatch(/Key header="X-API-Key"/);
  });

  it('on a keyless API runs configured authenticate policies without requiring a credential', () => {
    const builder = new PipelineBuilder([policy('key-auth', { apiId: open.id })]);
    expect(names(builder, open, routeC)).toEqual(['key-auth']);
    expect(runChain(builder.forRoute(open, routeC).request, testContext())).toBeUndefined();
  });

  it('shares one pipeline between routes with the same policies', () => {
    const builder = new PipelineBuilder([policy('cors', { apiId: orders.id })]);
    expect(builder.forRoute(orders, routeA)).toBe(builder.forRoute(orders, routeB));
    expect(builder.forRoute(orders, routeA).answersPreflight).toBe(true);
  });
});
