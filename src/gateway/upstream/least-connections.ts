// Least-connections (nginx's least_conn): the target with the fewest requests in flight for its
// weight (in flight ÷ weight, compared without dividing). Targets that tie, as all do when the
// upstream is idle, share the turns by smooth weighted round-robin, so weights still hold at low
// concurrency. In-flight counts are per upstream and target origin (TargetHealth.inflight).
import { isAvailable } from '../health/circuit-breaker.ts';
import type { BalancedRequest, Balancer, Target } from './balancer.ts';
import { smoothWeightedPick } from './round-robin.ts';

export class LeastConnections implements Balancer {
  readonly targets: readonly Target[];
  readonly #current: number[];

  constructor(targets: readonly Target[]) {
    this.targets = targets;
    this.#current = targets.map(() => 0);
  }

  pick(_request: BalancedRequest, now: number, exclude: Target | undefined): Target | undefined {
    const targets = this.targets;
    let best: Target | undefined;
    let ties = false;
    for (let i = 0; i < targets.length; i++) {
      const target = targets[i] as Target;
      if (target === exclude || !isAvailable(target.health, now)) continue;
      if (best === undefined) {
        best = target;
        continue;
      }
      const order = target.health.inflight * best.weight - best.health.inflight * target.weight;
      if (order < 0) {
        best = target;
        ties = false;
      } else if (order === 0) ties = true;
    }
    if (best === undefined || !ties) return best;
    return smoothWeightedPick(targets, this.#current, now, exclude, best);
  }
}
