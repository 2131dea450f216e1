// Counters held in this process: exact for one gateway process, and the default when no Redis is
// configured (each worker then counts on its own). Synchronous, because it sits on the hot path.
import type { CounterSeed, CounterStore, LimitCheck, LimitState, Period, Verdict } from './store.ts';
import { assertUnits, periods, resetSecondsOf, windowOf } from './store.ts';

export interface MemoryCounterStoreOptions {
  /** The clock, in epoch milliseconds; tests move it to cross window boundaries. */
  readonly now?: () => number;
  /** How often expired windows are swept out of memory; 0 turns the timer off. Default 60 s. */
  readonly sweepIntervalMs?: number;
}

/** Where a period's window sits in a key's slots. */
const slotOf = Object.fromEntries(periods.map((period, i) => [period, i])) as Record<Period, number>;

/** One counter in its current window. Reused when the window rolls over, so counting allocates nothing. */
interface Window {
  start: number;
  end: number;
  used: number;
  /** The last consume call that counted into this window, so a check listed twice counts once. */
  call: number;
}

/**
 * `consume` semantics (shared with the Redis store, see conformance.ts):
 * - all or nothing: the units are counted in every check's window, or, when any check lacks
 *   room (`used + units > max`), in none of them, and the call is refused;
 * - `units` 0 only reads (allowed unless a window is already over its max, e.g. after the max
 *   was lowered); `max` 0 refuses any positive units;
 * - `resetSeconds` is the time to the window's end, rounded up, at least 1; Infinity for eternity.
 *
 * Memory stays bounded by the live windows: a window past its end is reset in place when next
 * used, and dropped by a sweep every `sweepIntervalMs` (an unref'd timer that never keeps the
 * process alive). Eternity counters are never dropped.
 */
export class MemoryCounterStore implements CounterStore {
  /**
   * Per key, one slot per period. Keyed by the key alone, not `${key}\n${period}`: that string
   * would be built and hashed on every call (measured: most of a call's cost), while a key string
   * the caller keeps (built once per snapshot) hashes once.
   */
  readonly #windows = new Map<string, (Window | undefined)[]>();
  /** Windows held, for `size`. */
  #count = 0;
  readonly #now: () => number;
  readonly #sweeper: NodeJS.Timeout | undefined;
  /**
   * The windows of the call in progress, reused between calls to spare an array per request (it
   * may hold on to a few swept windows until overwritten; its length is never reset, because
   * resizing it on every call showed in measurements).
   */
  readonly #scratch: Window[] = [];
  #calls = 0;

  constructor(options: MemoryCounterStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    const interval = options.sweepIntervalMs ?? 60_000;
    if (interval > 0) {
      this.#sweeper = setInterval(() => this.sweep(), interval);
      this.#sweeper.unref();
    }
  }

  consume(checks: readonly LimitCheck[], units: number): Verdict {
    assertUnits(units);
    const now = this.#now();
    const windows = this.#scratch;
    let allowed = true;
    // First pass: find (or roll over) every window and see whether all have room.
    for (let i = 0; i < checks.length; i++) {
      const check = checks[i] as LimitCheck;
      const window = this.#windowFor(check.key, check.period, now);
      windows[i] = window;
      if (window.used + units > check.max) allowed = false;
    }
    // Second pass, only when every check had room: count.
    if (allowed && units > 0) {
      const call = ++this.#calls;
      for (let i = 0; i < checks.length; i++) {
        const window = windows[i] as Window;
        if (window.call === call) continue;
        window.used += units;
        window.call = call;
      }
    }
    const limits = new Array<LimitState>(checks.length);
    for (let i = 0; i < checks.length; i++) {
      const { key, period, max } = checks[i] as LimitCheck;
      const { used, end } = windows[i] as Window;
      limits[i] = {
        key,
        period,
        max,
        used,
        remaining: Math.max(0, max - used),
        resetSeconds: resetSecondsOf(end, now),
      };
    }
    return { allowed, limits };
  }

  seed(seeds: readonly CounterSeed[]): void {
    const now = this.#now();
    for (const { key, period, used } of seeds) {
      assertUnits(used);
      this.#windowFor(key, period, now).used += used;
    }
  }

  /** Drops every window that has ended. Runs on the timer; tests call it directly. */
  sweep(): void {
    const now = this.#now();
    for (const [key, slots] of this.#windows) {
      let live = 0;
      for (let i = 0; i < slots.length; i++) {
        const window = slots[i];
        if (window === undefined) continue;
        if (now >= window.end || now < window.start) {
          slots[i] = undefined;
          this.#count--;
        } else live++;
      }
      if (live === 0) this.#windows.delete(key);
    }
  }

  /** How many windows are held (live or not yet swept). */
  get size(): number {
    return this.#count;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#windows.clear();
    this.#count = 0;
  }

  #windowFor(key: string, period: Period, now: number): Window {
    let slots = this.#windows.get(key);
    if (slots === undefined) {
      slots = new Array<Window | undefined>(periods.length).fill(undefined);
      this.#windows.set(key, slots);
    }
    const slot = slotOf[period];
    let window = slots[slot];
    if (window === undefined) {
      const { start, end } = windowOf(period, now);
      window = { start, end, used: 0, call: 0 };
      slots[slot] = window;
      this.#count++;
    } else if (now >= window.end || now < window.start) {
      // A new window (or the clock went back): start counting again in the same object.
      const { start, end } = windowOf(period, now);
      window.start = start;
      window.end = end;
      window.used = 0;
    }
    return window;
  }
}
