import { describe, expect, it } from 'vitest';
import { areaPath, labelIndexes, linePath, niceCeiling, stack, ticks } from './chart-scale.ts';

describe('chart scale', () => {
  it('rounds the top of the axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect([0, 0.3, 1, 7, 10, 11, 24, 26, 480, 501].map(niceCeiling)).toEqual([
      1, 0.5, 1, 10, 10, 20, 25, 50, 500, 1000,
    ]);
    expect(niceCeiling(Number.NaN)).toBe(1);
  });

  it('spreads ticks from zero to the top', () => {
    expect(ticks(9)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(18)).toEqual([0, 5, 10, 15, 20]);
    expect(ticks(0.15)).toEqual([0, 0.05, 0.1, 0.15, 0.2]);
    expect(ticks(9, true)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(ticks(1, true)).toEqual([0, 1, 2, 3, 4]);
    expect(ticks(240, true)).toEqual([0, 50, 100, 150, 200, 250]);
  });

  it('stacks series on one another, a missing value counting as zero', () => {
    expect(
      stack([
        [1, 2, null],
        [3, null, 1],
      ]),
    ).toEqual([
      [1, 2, 0],
      [4, 2, 1],
    ]);
  });

  it('breaks a line where a value is missing', () => {
    expect(linePath([0, 10, 20, 30], [5, null, 7, 8])).toBe('M0,5M20,7L30,8');
    expect(areaPath([0, 10], [1, 2], [5, 5])).toBe('M0,1L10,2L10,5L0,5Z');
  });

  it('labels at most a handful of points, the first included', () => {
    expect(labelIndexes(25, 6)).toEqual([0, 5, 10, 15, 20]);
    expect(labelIndexes(3)).toEqual([0, 1, 2]);
    expect(labelIndexes(0)).toEqual([]);
  });
});
