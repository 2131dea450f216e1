import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Period, periods, resetSecondsOf, windowOf } from './store.ts';

const utc = (ms: number) => {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    date: d.getUTCDate(),
    time: ms - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()),
  };
};

describe('windowOf', () => {
  it('aligns fixed windows to the epoch', () => {
    const t = Date.UTC(2031, 4, 14, 10, 30, 20, 500);
    expect(windowOf('second', t)).toEqual({ start: t - 500, end: t + 500 });
    expect(windowOf('minute', t)).toEqual({
      start: Date.UTC(2031, 4, 14, 10, 30),
      end: Date.UTC(2031, 4, 14, 10, 31),
    });
    expect(windowOf('hour', t)).toEqual({ start: Date.UTC(2031, 4, 14, 10), end: Date.UTC(2031, 4, 14, 11) });
    expect(windowOf('day', t)).toEqual({ start: Date.UTC(2031, 4, 14), end: Date.UTC(2031, 4, 15) });
    expect(windowOf('eternity', t)).toEqual({ start: 0, end: Number.POSITIVE_INFINITY });
  });

  it('follows the calendar for months and years, in UTC', () => {
    expect(windowOf('month', Date.UTC(2028, 1, 29, 23, 59, 59, 999))).toEqual({
      start: Date.UTC(2028, 1, 1),
      end: Date.UTC(2028, 2, 1),
    });
    expect(windowOf('month', Date.UTC(2030, 11, 31, 23))).toEqual({
      start: Date.UTC(2030, 11, 1),
      end: Date.UTC(2031, 0, 1),
    });
    expect(windowOf('year', Date.UTC(2031, 0, 1))).toEqual({
      start: Date.UTC(2031, 0, 1),
      end: Date.UTC(2032, 0, 1),
    });
    expect(windowOf('month', Date.UTC(2100, 1, 28)).end - Date.UTC(2100, 1, 1)).toBe(28 * 86_400_000);
  });

  it('holds the time in a window that starts and ends on the period boundaries', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...periods),
        fc.integer({ min: 0, max: Date.UTC(2400, 0, 1) }),
        (period, now) => {
          const { start, end } = windowOf(period, now);
          expect(start).toBeLessThanOrEqual(now);
          expect(now).toBeLessThan(end);
          if (period === 'month' || period === 'year') {
            const first = utc(start);
            expect(first).toMatchObject({ date: 1, time: 0, year: utc(now).year });
            if (period === 'year') expect(first.month).toBe(0);
            else expect(first.month).toBe(utc(now).month);
            // The window ends where the next one starts.
            expect(windowOf(period, end).start).toBe(end);
            expect(windowOf(period, end - 1).start).toBe(start);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('resetSecondsOf', () => {
  it('rounds up, gives at least 1, and Infinity for eternity', () => {
    const cases: [Period, number, number][] = [
      ['minute', 20_500, 40],
      ['minute', 59_999, 1],
      ['minute', 0, 60],
      ['second', 999, 1],
      ['eternity', 5, Number.POSITIVE_INFINITY],
    ];
    for (const [period, now, expected] of cases) {
      expect(resetSecondsOf(windowOf(period, now).end, now)).toBe(expected);
    }
    expect(resetSecondsOf(1000, 1000)).toBe(1);
  });
});
