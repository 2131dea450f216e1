// Passive health, the per-target circuit breaker. Closed: requests flow and consecutive failures
// are counted. Open: `failures` in a row eject the target for `ejectMs`. Half-open: once that has
// passed, exactly one trial request goes to the target; success closes the breaker, failure opens
// it again for twice as long (up to 8 × ejectMs). Only the trial decides: answers to requests sent
// before the ejection change nothing.
import type { PassiveHealthCheck } from '../../shared/upstream-settings.ts';
import type { TargetHealth } from './target-health.ts';

const maxBackoff = 8;

/** Whether a request may go to the target now. A target in rotation costs one field read. */
export function isAvailable(health: TargetHealth, now: number): boolean {
  if (!health.out) return true;
  return health.ejected && health.activeHealthy && !health.trial && now >= health.ejectedUntil;
}

/** Called for the target a request is sent to; true when the request is the half-open trial. */
export function claimTrial(health: TargetHealth): boolean {
  if (!health.ejected) return false;
  health.trial = true;
  return true;
}

/** The trial ended without a verdict (the client went away): the next request may try. */
export function releaseTrial(health: TargetHealth): void {
  health.trial = false;
}

export function recordSuccess(health: TargetHealth, trial: boolean): void {
  health.failures = 0;
  if (!trial) return;
  health.trial = false;
  health.ejected = false;
  health.ejections = 0;
  health.update('passive');
}

export function recordFailure(
  health: TargetHealth,
  passive: PassiveHealthCheck,
  now: number,
  trial: boolean,
): void {
  if (trial) {
    health.trial = false;
    health.ejections++;
    health.ejectedUntil = now + passive.ejectMs * Math.min(2 ** (health.ejections - 1), maxBackoff);
    return;
  }
  if (health.ejected) return;
  if (++health.failures < passive.failures) return;
  health.failures = 0;
  health.ejected = true;
  health.ejections = 1;
  health.ejectedUntil = now + passive.ejectMs;
  health.update('passive');
}

/** Clears an ejection, when the breaker is turned off for the target's upstream. */
export function resetBreaker(health: TargetHealth): void {
  health.failures = 0;
  health.trial = false;
  health.ejections = 0;
  if (!health.ejected) return;
  health.ejected = false;
  health.update('passive');
}

/** performance.now() time at which the target may next take a request, at the earliest. */
export function nextChanceAt(health: TargetHealth, now: number): number {
  let at = now;
  if (health.ejected) at = Math.max(at, health.trial ? now + 1_000 : health.ejectedUntil);
  if (!health.activeHealthy && health.probes !== undefined) at = Math.max(at, health.probes.recoveryAt());
  return at;
}
