// Helpers the counter stores share; the interface itself is src/policies/counters.ts (what
// policies see of the stores).
import type { LimitCheck, LimitState, Period, Verdict } from '../../policies/counters.ts';

export * from '../../policies/counters.ts';

/** The window that `nowMs` falls in: [start, end) in epoch milliseconds (end Infinity for eternity). */
export function windowOf(period: Period, nowMs: number): { start: number; end: number } {
  const fixed: Partial<Record<Period, number>> = {
    second: 1000,
    minute: 60_000,
    hour: 3_600_000,
    day: 86_400_000,
  };
  const length = fixed[period];
  if (length !== undefined) {
    const start = Math.floor(nowMs / length) * length;
    return { start, end: start + length };
  }
  if (period === 'eternity') return { start: 0, end: Number.POSITIVE_INFINITY };
  const date = new Date(nowMs);
  const year = date.getUTCFullYear();
  if (period === 'year') return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = date.getUTCMonth();
  return { start: Date.UTC(year, month, 1), end: Date.UTC(year, month + 1, 1) };
}

/** Seconds from `nowMs` to a window's `end`: rounded up, at least 1; Infinity for eternity. */
export function resetSecondsOf(end: number, nowMs: number): number {
  return Math.max(1, Math.ceil((end - nowMs) / 1000));
}

/** Units are whole and not negative; anything else is a bug in the caller, so it throws. */
export function assertUnits(units: number): void {
  if (!Number.isSafeInteger(units) || units < 0) {
    throw new RangeError(`units must be a whole number of at least 0, got ${units}`);
  }
}

/**
 * The verdict when the store cannot be asked (Redis down, the primary silent): nothing is known,
 * so every window is reported empty (`allow`) or full, with its reset from the local clock.
 */
export function unansweredVerdict(checks: readonly LimitCheck[], allow: boolean, now = Date.now()): Verdict {
  const limits = checks.map(({ key, period, max }): LimitState => {
    const used = allow ? 0 : max;
    return {
      key,
      period,
      max,
      used,
      remaining: max - used,
      resetSeconds: resetSecondsOf(windowOf(period, now).end, now),
    };
  });
  return { allowed: allow, limits, degraded: true };
}
