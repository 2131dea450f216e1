// `turnpike start --demo`: a sample API behind the built-in echo upstream, a product with a
// plan, a developer account whose application is subscribed, and a fresh key, so a newcomer can
// make a first successful call at once. Seeding again is harmless: the same declarative document
// is applied, and the demo key is replaced by a new one (the old one is known only as a hash).
import { and, eq } from 'drizzle-orm';
import { fail, ok, type Result } from '../shared/errors.ts';
import type { Db } from '../store/db.ts';
import { accounts, apiKeys, applications } from '../store/schema/index.ts';
import { applyDocument } from './declarative/apply.ts';
import type { ConfigDocument } from './declarative/document.ts';
import { createKey } from './services/keys.ts';
import { write } from './services/write.ts';

export const demoPath = '/demo/v1/hello';

export function demoDocument(echoUrl: string): ConfigDocument {
  return {
    upstreams: [
      {
        name: 'demo-echo',
        description: 'The built-in echo upstream on the status port.',
        targets: [{ url: echoUrl }],
      },
    ],
    apis: [
      {
        name: 'demo',
        description: 'A sample API: the echo upstream answers with the request it received.',
        basePath: '/demo/v1',
        upstream: 'demo-echo',
        routes: [
          { name: 'hello', methods: ['GET'], path: '/hello' },
          { name: 'anything', path: '/*' },
        ],
      },
    ],
    products: [
      {
        name: 'demo',
        description: 'Everything in the demo API.',
        apis: ['demo'],
        plans: [{ name: 'free', description: 'Open to everyone.', default: true, approval: 'auto' }],
      },
    ],
    accounts: [
      {
        name: 'demo-developer',
        email: 'developer@example.com',
        applications: [{ name: 'demo-app', subscriptions: [{ product: 'demo', plan: 'free' }] }],
      },
    ],
  };
}

export async function seedDemo(db: Db, echoUrl: string): Promise<Result<{ key: string }>> {
  const applied = await applyDocument(db, demoDocument(echoUrl));
  if (!applied.ok) return applied;
  return write(db, async (tx) => {
    const [app] = await tx
      .select({ id: applications.id })
      .from(applications)
      .innerJoin(accounts, eq(accounts.id, applications.accountId))
      .where(and(eq(accounts.name, 'demo-developer'), eq(applications.name, 'demo-app')));
    if (!app) return fail('not-found', 'the demo application is missing');
    await tx.delete(apiKeys).where(and(eq(apiKeys.applicationId, app.id), eq(apiKeys.label, 'demo')));
    const created = await createKey(tx, app.id, { label: 'demo' });
    if (!created.ok) return created;
    return ok({ key: created.value.key ?? '' });
  });
}
