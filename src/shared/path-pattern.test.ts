import { describe, expect, it } from 'vitest';
import { joinPattern, parsePathPattern, validateBasePath } from './path-pattern.ts';

describe('path patterns', () => {
  it('parses literals, params and a final rest segment', () => {
    expect(parsePathPattern('/cities/{city}/*')).toEqual({
      ok: true,
      segments: [{ kind: 'literal', value: 'cities' }, { kind: 'param', name: 'city' }, { kind: 'rest' }],
    });
  });

  it.each([
    ['forecast', 'must start with "/"'],
    ['/a/*/b', '"*" may only be the last segment'],
    ['/a//b', 'must not contain empty segments ("//")'],
    ['/a/../b', 'must not contain "." or ".." segments'],
    ['/{a}/{a}', 'parameter "{a}" appears twice'],
  ])('rejects %s', (pattern, message) => {
    expect(parsePathPattern(pattern)).toEqual({ ok: false, message });
  });

  it('rejects malformed params', () => {
    expect(parsePathPattern('/x/{city').ok).toBe(false);
    expect(parsePathPattern('/x/a{city}').ok).toBe(false);
  });

  it('accepts only literal base paths without a trailing slash', () => {
    expect(validateBasePath('/weather/v1')).toBeUndefined();
    expect(validateBasePath('/')).toBeUndefined();
    expect(validateBasePath('/weather/')).toBe('must not end with "/"');
    expect(validateBasePath('/w/{v}')).toBe('must be a literal path, without "{param}" or "*"');
  });

  it('joins base and route paths', () => {
    expect(joinPattern('/weather/v1', '/forecast')).toBe('/weather/v1/forecast');
    expect(joinPattern('/weather/v1', '/')).toBe('/weather/v1');
    expect(joinPattern('/', '/x')).toBe('/x');
    expect(joinPattern('/', '/')).toBe('/');
  });
});
