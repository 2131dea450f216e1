// The configuration the benchmarks load: one upstream, a keyless API and a keyed one, and an
// application subscribed with the given key.
import type { ConfigDocument } from '../src/control/declarative/document.ts';

export function benchConfig(upstream: string, key: string): ConfigDocument {
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
    ],
    products: [{ name: 'bench', apis: ['bench'], plans: [{ name: 'unlimited', default: true }] }],
    accounts: [
      {
        name: 'bench',
        applications: [
          { name: 'bench-app', subscriptions: [{ product: 'bench', plan: 'unlimited' }], keys: [{ key }] },
        ],
      },
    ],
  };
}
