// The trie must agree with the precedence rule written as a plain definition: among the patterns
// that match the path and allow the method, the one whose segment kinds are smallest in order
// (end < literal < param < rest, compared left to right) wins.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../shared/path-pattern.ts';
import { matchEnd } from './request-target.ts';
import { Router } from './router.ts';

const literals = ['a', 'b', 'c'];
const segment: fc.Arbitrary<Segment> = fc.oneof(
  fc.constantFrom(...literals).map((value) => ({ kind: 'literal' as const, value })),
  fc.constant({ kind: 'param' as const, name: 'p' }),
);
const pattern = fc
  .tuple(fc.array(segment, { maxLength: 4 }), fc.boolean())
  .map(([segments, rest]) => (rest ? [...segments, { kind: 'rest' as const }] : segments));
const methods = fc.constantFrom<string[][]>([], ['GET'], ['POST'], ['GET', 'POST']);
const path = fc
  .tuple(fc.array(fc.constantFrom(...literals, 'd', ''), { maxLength: 5 }), fc.boolean())
  .map(([parts, slash]) => `/${parts.join('/')}${slash && parts.length > 0 ? '/' : ''}`);

function matches(segments: Segment[], parts: string[]): boolean {
  for (const [i, segment] of segments.entries()) {
    if (segment.kind === 'rest') return true;
    const part = parts[i];
    if (part === undefined) return false;
    if (segment.kind === 'literal' && segment.value !== part) return false;
    if (segment.kind === 'param' && part === '') return false;
  }
  return segments.length === parts.length;
}

const rank = { literal: 0, param: 1, rest: 2 } as const;

function moreSpecific(a: Segment[], b: Segment[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] === undefined ? -1 : rank[(a[i] as Segment).kind];
    const y = b[i] === undefined ? -1 : rank[(b[i] as Segment).kind];
    if (x !== y) return x < y;
  }
  return false;
}

function allows(list: string[], method: string): boolean {
  return list.length === 0 || list.includes(method) || (method === 'HEAD' && list.includes('GET'));
}

describe('router (property)', () => {
  it('agrees with the precedence rule', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(pattern, methods), { maxLength: 12 }),
        path,
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'),
        (routes, requestPath, method) => {
          const router = new Router<number>();
          const accepted: [Segment[], string[], number][] = [];
          for (const [i, [segments, list]] of routes.entries()) {
            if (router.add([], segments, list, i) === undefined) accepted.push([segments, list, i]);
          }
          const end = matchEnd(requestPath);
          const parts = end <= 1 ? [] : requestPath.slice(1, end).split('/');
          const candidates = accepted.filter(([s]) => matches(s, parts));
          let best: [Segment[], string[], number] | undefined;
          for (const candidate of candidates) {
            if (!allows(candidate[1], method)) continue;
            if (best === undefined || moreSpecific(candidate[0], best[0])) best = candidate;
          }
          const found = router.find('', requestPath, end, method);
          if (best === undefined) {
            expect(found).toBeUndefined();
            expect(router.allowed('', requestPath, end) !== undefined).toBe(candidates.length > 0);
          } else {
            // Equal-rank patterns share a trie node, so compare the pattern, not the route.
            const foundRoute = accepted.find(([, , i]) => i === found);
            expect(
              foundRoute && !moreSpecific(best[0], foundRoute[0]) && !moreSpecific(foundRoute[0], best[0]),
            ).toBe(true);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
