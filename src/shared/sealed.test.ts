import { describe, expect, it } from 'vitest';
import { isSealed, seal, unseal } from './sealed.ts';

describe('sealed secrets', () => {
  it('round-trips, and each sealing differs (a fresh IV each time)', () => {
    const a = seal('tph_secret', 'platform-key');
    const b = seal('tph_secret', 'platform-key');
    expect(a).not.toBe(b);
    expect(isSealed(a)).toBe(true);
    expect(unseal(a, 'platform-key')).toBe('tph_secret');
    expect(a).not.toContain('tph_secret');
  });

  it('gives nothing back with another key, or when the value was altered', () => {
    const sealed = seal('tph_secret', 'platform-key');
    expect(unseal(sealed, 'another-key')).toBeUndefined();
    // The second-to-last character carries six bits of the tag (the last may carry padding bits).
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.slice(-1)}`;
    expect(flipped).not.toBe(sealed);
    expect(unseal(flipped, 'platform-key')).toBeUndefined();
    expect(unseal('not sealed at all', 'platform-key')).toBeUndefined();
  });
});
