import { describe, expect, it } from 'vitest';
import { parsePathPattern, type Segment } from '../../shared/path-pattern.ts';
import { matchEnd } from './request-target.ts';
import { hostName, Router, wildcardParent } from './router.ts';

function segments(pattern: string): Segment[] {
  const parsed = parsePathPattern(pattern);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.segments;
}

function router(routes: [pattern: string, methods?: string[], hosts?: string[]][]): Router<string> {
  const r = new Router<string>();
  for (const [pattern, methods = [], hosts = []] of routes) {
    const conflict = r.add(
      hosts,
      segments(pattern),
      methods,
      `${hosts.join(',')}${pattern} ${methods.join(',')}`.trim(),
    );
    if (conflict) throw new Error(conflict.reason);
  }
  return r;
}

function find(r: Router<string>, path: string, method = 'GET', host = ''): string | undefined {
  return r.find(host, path, matchEnd(path), method);
}

describe('router precedence', () => {
  const r = router([['/users/me'], ['/users/{id}'], ['/users/*'], ['/{section}/settings'], ['/*']]);

  it('prefers a literal segment over a parameter over a rest', () => {
    expect(find(r, '/users/me')).toBe('/users/me');
    expect(find(r, '/users/42')).toBe('/users/{id}');
    expect(find(r, '/users/42/posts')).toBe('/users/*');
  });

  it('backtracks when the more specific branch does not match further down', () => {
    // "users" is a literal, but no literal route continues with "settings".
    expect(find(r, '/users/settings')).toBe('/users/{id}');
    expect(find(r, '/admin/settings')).toBe('/{section}/settings');
    expect(find(r, '/admin/other')).toBe('/*');
  });

  it('lets a rest match nothing, after an exact match', () => {
    const files = router([['/files/*'], ['/files']]);
    expect(find(files, '/files')).toBe('/files');
    expect(find(router([['/files/*']]), '/files')).toBe('/files/*');
    expect(find(router([['/files/*']]), '/files/a/b/c')).toBe('/files/*');
  });

  it('treats one trailing slash as insignificant', () => {
    expect(find(r, '/users/me/')).toBe('/users/me');
    expect(find(router([['/a']]), '/a//')).toBeUndefined();
  });

  it('matches the root', () => {
    expect(find(router([['/']]), '/')).toBe('/');
    expect(find(router([['/']]), '/x')).toBeUndefined();
  });

  it('never lets a parameter match an empty segment', () => {
    const params = router([['/a/{x}/b']]);
    expect(find(params, '/a//b')).toBeUndefined();
    expect(find(params, '/a/1/b')).toBe('/a/{x}/b');
  });

  it('is case-sensitive in paths', () => {
    expect(find(router([['/Users']]), '/users')).toBeUndefined();
  });
});

describe('router methods', () => {
  const r = router([
    ['/items', ['GET']],
    ['/items', ['POST']],
    ['/items/{id}', ['DELETE']],
    ['/items/special', ['GET']],
  ]);

  it('picks the route that allows the method', () => {
    expect(find(r, '/items', 'POST')).toBe('/items POST');
  });

  it('falls back to a less specific path that allows the method', () => {
    expect(find(r, '/items/special', 'DELETE')).toBe('/items/{id} DELETE');
  });

  it('answers HEAD with a GET route', () => {
    expect(find(r, '/items', 'HEAD')).toBe('/items GET');
  });

  it('reports the allowed methods when the path matches but the method does not', () => {
    expect(find(r, '/items', 'PUT')).toBeUndefined();
    expect(r.allowed('', '/items', 6)).toEqual(['GET', 'HEAD', 'POST']);
    expect(r.allowed('', '/items/special', 14)).toEqual(['DELETE', 'GET', 'HEAD']);
    expect(r.allowed('', '/nothing', 8)).toBeUndefined();
  });

  it('lets an any-method route take every method', () => {
    const any = router([['/x', ['GET']], ['/x']]);
    expect(find(any, '/x', 'GET')).toBe('/x GET');
    expect(find(any, '/x', 'PATCH')).toBe('/x');
  });

  it('refuses two routes for the same pattern and method', () => {
    const conflicting = new Router<string>();
    expect(conflicting.add([], segments('/a/{x}'), ['GET'], 'one')).toBeUndefined();
    expect(conflicting.add([], segments('/a/{y}'), ['GET', 'PUT'], 'two')).toEqual({
      reason: 'another route already matches this path for GET',
      other: 'one',
    });
    expect(conflicting.add([], segments('/a/{y}'), ['PUT'], 'three')).toBeUndefined();
    expect(conflicting.add([], segments('/b'), [], 'four')).toBeUndefined();
    expect(conflicting.add([], segments('/b'), [], 'five')).toEqual({
      reason: 'another route already matches this path for every method',
      other: 'four',
    });
    expect(conflicting.add(['h.test'], segments('/c'), [], 'six')).toBeUndefined();
    expect(conflicting.add(['h.test'], segments('/c'), [], 'seven')?.reason).toMatch(/on host h\.test$/);
  });
});

