// The configuration the benchmarks load: one upstream, a keyless API and a keyed one, a keyed one
// under a plan with limits (high enough never to refuse), and an application subscribed to both
// products with the given key. With a public key, two more APIs: one taking JWTs
// signed with it, one with the common pre-auth, authorize and request policies beside key-auth.
import type { ConfigDocument } from '../src/control/declarative/document.ts';

export const benchIssuer = 'https://issuer.bench.test/';

function policyApis(publicJwk: Record<string, unknown>): NonNullable<ConfigDocument['apis']> {
  const all = [{ name: 'all', path: '/*' }];
  return [
    {
      name: 'jwt',
      basePath: '/jwt',
      upstream: 'bench',
      routes: all,
      policies: [
        {
          name: 'jwt',
          config: {
            issuer: benchIssuer,
            audiences: ['bench'],
            publicKeys: [publicJwk],
            algorithms: ['ES256'],
          },
        },
      ],
    },
    {
      name: 'guarded',
      basePath: '/guarded',
      upstream: 'bench',
      routes: all,
      policies: [
        { name: 'cors', config: { origins: ['https://app.bench.test'] } },
        { name: 'ip-restriction', config: { allow: ['127.0.0.0/8', '::1'] } },
        { name: 'acl', config: { deny: { tiers: ['banned'] } } },
        { name: 'upstream-secret', config: { secret: 'bench-upstream-secret-0123456789' } },
      ],
    },
  ];
}

export function benchConfig(
  upstream: string,
  key: string,
  publicJwk?: Record<string, unknown>,
): ConfigDocument {
  const extra = publicJwk === undefined ? [] : policyApis(publicJwk);
  return {
    upstreams: [{ name: 'bench', targets: [{ url: upstream }] }],
    apis: [
      {
        name: 'open',
        basePath: '/open',
        upstream: 'bench',
        keyless: true,
        routes: [{ name: 'all', path: '/*' }],
      },
      { name: 'bench', basePath: '/bench', upstream: 'bench', routes: [{ name: 'all', path: '/*' }] },
      { name: 'limited', basePath: '/limited', upstream: 'bench', routes: [{ name: 'all', path: '/*' }] },
      {
        // The request log as an operator would run it under load: one call in a hundred.
        name: 'logged',
        basePath: '/logged',
        upstream: 'bench',
        routes: [{ name: 'all', path: '/*' }],
        policies: [{ name: 'request-log', config: { sampleRate: 0.01 } }],
      },
      ...extra,
    ],
    products: [
      {
        name: 'bench',
        apis: ['bench', 'logged', ...extra.map((api) => api.name)],
        plans: [{ name: 'unlimited', default: true }],
      },
      {
        name: 'limited',
        apis: ['limited'],
        plans: [
          {
            name: 'metered',
            limits: [
              { metric: 'hits', period: 'minute', max: 1_000_000_000 },
              { metric: 'hits', period: 'month', max: 1_000_000_000_000 },
            ],
          },
        ],
      },
    ],
    accounts: [
      {
        name: 'bench',
        applications: [
          {
            name: 'bench-app',
            subscriptions: [
              { product: 'bench', plan: 'unlimited' },
              { product: 'limited', plan: 'metered' },
            ],
            keys: [{ key }],
          },
        ],
      },
    ],
  };
}
