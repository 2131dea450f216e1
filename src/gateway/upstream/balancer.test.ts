// The balancers without sockets: how each spreads picks, skips targets that may not be tried, and
// leaves one out for a retry. (Distribution over real sockets: balancing.test.ts.)
import { describe, expect, it } from 'vitest';
import { parseTargetUrl } from '../../shared/target-url.ts';
import { ConsistentHash } from './hash-ring.ts';
import { LeastConnections } from './least-connections.ts';
import { RoundRobin } from './round-robin.ts';
import { caller, fakeTarget } from './testing.ts';

const anyone = caller();

function tally(pick: () => { origin: string } | undefined, times: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < times; i++) {
    const origin = pick()?.origin ?? 'none';
    counts[origin] = (counts[origin] ?? 0) + 1;
  }
  return counts;
}

describe('round-robin', () => {
  it('spreads picks by weight, interleaved rather than in bursts', () => {
    const [a, b, c] = [fakeTarget('http://a', 5), fakeTarget('http://b', 1), fakeTarget('http://c', 1)];
    const balancer = new RoundRobin([a, b, c]);
    const picks = Array.from({ length: 7 }, () => balancer.pick(anyone, 0, undefined)?.host).join('');
    expect(picks).toBe('aabacaa');
  });

  it('keeps exact proportions over a cycle', () => {
    const balancer = new RoundRobin([fakeTarget('http://a', 3), fakeTarget('http://b', 1)]);
    expect(tally(() => balancer.pick(anyone, 0, undefined), 400)).toEqual({
      'http://a': 300,
      'http://b': 100,
    });
  });

  it('skips targets out of rotation and shares their turns among the others', () => {
    const [a, b, c] = [fakeTarget('http://a'), fakeTarget('http://b'), fakeTarget('http://c')];
    const balancer = new RoundRobin([a, b, c]);
    b.health.out = true;
    b.health.activeHealthy = false;
    expect(tally(() => balancer.pick(anyone, 0, undefined), 100)).toEqual({ 'http://a': 50, 'http://c': 50 });
    a.health.out = true;
    a.health.activeHealthy = false;
    c.health.out = true;
    c.health.activeHealthy = false;
    expect(balancer.pick(anyone, 0, undefined)).toBeUndefined();
  });

  it('offers an ejected target again once its ejection has passed, for one trial', () => {
    const a = fakeTarget('http://a');
    Object.assign(a.health, { out: true, ejected: true, ejectedUntil: 1000 });
    const balancer = new RoundRobin([a]);
    expect(balancer.pick(anyone, 999, undefined)).toBeUndefined();
    expect(balancer.pick(anyone, 1000, undefined)).toBe(a);
    a.health.trial = true;
    expect(balancer.pick(anyone, 1001, undefined)).toBeUndefined();
  });

  it('leaves out the target a retry comes from', () => {
    const [a, b] = [fakeTarget('http://a'), fakeTarget('http://b')];
    const balancer = new RoundRobin([a, b]);
    for (let i = 0; i < 5; i++) expect(balancer.pick(anyone, 0, a)).toBe(b);
    expect(new RoundRobin([a]).pick(anyone, 0, a)).toBeUndefined();
  });
});

describe('least-connections', () => {
  it('picks the target with the fewest requests in flight', () => {
    const [a, b, c] = [fakeTarget('http://a'), fakeTarget('http://b'), fakeTarget('http://c')];
    const balancer = new LeastConnections([a, b, c]);
    a.health.inflight = 3;
    b.health.inflight = 1;
    c.health.inflight = 2;
    expect(balancer.pick(anyone, 0, undefined)).toBe(b);
    expect(balancer.pick(anyone, 0, b)).toBe(c);
  });

  it('weighs requests in flight by weight', () => {
    const [a, b] = [fakeTarget('http://a', 300), fakeTarget('http://b', 100)];
    const balancer = new LeastConnections([a, b]);
    a.health.inflight = 2; // 2/300 < 1/100
    b.health.inflight = 1;
    expect(balancer.pick(anyone, 0, undefined)).toBe(a);
    a.health.inflight = 4; // 4/300 > 1/100
    expect(balancer.pick(anyone, 0, undefined)).toBe(b);
  });

  it('shares ties by weighted round-robin, so an idle upstream still honours weights', () => {
    const balancer = new LeastConnections([fakeTarget('http://a', 3), fakeTarget('http://b', 1)]);
    expect(tally(() => balancer.pick(anyone, 0, undefined), 400)).toEqual({
      'http://a': 300,
      'http://b': 100,
    });
  });

  it('keeps in-flight counts level under load', () => {
    const targets = [fakeTarget('http://a'), fakeTarget('http://b'), fakeTarget('http://c')];
    const balancer = new LeastConnections(targets);
    for (let i = 0; i < 30; i++) {
      const picked = balancer.pick(anyone, 0, undefined);
      if (picked) picked.health.inflight++;
    }
    expect(targets.map((t) => t.health.inflight)).toEqual([10, 10, 10]);
  });

  it('skips targets out of rotation', () => {
    const [a, b] = [fakeTarget('http://a'), fakeTarget('http://b')];
    b.health.inflight = 5;
    Object.assign(a.health, { out: true, activeHealthy: false });
    expect(new LeastConnections([a, b]).pick(anyone, 0, undefined)).toBe(b);
  });
});

