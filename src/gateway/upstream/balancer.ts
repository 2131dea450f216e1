// Chooses a target of an upstream for each request: smooth weighted round-robin (nginx's
// algorithm), which spreads a heavy target's turns out instead of sending them in a burst.
import type { Dispatcher } from 'undici';

export interface Target {
  /** `http://host:port`, the key of the target's pool. */
  readonly origin: string;
  /** The target URL's path without a trailing slash ("" for none), prepended upstream. */
  readonly pathPrefix: string;
  /** Sent as the Host header upstream. */
  readonly host: string;
  readonly weight: number;
  readonly pool: Dispatcher;
}

export class Balancer {
  readonly #targets: Target[];
  readonly #current: number[];
  readonly #total: number;

  /** `targets` must include at least one with a positive weight; weight 0 takes no traffic. */
  constructor(targets: readonly Target[]) {
    this.#targets = targets.filter((t) => t.weight > 0);
    if (this.#targets.length === 0) throw new Error('an upstream needs a target with a positive weight');
    this.#current = this.#targets.map(() => 0);
    this.#total = this.#targets.reduce((sum, t) => sum + t.weight, 0);
  }

  get targets(): readonly Target[] {
    return this.#targets;
  }

  pick(): Target {
    const targets = this.#targets;
    if (targets.length === 1) return targets[0] as Target;
    const current = this.#current;
    let best = 0;
    for (let i = 0; i < targets.length; i++) {
      current[i] = (current[i] as number) + (targets[i] as Target).weight;
      if ((current[i] as number) > (current[best] as number)) best = i;
    }
    current[best] = (current[best] as number) - this.#total;
    return targets[best] as Target;
  }
}
