// Counters of a node with several gateway workers and no Redis: the primary process holds them
// (an in-process store) and each worker asks it over the cluster IPC channel, so the node
// enforces one limit, not one per worker. A call costs one IPC round trip, and only calls that
// have limits make one. If the primary does not answer in time, the call is let through
// (degraded), as the Redis store does by default.
import type { CounterStore, LimitCheck, Verdict } from './store.ts';
import { assertUnits, unansweredVerdict } from './store.ts';

export interface ConsumeRequest {
  t: 'consume';
  id: number;
  checks: LimitCheck[];
  units: number;
}

export interface ConsumeAnswer {
  t: 'consumed';
  id: number;
  verdict: Verdict;
}

/** How long a worker waits for the primary before letting the call through uncounted. */
const answerTimeoutMs = 1000;

/** The worker's side: sends each consume to the primary and awaits its verdict. */
export class PrimaryCounterStore implements CounterStore {
  readonly #send: (request: ConsumeRequest) => void;
  readonly #waiting = new Map<
    number,
    { resolve: (v: Verdict) => void; timer: NodeJS.Timeout; fallback: Verdict }
  >();
  #next = 0;

  /** `send` delivers a request to the primary; the worker hands answers to `answered`. */
  constructor(send: (request: ConsumeRequest) => void) {
    this.#send = send;
  }

  consume(checks: readonly LimitCheck[], units: number): Promise<Verdict> {
    assertUnits(units);
    const id = ++this.#next;
    return new Promise((resolve) => {
      const fallback = unansweredVerdict(checks, true);
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        resolve(fallback);
      }, answerTimeoutMs);
      timer.unref();
      this.#waiting.set(id, { resolve, timer, fallback });
      try {
        this.#send({ t: 'consume', id, checks: [...checks], units });
      } catch {
        clearTimeout(timer);
        this.#waiting.delete(id);
        resolve(fallback);
      }
    });
  }

  answered(answer: ConsumeAnswer): void {
    const waiting = this.#waiting.get(answer.id);
    if (waiting === undefined) return;
    clearTimeout(waiting.timer);
    this.#waiting.delete(answer.id);
    // The cluster channel speaks JSON, where an eternity's Infinity arrives as null.
    const { verdict } = answer;
    const limits = verdict.limits.map((l) =>
      l.period === 'eternity' ? { ...l, resetSeconds: Number.POSITIVE_INFINITY } : l,
    );
    waiting.resolve({ ...verdict, limits });
  }

  async close(): Promise<void> {
    for (const { resolve, timer, fallback } of this.#waiting.values()) {
      clearTimeout(timer);
      resolve(fallback);
    }
    this.#waiting.clear();
  }
}

export function isConsumeRequest(message: unknown): message is ConsumeRequest {
  return (
    typeof message === 'object' &&
    message !== null &&
    (message as { t?: unknown }).t === 'consume' &&
    Array.isArray((message as { checks?: unknown }).checks)
  );
}

export function isConsumeAnswer(message: unknown): message is ConsumeAnswer {
  return typeof message === 'object' && message !== null && (message as { t?: unknown }).t === 'consumed';
}
