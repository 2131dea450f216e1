// Consistent hashing's promise, as properties: adding or removing a target moves only the keys
// that go to or came from it, and about 1/n of them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HashRing } from './hash-ring.ts';

const ring = (names: readonly string[]) =>
  new HashRing(names.map((name) => ({ key: `http://${name}`, weight: 100, value: name })));

const keys = Array.from({ length: 2000 }, (_, i) => `client-${i}`);
const targetNames = fc.uniqueArray(fc.stringMatching(/^[a-z0-9]{1,12}$/), { minLength: 2, maxLength: 16 });

describe('hash ring', () => {
  it('moves only the removed target’s keys when a target is removed, about 1/n of all', () => {
    fc.assert(
      fc.property(targetNames, fc.nat(), (names, at) => {
        const removed = names[at % names.length] as string;
        const before = ring(names);
        const after = ring(names.filter((n) => n !== removed));
        let moved = 0;
        for (const key of keys) {
          const owner = before.get(key);
          if (owner === removed) moved++;
          else expect(after.get(key)).toBe(owner);
        }
        expect(moved / keys.length).toBeLessThan(2.2 / names.length);
      }),
      { numRuns: 40 },
    );
  });

  it('moves keys only to the added target when a target is added, about 1/(n+1) of all', () => {
    fc.assert(
      fc.property(targetNames, (names) => {
        const [added, ...rest] = names as [string, ...string[]];
        const before = ring(rest);
        const after = ring(names);
        let moved = 0;
        for (const key of keys) {
          const owner = after.get(key);
          if (owner === added) moved++;
          else expect(owner).toBe(before.get(key));
        }
        expect(moved / keys.length).toBeLessThan(2.2 / names.length);
        expect(moved).toBeGreaterThan(0);
      }),
      { numRuns: 40 },
    );
  });
});
