import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateAdminToken,
  generateApiKey,
  hashSecret,
  isWellFormedAdminToken,
  isWellFormedApiKey,
  keyPrefix,
} from './secrets.ts';

describe('API keys', () => {
  it('carry a recognisable prefix and a checksum', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^tp_live_[0-9A-Za-z]{36}$/);
    expect(isWellFormedApiKey(key)).toBe(true);
    expect(isWellFormedApiKey(generateApiKey('test'))).toBe(true);
    expect(keyPrefix(key)).toBe(key.slice(0, 12));
  });

  it('are rejected when any character of the body is changed', () => {
    const key = generateApiKey();
    fc.assert(
      fc.property(fc.integer({ min: 8, max: 43 }), fc.constantFrom(...'abcXYZ019'), (i, ch) => {
        fc.pre(key[i] !== ch);
        const mutated = key.slice(0, i) + ch + key.slice(i + 1);
        // A CRC32 in base62 catches every single-character change.
        expect(isWellFormedApiKey(mutated)).toBe(false);
      }),
    );
  });

  it('reject strings of the wrong shape', () => {
    for (const bad of ['', 'tp_live_', `tp_prod_${'a'.repeat(36)}`, 'x'.repeat(44), `${generateApiKey()}x`]) {
      expect(isWellFormedApiKey(bad)).toBe(false);
    }
  });

  it('hash to SHA-256 hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('admin tokens', () => {
  it('are well formed and distinct from API keys', () => {
    const token = generateAdminToken();
    expect(isWellFormedAdminToken(token)).toBe(true);
    expect(isWellFormedApiKey(token)).toBe(false);
    expect(isWellFormedAdminToken(generateApiKey())).toBe(false);
  });
});
