// The arithmetic of the SVG charts, without React: a round top for the value axis, its ticks,
// stacking, and the path of a line that breaks where a value is missing.

/** The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `value` (1 for nothing). */
export function niceCeiling(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value - 1e-9) return step * power;
  return 10 * power;
}

/**
 * Five or six evenly spaced ticks from 0 to the nice ceiling of `max`, in round steps (10, not
 * 12.5); whole numbers only when the values are counts (no "2.5 requests").
 */
export function ticks(max: number, integer = false): number[] {
  const top = integer ? Math.max(4, niceCeiling(max)) : niceCeiling(max);
  const count = isRound(top / 4) ? 4 : 5;
  return Array.from({ length: count + 1 }, (_, i) => Number(((top * i) / count).toPrecision(12)));
}

/** 1, 2 or 5 times a power of ten. */
function isRound(value: number): boolean {
  const mantissa = value / 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].some((m) => Math.abs(mantissa - m) < 1e-9);
}

/** Each series added to the ones before it, for stacked areas; a missing value counts as 0. */
export function stack(series: (number | null)[][]): number[][] {
  const sums: number[][] = [];
  let below: number[] = [];
  for (const values of series) {
    const row = values.map((v, i) => (v ?? 0) + (below[i] ?? 0));
    sums.push(row);
    below = row;
  }
  return sums;
}

/** An SVG path through the points that have a value; a gap where one is missing. */
export function linePath(xs: number[], ys: (number | null)[]): string {
  let path = '';
  let drawing = false;
  ys.forEach((y, i) => {
    const x = xs[i];
    if (y === null || x === undefined) {
      drawing = false;
      return;
    }
    path += `${drawing ? 'L' : 'M'}${round(x)},${round(y)}`;
    drawing = true;
  });
  return path;
}

/** A closed area between `tops` and `bottoms` (both in SVG y), left to right and back. */
export function areaPath(xs: number[], tops: number[], bottoms: number[]): string {
  if (xs.length === 0) return '';
  const forward = xs.map((x, i) => `${i === 0 ? 'M' : 'L'}${round(x)},${round(tops[i] ?? 0)}`).join('');
  const back = xs
    .map((x, i) => `L${round(x)},${round(bottoms[i] ?? 0)}`)
    .reverse()
    .join('');
  return `${forward}${back}Z`;
}

/** Indexes of at most `count` labels spread over `length` points, the first one included. */
export function labelIndexes(length: number, count = 6): number[] {
  if (length <= 0) return [];
  const every = Math.max(1, Math.ceil(length / count));
  return Array.from({ length: Math.ceil(length / every) }, (_, i) => i * every);
}

const round = (n: number) => Math.round(n * 10) / 10;
