// The retry budget of one upstream (Finagle's RetryBudget): over a sliding window of the last
// 10 seconds, retries may not exceed `budgetPercent`% of the requests plus `minPerSecond` for
// each second of the window. During an outage retries then add at most that share of load,
// instead of multiplying it. Counting a request is one increment in the current second's bucket.

const seconds = 10;

export class RetryBudget {
  readonly #requests = new Float64Array(seconds);
  readonly #retries = new Float64Array(seconds);
  /** Which second each bucket holds. */
  readonly #stamps = new Float64Array(seconds).fill(-1);
  #second = -1;
  #slot = 0;

  /** Counts a request to the upstream (not a retry) at `now` (performance.now()). */
  recordRequest(now: number): void {
    if (now >= (this.#second + 1) * 1000 || now < this.#second * 1000) this.#advance(now);
    this.#requests[this.#slot] = (this.#requests[this.#slot] as number) + 1;
  }

  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(now: number, budgetPercent: number, minPerSecond: number): boolean {
    this.#advance(now);
    let requests = 0;
    let retries = 0;
    for (let i = 0; i < seconds; i++) {
      if ((this.#stamps[i] as number) <= this.#second - seconds) continue;
      requests += this.#requests[i] as number;
      retries += this.#retries[i] as number;
    }
    if (retries + 1 > (requests * budgetPercent) / 100 + minPerSecond * seconds) return false;
    this.#retries[this.#slot] = (this.#retries[this.#slot] as number) + 1;
    return true;
  }

  #advance(now: number): void {
    const second = Math.floor(now / 1000);
    if (second === this.#second) return;
    this.#second = second;
    const slot = second % seconds;
    this.#slot = slot;
    if (this.#stamps[slot] === second) return;
    this.#stamps[slot] = second;
    this.#requests[slot] = 0;
    this.#retries[slot] = 0;
  }
}
