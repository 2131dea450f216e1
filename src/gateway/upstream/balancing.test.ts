// Each balancing algorithm through the gateway, over real sockets: who gets how many requests.
import { afterEach, describe, expect, it } from 'vitest';
import { FaultyUpstream } from '../../../test/support/faulty-upstream.ts';
import { api, consumer } from '../testing/fixtures.ts';
import { call, closeAll, gatewayFor, later, upstreamSnapshot } from './testing.ts';

afterEach(closeAll);

async function targets(n: number): Promise<FaultyUpstream[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => FaultyUpstream.start(`t${i}`).then(later)));
}

describe('balancing through the gateway', () => {
  it('round-robin honours weights', async () => {
    const [a, b] = await targets(2);
    if (!a || !b) throw new Error('no targets');
    const gw = await gatewayFor(
      upstreamSnapshot([
        { url: a.url, weight: 300 },
        { url: b.url, weight: 100 },
      ]),
    );
    for (let i = 0; i < 40; i++) await call(gw, '/x');
    expect([a.hits(), b.hits()]).toEqual([30, 10]);
  });

  it('least-connections sends fewer requests to a target that is slow to answer', async () => {
    const [slow, fast] = await targets(2);
    if (!slow || !fast) throw new Error('no targets');
    await slow.set({ kind: 'slow', headMs: 300 });
    const gw = await gatewayFor(
      upstreamSnapshot([slow.url, fast.url], { balancing: { algorithm: 'least-connections' } }),
    );
    // 4 callers in a loop for a while: the slow target holds its requests, so it gets few.
    const deadline = performance.now() + 700;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (performance.now() < deadline) await call(gw, '/x');
      }),
    );
    expect(fast.hits()).toBeGreaterThan(20);
    expect(slow.hits()).toBeLessThanOrEqual(8);
  });

  it('least-connections counts every attempt out when it ends, whatever happened to it', async () => {
    const [a, b] = await targets(2);
    if (!a || !b) throw new Error('no targets');
    const gw = await gatewayFor(
      upstreamSnapshot([a.url, b.url], {
        balancing: { algorithm: 'least-connections' },
        retries: { attempts: 1, budgetPercent: 100, minPerSecond: 100 },
        timeouts: { responseMs: 100 },
      }),
    );
    for (const fault of [
      { kind: 'reset' },
      { kind: 'status', status: 503 },
      { kind: 'malformed' },
      { kind: 'hang' },
    ] as const) {
      await a.set(fault);
      await Promise.all([
        ...Array.from({ length: 4 }, () => call(gw, '/x', { method: 'POST' })),
        ...Array.from({ length: 4 }, () => call(gw, '/x')),
      ]);
    }
    // Clients that give up while their request is in flight.
    await a.set({ kind: 'slow', headMs: 200 });
    await b.set({ kind: 'slow', headMs: 200 });
    const controller = new AbortController();
    const abandoned = Array.from({ length: 4 }, () =>
      fetch(`${gw.server.url}/x`, { signal: controller.signal }).catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    await Promise.all(abandoned);
    await new Promise((resolve) => setTimeout(resolve, 250));

    await a.set({ kind: 'ok' });
    await b.set({ kind: 'ok' });
    const [before, beforeB] = [a.hits(), b.hits()];
    for (let i = 0; i < 10; i++) await call(gw, '/x');
    // Idle again, both at zero in flight: the ties alternate.
    expect([a.hits() - before, b.hits() - beforeB]).toEqual([5, 5]);
  });

  it('consistent hashing on a header keeps each value on one target', async () => {
    const all = await targets(3);
    const gw = await gatewayFor(
      upstreamSnapshot(
        all.map((t) => t.url),
        { balancing: { algorithm: 'consistent-hash', hashOn: 'header', hashHeader: 'x-tenant' } },
      ),
    );
    const seen = new Map<string, Set<string>>();
    for (let round = 0; round < 3; round++)
      for (let tenant = 0; tenant < 30; tenant++) {
        const answer = await call(gw, '/x', { headers: { 'x-tenant': `tenant-${tenant}` } });
        const set = seen.get(`tenant-${tenant}`) ?? new Set();
        set.add(answer.body.upstream);
        seen.set(`tenant-${tenant}`, set);
      }
    for (const set of seen.values()) expect(set.size).toBe(1);
    for (const t of all) expect(t.hits()).toBeGreaterThan(0); // 30 tenants spread over all three
  });

  it('consistent hashing on the consumer keeps each application on one target', async () => {
    const all = await targets(3);
    const apps = Array.from({ length: 12 }, (_, i) => consumer(`app_${i}`, ['api_main']));
    const input = upstreamSnapshot(
      all.map((t) => t.url),
      { balancing: { algorithm: 'consistent-hash', hashOn: 'consumer' } },
    );
    input.apis = [api({ id: 'api_main', keyless: false })];
    input.applications = apps.map((a) => a.application);
    input.keys = apps.map((a) => a.keyRecord);
    const gw = await gatewayFor(input);
    const byApp = new Map<string, Set<string>>();
    for (let round = 0; round < 3; round++)
      for (const app of apps) {
        const answer = await call(gw, '/x', { headers: { 'x-api-key': app.key } });
        expect(answer.status).toBe(200);
        const set = byApp.get(app.application.id) ?? new Set();
        set.add(answer.body.upstream);
        byApp.set(app.application.id, set);
      }
    for (const set of byApp.values()) expect(set.size).toBe(1);
    expect(new Set([...byApp.values()].flatMap((s) => [...s])).size).toBeGreaterThan(1);
  });

  it('consistent hashing on the client address sends one client to one target', async () => {
    const all = await targets(3);
    const gw = await gatewayFor(
      upstreamSnapshot(
        all.map((t) => t.url),
        { balancing: { algorithm: 'consistent-hash', hashOn: 'client-ip' } },
      ),
    );
    for (let i = 0; i < 15; i++) await call(gw, '/x');
    expect(all.map((t) => t.hits()).sort((x, y) => x - y)).toEqual([0, 0, 15]);
  });

  it('consistent hashing by client IP hashes the client behind a trusted proxy, not the proxy', async () => {
    const all = await targets(3);
    const gw = await gatewayFor(
      upstreamSnapshot(
        all.map((t) => t.url),
        { balancing: { algorithm: 'consistent-hash', hashOn: 'client-ip' } },
      ),
      { trustedProxies: ['127.0.0.1'] },
    );
    const homes = new Map<string, string>();
    for (let i = 0; i < 60; i++) {
      const client = `203.0.113.${i % 20}`;
      const home = (await call(gw, '/x', { headers: { 'x-forwarded-for': client } })).body.upstream as string;
      expect(homes.get(client) ?? home).toBe(home); // each client sticks to its target
      homes.set(client, home);
    }
    expect(new Set(homes.values()).size).toBe(3); // and 20 clients spread over all three
  });

  it('consistent hashing moves a client to the next target while its own is out', async () => {
    const all = await targets(3);
    const gw = await gatewayFor(
      upstreamSnapshot(
        all.map((t) => t.url),
        {
          balancing: { algorithm: 'consistent-hash', hashOn: 'client-ip' },
          healthChecks: { passive: { failures: 1, ejectMs: 60_000 } },
        },
      ),
    );
    const home = (await call(gw, '/x')).body.upstream as string;
    const target = all.find((t) => t.name === home);
    await target?.set({ kind: 'status', status: 503 });
    expect((await call(gw, '/x')).status).toBe(503);
    const elsewhere = new Set<string>();
    for (let i = 0; i < 5; i++) elsewhere.add((await call(gw, '/x')).body.upstream);
    expect(elsewhere.size).toBe(1);
    expect(elsewhere.has(home)).toBe(false);
  });
});
