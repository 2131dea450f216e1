// Counters shared by every gateway process and node through one Redis: one Lua script per call
// reads, decides and counts atomically, on Redis's clock, so nodes with skewed clocks agree.
import { Redis } from 'ioredis';
import { consumeLua, consumeSha } from './redis-script.ts';
import type { CounterStore, LimitCheck, LimitState, Verdict } from './store.ts';
import { assertUnits, resetSecondsOf, unansweredVerdict } from './store.ts';

export interface RedisCounterStoreOptions {
  /** Default `redis://127.0.0.1:6379`. */
  readonly url?: string;
  /** Prepended to every key. Default `turnpike:rl:`. */
  readonly prefix?: string;
  /** How long a request waits for Redis before the failure setting decides. Default 50 ms. */
  readonly timeoutMs?: number;
  /** When Redis cannot answer in time: `open` allows (default), `closed` refuses. */
  readonly failure?: 'open' | 'closed';
  /** Told about every Redis error (connection losses, timeouts); the store logs nothing itself. */
  readonly onError?: (error: Error) => void;
  /** Tests only: the script takes the time from this clock instead of Redis TIME. */
  readonly testNow?: () => number;
}

/** Keys outlive their window by this much, so a counter never expires while still current. */
export const expiryMarginMs = 1000;

/**
 * A `CounterStore` on Redis, with the semantics of MemoryCounterStore (see conformance.ts).
 * `consume` never throws (except for invalid units, a caller's bug): when Redis is unreachable,
 * slow or errs, it resolves a `degraded` verdict with `allowed` set by `failure`.
 */
export class RedisCounterStore implements CounterStore {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #failOpen: boolean;
  readonly #onError: (error: Error) => void;
  readonly #testNow: (() => number) | undefined;

  constructor(options: RedisCounterStoreOptions = {}) {
    this.#prefix = options.prefix ?? 'turnpike:rl:';
    this.#failOpen = (options.failure ?? 'open') === 'open';
    this.#onError = options.onError ?? (() => {});
    this.#testNow = options.testNow;
    this.#redis = new Redis(options.url ?? 'redis://127.0.0.1:6379', {
      commandTimeout: options.timeoutMs ?? 50,
      // While disconnected, fail at once instead of queueing: a queued consume would wait, and
      // might be counted twice when resent after a reconnect.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      // Reconnect in the background, forever, backing off to 2 s.
      retryStrategy: (times) => Math.min(times * 100, 2000),
      connectTimeout: 1000,
    });
    // Without a listener ioredis would print errors itself.
    this.#redis.on('error', (error: Error) => this.#onError(error));
    // Load the script on every (re)connect, so the first call after a Redis restart needs one trip.
    this.#redis.on('ready', () => {
      this.#redis.script('LOAD', consumeLua).catch((error: Error) => this.#onError(error));
    });
  }

  async consume(checks: readonly LimitCheck[], units: number): Promise<Verdict> {
    assertUnits(units);
    if (checks.length === 0) return { allowed: true, limits: [] };
    const keys = checks.map((check) => `${this.#prefix}${check.key}:${check.period}`);
    const args: (string | number)[] = [
      units,
      this.#testNow ? Math.floor(this.#testNow()) : '',
      expiryMarginMs,
    ];
    for (const check of checks) args.push(check.period, check.max);
    try {
      return verdictOf(checks, units, await this.#run(keys, args));
    } catch (error) {
      this.#onError(error instanceof Error ? error : new Error(String(error)));
      return this.#degraded(checks);
    }
  }

  /** Resolves true once connected, false when not within `waitMs`; for startup and tests. */
  ready(waitMs = 5000): Promise<boolean> {
    if (this.#redis.status === 'ready') return Promise.resolve(true);
    return new Promise((resolve) => {
      const onReady = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.#redis.off('ready', onReady);
        resolve(false);
      }, waitMs);
      timer.unref();
      this.#redis.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    try {
      if (this.#redis.status === 'ready') await this.#redis.quit();
    } catch {
      // Quitting politely failed; disconnecting below is enough.
    }
    this.#redis.disconnect();
  }

  async #run(keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#redis.evalsha(consumeSha, keys.length, ...keys, ...args);
    } catch (error) {
      // Redis restarted (it keeps no scripts) before 'ready' reloaded it: send the script itself.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return await this.#redis.eval(consumeLua, keys.length, ...keys, ...args);
    }
  }

  /** What to answer without Redis: nothing is known, so report the window as empty or full. */
  #degraded(checks: readonly LimitCheck[]): Verdict {
    return unansweredVerdict(checks, this.#failOpen);
  }
}

function verdictOf(checks: readonly LimitCheck[], units: number, reply: unknown): Verdict {
  if (
    !Array.isArray(reply) ||
    reply.length !== 2 + 2 * checks.length ||
    !reply.every((n) => typeof n === 'number')
  ) {
    throw new Error(`unexpected reply from the counter script for ${units} units: ${JSON.stringify(reply)}`);
  }
  const [allowed, now] = reply as number[];
  const limits = checks.map(({ key, period, max }, i): LimitState => {
    const used = reply[2 + 2 * i] as number;
    const end = reply[3 + 2 * i] as number;
    const resetSeconds = end < 0 ? Number.POSITIVE_INFINITY : resetSecondsOf(end, now as number);
    return { key, period, max, used, remaining: Math.max(0, max - used), resetSeconds };
  });
  return { allowed: allowed === 1, limits };
}
