import { describe, expect, it } from 'vitest';
import { parseTargetUrl } from '../../shared/target-url.ts';
import { Balancer, type Target } from './balancer.ts';

function target(origin: string, weight: number): Target {
  return { origin, pathPrefix: '', host: origin, weight, pool: undefined as never };
}

describe('balancer', () => {
  it('spreads picks by weight, interleaved rather than in bursts', () => {
    const balancer = new Balancer([target('a', 5), target('b', 1), target('c', 1)]);
    const picks = Array.from({ length: 7 }, () => balancer.pick().origin).join('');
    expect(picks).toBe('aabacaa');
  });

  it('keeps exact proportions over a cycle', () => {
    const balancer = new Balancer([target('a', 3), target('b', 1)]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const origin = balancer.pick().origin;
      counts.set(origin, (counts.get(origin) ?? 0) + 1);
    }
    expect(Object.fromEntries(counts)).toEqual({ a: 300, b: 100 });
  });

  it('sends nothing to a zero-weight target', () => {
    const balancer = new Balancer([target('a', 0), target('b', 1)]);
    expect(new Set(Array.from({ length: 10 }, () => balancer.pick().origin))).toEqual(new Set(['b']));
  });

  it('refuses an upstream without a usable target', () => {
    expect(() => new Balancer([target('a', 0)])).toThrow();
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
