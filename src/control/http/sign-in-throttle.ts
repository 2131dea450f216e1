// Slows password guessing at the sign-in forms (console and authorization server): after
// `maxFailures` failed sign-ins for one email from one address within `windowMs`, further
// attempts for that pair are refused until the window has passed since the first failure.
// An attempt counts as a failure from the moment it starts (a success clears the count), so
// sending many guesses at once gets no more through than sending them one by one.
// Per process and in memory: it bounds guessing, it is not an account lockout (a correct
// password from another address still works, so an attacker cannot lock a person out).
export interface ThrottleVerdict {
  allowed: boolean;
  /** Seconds until attempts are allowed again; 0 when allowed. */
  retryAfterSeconds: number;
}

interface Failures {
  count: number;
  since: number;
}

export class SignInThrottle {
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #failures = new Map<string, Failures>();
  readonly #maxEntries: number;

  constructor(options: { maxFailures?: number; windowMs?: number; maxEntries?: number } = {}) {
    this.#maxFailures = options.maxFailures ?? 5;
    this.#windowMs = options.windowMs ?? 15 * 60_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
  }

  static key(email: string, clientIp: string): string {
    return `${email.trim().toLowerCase()}\n${clientIp}`;
  }

  /** Call before checking the password: refused, or allowed and counted as a failure until `succeeded`. */
  attempt(key: string, now = Date.now()): ThrottleVerdict {
    const entry = this.#failures.get(key);
    if (entry !== undefined && now - entry.since < this.#windowMs && entry.count >= this.#maxFailures) {
      return { allowed: false, retryAfterSeconds: Math.ceil((entry.since + this.#windowMs - now) / 1000) };
    }
    this.#count(key, now);
    return { allowed: true, retryAfterSeconds: 0 };
  }

  #count(key: string, now: number): void {
    const entry = this.#failures.get(key);
    if (entry === undefined || now - entry.since >= this.#windowMs) {
      // Bounded memory under a flood of made-up emails: the oldest entries go first.
      if (this.#failures.size >= this.#maxEntries) {
        const oldest = this.#failures.keys().next();
        if (!oldest.done) this.#failures.delete(oldest.value);
      }
      this.#failures.delete(key);
      this.#failures.set(key, { count: 1, since: now });
    } else entry.count++;
  }

  succeeded(key: string): void {
    this.#failures.delete(key);
  }
}
