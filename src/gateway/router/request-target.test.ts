import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchEnd, normalizePath, normalizePercentEncoding, splitAbsoluteForm } from './request-target.ts';

describe('request target', () => {
  it('accepts origin-form paths as they are', () => {
    expect(normalizePath('/weather/v1/forecast')).toBe('/weather/v1/forecast');
    expect(normalizePath('/')).toBe('/');
    expect(normalizePath('/a.b/..c/.d')).toBe('/a.b/..c/.d');
  });

  it.each(['http://example.com/a', '*', '', 'a/b'])('refuses %j (not origin-form)', (target) => {
    expect(normalizePath(target)).toBeUndefined();
  });

  it.each(['/a/../b', '/a/./b', '/..', '/a/.', '/a/%2e%2E/b', '/a/%2E/b', '/a/.%2e', '/%2e'])(
    'refuses dot segments in %s',
    (target) => {
      expect(normalizePath(target)).toBeUndefined();
    },
  );

  it('decodes unreserved escapes and upper-cases the others', () => {
    expect(normalizePath('/%61dmin/%7euser')).toBe('/admin/~user');
    expect(normalizePath('/a%3ab/%c3%a9')).toBe('/a%3Ab/%C3%A9');
  });

  it.each(['/files/..%2Fadmin', '/a%2fb', '/a%5Cb', '/a%5cb', '/a\\..\\admin', '/a%00b'])(
    'refuses %s: an upstream could read a path separator or NUL into it',
    (target) => {
      expect(normalizePath(target)).toBeUndefined();
    },
  );

  it.each(['/a%', '/a%2', '/a%zz', '/%g0'])('refuses the malformed escape in %s', (target) => {
    expect(normalizePath(target)).toBeUndefined();
  });

  it.each([
    ['http://api.example.com/x?y=1', 'api.example.com', '/x?y=1'],
    ['HTTPS://API.example.com:8443/a/b', 'API.example.com:8443', '/a/b'],
    ['http://api.example.com', 'api.example.com', '/'],
    ['http://api.example.com?q', 'api.example.com', '/?q'],
    ['http://[::1]:8000/x', '[::1]:8000', '/x'],
    ['http://10.0.0.1/x', '10.0.0.1', '/x'],
  ])('splits the absolute-form %s', (target, authority, originForm) => {
    expect(splitAbsoluteForm(target)).toEqual({ authority, originForm });
  });

  it.each([
    'ftp://example.com/x',
    'http:/example.com/x',
    'http:///x',
    'http://user:pw@example.com/x',
    'http://example.com:80x/y',
    'http://exa mple.com/',
    'example.com/x',
    '/x',
    '*',
  ])('does not take %j for absolute-form', (target) => {
    expect(splitAbsoluteForm(target)).toBeUndefined();
  });

  it('finds where matching stops', () => {
    expect(matchEnd('/')).toBe(1);
    expect(matchEnd('/a/')).toBe(2);
    expect(matchEnd('/a')).toBe(2);
  });

  it('normalizes idempotently (property)', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = normalizePercentEncoding(s);
        if (once !== undefined) expect(normalizePercentEncoding(once)).toBe(once);
      }),
    );
  });
});