describe('consistent hashing', () => {
  const targets = ['http://a', 'http://b', 'http://c', 'http://d'].map((url) => fakeTarget(url));

  it('sends the same client address to the same target, and spreads addresses evenly', () => {
    const balancer = new ConsistentHash(targets, 'client-ip', null);
    const counts: Record<string, number> = {};
    for (let i = 0; i < 4000; i++) {
      const ip = `10.0.${i >> 8}.${i & 255}`;
      const first = balancer.pick(caller({ ip }), 0, undefined);
      expect(balancer.pick(caller({ ip }), 0, undefined)).toBe(first);
      counts[first?.host ?? 'none'] = (counts[first?.host ?? 'none'] ?? 0) + 1;
    }
    for (const host of ['a', 'b', 'c', 'd']) {
      expect(counts[host]).toBeGreaterThan(750);
      expect(counts[host]).toBeLessThan(1250);
    }
  });

  it('follows weights', () => {
    const balancer = new ConsistentHash(
      [fakeTarget('http://a', 300), fakeTarget('http://b', 100)],
      'client-ip',
      null,
    );
    const counts = tally(() => undefined, 0);
    for (let i = 0; i < 4000; i++) {
      const host = balancer.pick(caller({ ip: `10.1.${i >> 8}.${i & 255}` }), 0, undefined)?.host ?? '';
      counts[host] = (counts[host] ?? 0) + 1;
    }
    expect((counts.a ?? 0) / 4000).toBeGreaterThan(0.68);
    expect((counts.a ?? 0) / 4000).toBeLessThan(0.82);
  });

  it('hashes on a header, falling back to the client address without it', () => {
    const balancer = new ConsistentHash(targets, 'header', 'X-Tenant');
    const byTenant = (tenant: string, ip: string) =>
      balancer.pick(caller({ ip, headers: { 'x-tenant': tenant } }), 0, undefined);
    for (let i = 0; i < 50; i++) expect(byTenant('acme', `10.2.0.${i}`)).toBe(byTenant('acme', '10.9.9.9'));
    const ip = '10.3.0.1';
    expect(balancer.pick(caller({ ip }), 0, undefined)).toBe(
      new ConsistentHash(targets, 'client-ip', null).pick(caller({ ip }), 0, undefined),
    );
  });

  it('hashes on the consumer, falling back to the client address without one', () => {
    const balancer = new ConsistentHash(targets, 'consumer', null);
    const first = balancer.pick(caller({ app: 'app_1', ip: '10.4.0.1' }), 0, undefined);
    for (let i = 0; i < 50; i++)
      expect(balancer.pick(caller({ app: 'app_1', ip: `10.4.1.${i}` }), 0, undefined)).toBe(first);
    const byIp = new ConsistentHash(targets, 'client-ip', null);
    expect(balancer.pick(caller({ ip: '10.4.2.2' }), 0, undefined)).toBe(
      byIp.pick(caller({ ip: '10.4.2.2' }), 0, undefined),
    );
  });

  it('moves only the keys of a target out of rotation, and brings them back', () => {
    const balancer = new ConsistentHash(targets, 'client-ip', null);
    const ips = Array.from({ length: 1000 }, (_, i) => `10.5.${i >> 8}.${i & 255}`);
    const before = ips.map((ip) => balancer.pick(caller({ ip }), 0, undefined));
    const down = targets[1];
    if (down === undefined) throw new Error('no target');
    Object.assign(down.health, { out: true, activeHealthy: false });
    const during = ips.map((ip) => balancer.pick(caller({ ip }), 0, undefined));
    for (const [i, target] of before.entries()) {
      if (target === down) expect(during[i]).not.toBe(down);
      else expect(during[i]).toBe(target);
    }
    Object.assign(down.health, { out: false, activeHealthy: true });
    expect(ips.map((ip) => balancer.pick(caller({ ip }), 0, undefined))).toEqual(before);
  });

  it('answers undefined when no target may be tried', () => {
    const few = [fakeTarget('http://a'), fakeTarget('http://b')];
    for (const t of few) Object.assign(t.health, { out: true, activeHealthy: false });
    expect(new ConsistentHash(few, 'client-ip', null).pick(anyone, 0, undefined)).toBeUndefined();
  });
});

describe('target URLs', () => {
  it('splits a URL into origin, path prefix and host', () => {
    expect(parseTargetUrl('http://10.0.0.5:8080/api/')).toEqual({
      origin: 'http://10.0.0.5:8080',
      pathPrefix: '/api',
      host: '10.0.0.5:8080',
    });
    expect(parseTargetUrl('https://example.com')).toEqual({
      origin: 'https://example.com',
      pathPrefix: '',
      host: 'example.com',
    });
  });

  it.each([
    ['ftp://x', 'must use http or https'],
    ['not a url', 'must be an absolute http:// or https:// URL'],
    ['http://u:p@x', 'must not contain credentials'],
    ['http://x/?q=1', 'must not contain a query or fragment'],
  ])('refuses %s', (url, message) => {
    expect(parseTargetUrl(url)).toBe(message);
  });
});
