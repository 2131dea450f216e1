// OAuth scopes through the admin API on both stores: RFC 6749 names, unique, no revision.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { created } from '../../../test/support/fixtures.ts';
import { listScopeNames } from './oauth-scopes.ts';
import { currentRevision } from './write.ts';

describe.each(storeKinds)('OAuth scopes on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
  });
  afterAll(() => h.close());

  it('accepts RFC 6749 scope tokens and refuses the rest, naming the field', async () => {
    for (const name of ['weather:read', 'https://api.example.com/read', 'a', '!#$[]~', 'x'.repeat(128)])
      expect((await h.call('POST', '/admin/v1/oauth-scopes', { name })).status, name).toBe(201);
    for (const name of ['', 'two words', 'quo"te', 'back\\slash', 'tab\t', 'é', 'x'.repeat(129)]) {
      const response = await h.call('POST', '/admin/v1/oauth-scopes', { name });
      expect([response.status, response.body.errors?.[0]?.path], name).toEqual([400, 'body.name']);
    }
    const long = await h.call('POST', '/admin/v1/oauth-scopes', {
      name: 'long',
      description: 'x'.repeat(501),
    });
    expect([long.status, long.body.errors?.[0]?.path]).toEqual([400, 'body.description']);
  });

  it('keeps names unique, finds scopes by id or name, and makes no revision', async () => {
    const revision = await currentRevision(h.store.db);
    const scope = await created(h, '/admin/v1/oauth-scopes', {
      name: 'orders.write',
      description: 'Place orders for you',
    });
    expect(scope).toMatchObject({ name: 'orders.write', description: 'Place orders for you' });
    expect(scope.id).toMatch(/^scp_/);
    const dup = await h.call('POST', '/admin/v1/oauth-scopes', { name: 'orders.write' });
    expect([dup.status, dup.body.code]).toEqual([409, 'conflict']);
    expect((await h.call('GET', '/admin/v1/oauth-scopes/orders.write')).body.id).toBe(scope.id);
    const other = await created(h, '/admin/v1/oauth-scopes', { name: 'orders.read' });
    expect(
      (await h.call('PATCH', `/admin/v1/oauth-scopes/${other.id}`, { name: 'orders.write' })).status,
    ).toBe(409);
    const changed = await h.call('PATCH', '/admin/v1/oauth-scopes/orders.read', {
      description: 'See orders',
    });
    expect([changed.status, changed.body.description]).toEqual([200, 'See orders']);
    expect((await h.call('GET', '/admin/v1/oauth-scopes?name=orders.read')).body.data).toEqual([
      changed.body,
    ]);
    const names = await listScopeNames(h.store.db);
    expect(names).toContainEqual({ name: 'orders.read', description: 'See orders' });
    expect(names).toContainEqual({ name: 'orders.write', description: 'Place orders for you' });
    expect((await h.call('DELETE', '/admin/v1/oauth-scopes/orders.read')).status).toBe(204);
    expect((await h.call('GET', `/admin/v1/oauth-scopes/${other.id}`)).status).toBe(404);
    expect(await currentRevision(h.store.db)).toBe(revision);
  });
});
