// The metric rules as the admin API and the declarative file see them: parents without cycles or
// deep chains, limits unique per metric, period and counter, deltas in bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPath } from '../../shared/errors.ts';
import { apiMetrics, maxMetricDepth, metricDelta, planLimits } from './metric.ts';

const problems = (result: { error?: { issues: { path: PropertyKey[]; message: string }[] } | undefined }) =>
  (result.error?.issues ?? []).map((i) => `${formatPath(i.path)}: ${i.message}`);

describe('API metrics', () => {
  it('accepts parents that end at hits within five levels', () => {
    const metrics = [
      { name: 'a', parent: 'b' },
      { name: 'b', parent: 'c' },
      { name: 'c', parent: 'd' },
      { name: 'd', parent: 'e' }, // e is not declared: its parent is hits
    ];
    expect(apiMetrics.safeParse(metrics).success).toBe(true);
  });

  it('refuses a cycle, naming it at each metric in it', () => {
    expect(
      problems(
        apiMetrics.safeParse([
          { name: 'reads', parent: 'writes' },
          { name: 'writes', parent: 'reads' },
          { name: 'search', parent: 'reads' },
        ]),
      ),
    ).toEqual([
      '[0].parent: the parents form a cycle: reads → writes → reads',
      '[1].parent: the parents form a cycle: writes → reads → writes',
    ]);
    expect(problems(apiMetrics.safeParse([{ name: 'self', parent: 'self' }]))).toEqual([
      '[0].parent: the parents form a cycle: self → self',
    ]);
  });

  it('refuses a chain deeper than five, a parent for hits, and a metric declared twice', () => {
    const chain = ['m1', 'm2', 'm3', 'm4', 'm5', 'm6'].map((name, i) => ({ name, parent: `m${i + 2}` }));
    expect(problems(apiMetrics.safeParse(chain))).toEqual([
      '[0].parent: m1 has 7 metrics above it, hits included; at most 5',
      '[1].parent: m2 has 6 metrics above it, hits included; at most 5',
    ]);
    expect(
      problems(
        apiMetrics.safeParse([
          { name: 'hits', parent: 'reads' },
          { name: 'reads', parent: 'all-reads' },
          { name: 'reads', parent: 'other' },
        ]),
      ),
    ).toEqual(['[0].name: hits has no parent', '[2].name: metric reads is declared twice']);
  });

  it('accepts exactly the parent maps without cycles whose chains stay within the limit', () => {
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const parentMap = fc.dictionary(fc.constantFrom(...names), fc.constantFrom(...names, 'hits'), {
      maxKeys: names.length,
    });
    fc.assert(
      fc.property(parentMap, (parents) => {
        // The reference: walk up from every metric, at most names.length + 1 steps.
        let valid = true;
        for (const start of Object.keys(parents)) {
          let at: string | undefined = start;
          let above = 0;
          while (at !== 'hits' && above <= names.length) {
            at = parents[at] ?? 'hits';
            above++;
          }
          if (at !== 'hits' || above > maxMetricDepth) valid = false;
        }
        const list = Object.entries(parents).map(([name, parent]) => ({ name, parent }));
        expect(apiMetrics.safeParse(list).success).toBe(valid);
      }),
      { numRuns: 500 },
    );
  });
});

describe('plan limits', () => {
  it('allows one limit per metric, period and counter, and names the index of a repeat', () => {
    expect(
      planLimits.safeParse([
        { metric: 'hits', period: 'minute', max: 10 },
        { metric: 'hits', period: 'minute', max: 2, per: 'end-user' },
        { metric: 'hits', period: 'hour', max: 100 },
      ]).success,
    ).toBe(true);
    expect(
      problems(
        planLimits.safeParse([
          { metric: 'hits', period: 'minute', max: 10 },
          { metric: 'hits', period: 'minute', max: 20, per: 'subscription' },
        ]),
      ),
    ).toEqual(['[1]: a second limit on hits per minute per subscription (the first is at index 0)']);
  });

  it('refuses unknown periods and counters, negative or fractional maxima, bad metric names', () => {
    expect(
      problems(
        planLimits.safeParse([
          { metric: 'hits', period: 'week', max: 1 },
          { metric: 'hits', period: 'day', max: -1 },
          { metric: 'hits', period: 'day', max: 1.5, per: 'user' },
          { metric: 'Hits', period: 'day', max: 1 },
        ]),
      ).map((p) => p.split(':')[0]),
    ).toEqual(['[0].period', '[1].max', '[2].max', '[2].per', '[3].metric']);
  });
});

describe('route delta', () => {
  it('is an integer from 1 to 1,000,000', () => {
    for (const ok of [1, 5, 1_000_000]) expect(metricDelta.safeParse(ok).success).toBe(true);
    for (const bad of [0, -1, 1.5, 1_000_001]) expect(metricDelta.safeParse(bad).success).toBe(false);
  });
});
