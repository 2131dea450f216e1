// Ids: prefixed, and in creation order even when many are made in one millisecond (exports and
// keyset pagination sort by id; credentials made together once came out in random order).
import { describe, expect, it } from 'vitest';
import { isId, newId, ulid } from './ids.ts';

describe('ids', () => {
  it('sort in the order they were made, within one millisecond and when the clock steps back', () => {
    const made = Array.from({ length: 1000 }, (_, i) => ulid(1_800_000_000_000 + (i % 3 === 0 ? 0 : -5)));
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(1000);
    const fresh = Array.from({ length: 200 }, () => newId('credential'));
    expect([...fresh].sort()).toEqual(fresh);
  });

  it('carry their kind and the ULID shape', () => {
    const id = newId('developer');
    expect(id).toMatch(/^dev_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(isId('developer', id)).toBe(true);
    expect(isId('account', id)).toBe(false);
  });
});
