// Smooth weighted round-robin (nginx's algorithm): each pick adds every candidate's weight to its
// running score and takes the highest, which then pays the total back. A heavy target's turns are
// spread out instead of sent in a burst; targets that may not be tried are skipped, and the
// others share their turns.
import { isAvailable } from '../health/circuit-breaker.ts';
import type { BalancedRequest, Balancer, Target } from './balancer.ts';

export class RoundRobin implements Balancer {
  readonly targets: readonly Target[];
  readonly #current: number[];

  constructor(targets: readonly Target[]) {
    this.targets = targets;
    this.#current = targets.map(() => 0);
  }

  pick(_request: BalancedRequest, now: number, exclude: Target | undefined): Target | undefined {
    const targets = this.targets;
    if (targets.length === 1) {
      const only = targets[0] as Target;
      return only !== exclude && isAvailable(only.health, now) ? only : undefined;
    }
    return smoothWeightedPick(targets, this.#current, now, exclude, undefined);
  }
}

/**
 * One turn of smooth weighted round-robin among the targets that may be tried at `now`, other
 * than `exclude`, and (when `loadOf` is given) with the same requests in flight per weight as it:
 * the tie-break of least-connections. `current` holds the running scores, one per target.
 */
export function smoothWeightedPick(
  targets: readonly Target[],
  current: number[],
  now: number,
  exclude: Target | undefined,
  loadOf: Target | undefined,
): Target | undefined {
  let best = -1;
  let total = 0;
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i] as Target;
    if (target === exclude || !isAvailable(target.health, now)) continue;
    if (
      loadOf !== undefined &&
      target.health.inflight * loadOf.weight !== loadOf.health.inflight * target.weight
    )
      continue;
    total += target.weight;
    const score = (current[i] as number) + target.weight;
    current[i] = score;
    if (best === -1 || score > (current[best] as number)) best = i;
  }
  if (best === -1) return undefined;
  current[best] = (current[best] as number) - total;
  return targets[best];
}