describe('router hosts', () => {
  const r = router([
    ['/weather/*', [], ['api.example.com']],
    ['/*', [], []],
    ['/only-here', [], ['other.example.com']],
  ]);

  it('prefers an API that names the host', () => {
    expect(find(r, '/weather/x', 'GET', 'api.example.com')).toBe('api.example.com/weather/*');
    expect(find(r, '/weather/x', 'GET', 'elsewhere.com')).toBe('/*');
  });

  it('falls back to any-host APIs when the host-specific ones do not match', () => {
    expect(find(r, '/other', 'GET', 'api.example.com')).toBe('/*');
  });

  it('does not serve host-bound routes to other hosts', () => {
    expect(find(router([['/only', [], ['a.com']]]), '/only', 'GET', 'b.com')).toBeUndefined();
  });

  it('refuses two routes on the same wildcard host and pattern', () => {
    const r = new Router<string>();
    expect(r.add(['*.a.test'], segments('/x'), [], 'one')).toBeUndefined();
    expect(r.add(['*.a.test'], segments('/x'), [], 'two')?.reason).toMatch(/on host \*\.a\.test$/);
    // An exact host and a wildcard covering it are separate tables: no clash.
    expect(r.add(['b.a.test'], segments('/x'), [], 'three')).toBeUndefined();
  });

  it('parses Host headers case-insensitively and without the port', () => {
    expect(hostName('API.Example.com:8443')).toBe('api.example.com');
    expect(hostName('api.example.com.')).toBe('api.example.com');
    expect(hostName('[::1]:8000')).toBe('[::1]');
    expect(hostName(undefined)).toBe('');
  });
});

describe('router wildcard hosts', () => {
  const r = router([
    ['/*', [], ['api.example.com']],
    ['/*', [], ['*.example.com']],
    ['/wild-only', ['GET'], ['*.example.com']],
    ['/*', [], []],
    ['/any-only', ['POST'], []],
  ]);

  it('matches exactly one more label', () => {
    expect(find(r, '/x', 'GET', 'a.example.com')).toBe('*.example.com/*');
    expect(find(r, '/x', 'GET', 'example.com')).toBe('/*');
    expect(find(r, '/x', 'GET', 'a.b.example.com')).toBe('/*');
    expect(find(r, '/x', 'GET', 'aexample.com')).toBe('/*');
  });

  it('ranks exact host over wildcard over any host', () => {
    expect(find(r, '/x', 'GET', 'api.example.com')).toBe('api.example.com/*');
    expect(find(r, '/x', 'GET', 'web.example.com')).toBe('*.example.com/*');
    expect(find(r, '/x', 'GET', 'other.test')).toBe('/*');
  });

  it('falls back from exact to wildcard to any host when the path or method does not match', () => {
    const fallback = router([
      ['/exact', [], ['api.example.com']],
      ['/wild', ['GET'], ['*.example.com']],
      ['/*', [], []],
    ]);
    expect(find(fallback, '/wild', 'GET', 'api.example.com')).toBe('*.example.com/wild GET');
    expect(find(fallback, '/wild', 'POST', 'api.example.com')).toBe('/*');
    expect(find(fallback, '/exact', 'GET', 'www.example.com')).toBe('/*');
  });

  it('collects allowed methods from every table that matches the path', () => {
    const methods = router([
      ['/m', ['GET'], ['api.example.com']],
      ['/m', ['PUT'], ['*.example.com']],
      ['/m', ['DELETE'], []],
    ]);
    expect(methods.allowed('api.example.com', '/m', 2)).toEqual(['DELETE', 'GET', 'HEAD', 'PUT']);
    expect(methods.allowed('x.example.com', '/m', 2)).toEqual(['DELETE', 'PUT']);
    expect(methods.allowed('example.com', '/m', 2)).toEqual(['DELETE']);
  });

  it('knows which hosts it serves', () => {
    expect(r.servesHost('api.example.com')).toBe(true);
    expect(r.servesHost('x.example.com')).toBe(true);
    expect(r.servesHost('example.com')).toBe(false);
    expect(r.servesHost('x.y.example.com')).toBe(false);
    expect(router([['/*']]).servesHost('anything.test')).toBe(false);
  });

  it.each([
    ['a.example.com', 'example.com'],
    ['example.com', 'com'],
    ['.example.com', undefined],
    ['localhost', undefined],
    ['a.', undefined],
    ['[::1]', undefined],
  ])('finds the wildcard parent of %s', (host, parent) => {
    expect(wildcardParent(host)).toBe(parent);
  });
});

describe('router at scale', () => {
  it('finds routes among 10,000 quickly', () => {
    const r = new Router<number>();
    for (let i = 0; i < 10_000; i++) {
      r.add([], segments(`/api${i % 100}/v${i}/items/{id}`), ['GET'], i);
    }
    const started = performance.now();
    let found = 0;
    for (let i = 0; i < 100_000; i++) {
      const n = i % 10_000;
      const path = `/api${n % 100}/v${n}/items/42`;
      if (r.find('', path, path.length, 'GET') === n) found++;
    }
    expect(found).toBe(100_000);
    // Generous bound for slow CI machines; a linear scan takes orders of magnitude longer.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
  it('finds routes among 10,000 spread over exact, wildcard and any-host tables quickly', () => {
    const r = new Router<number>();
    for (let i = 0; i < 10_000; i++) {
      const hosts = i % 3 === 0 ? [`h${i % 500}.example.com`] : i % 3 === 1 ? [`*.t${i % 500}.test`] : [];
      r.add(hosts, segments(`/api${i % 100}/v${i}/items/{id}`), ['GET'], i);
    }
    const hostOf = (n: number) =>
      n % 3 === 0 ? `h${n % 500}.example.com` : n % 3 === 1 ? `x.t${n % 500}.test` : 'any.test';
    const started = performance.now();
    let found = 0;
    for (let i = 0; i < 100_000; i++) {
      const n = i % 10_000;
      const path = `/api${n % 100}/v${n}/items/42`;
      if (r.find(hostOf(n), path, path.length, 'GET') === n) found++;
    }
    expect(found).toBe(100_000);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
