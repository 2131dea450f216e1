// The health of one target of one upstream, shared by everything that reads or changes it: the
// balancer reads it, the circuit breaker (passive) and the active checker change it. Plain fields,
// so the hot path reads one boolean (`out`) while all is well.
import { type TargetHealthEvent, targetHealthChannel } from './channel.ts';

/** When a target may next be tried; ejected targets and probe schedules report through this. */
export interface RecoveryClock {
  /** performance.now() time by which the target may be healthy again, at the earliest. */
  recoveryAt(): number;
}

export class TargetHealth {
  readonly key: string;
  upstreamId: string;
  upstreamName: string;
  /** The target's URL (origin and path prefix), as events and readings name it. */
  target: string;
  /** Out of rotation: unhealthy by the active checks, or ejected by the breaker. */
  out = false;
  /** Active checks' verdict; true while there are no active checks. */
  activeHealthy = true;
  /** Ejected by the circuit breaker; it stays so until a trial request succeeds. */
  ejected = false;
  /** performance.now() time after which an ejected target may take its trial request. */
  ejectedUntil = 0;
  /** Ejections in a row without a successful trial, for backing off. */
  ejections = 0;
  /** A trial request (half-open) is in flight; no other request goes to an ejected target. */
  trial = false;
  /** Consecutive failed requests (passive). */
  failures = 0;
  /** Requests sent to this target and not finished, for least-connections. */
  inflight = 0;
  /** The active checker's schedule, while there is one. */
  probes: RecoveryClock | undefined = undefined;

  constructor(key: string, upstreamId: string, upstreamName: string, target: string) {
    this.key = key;
    this.upstreamId = upstreamId;
    this.upstreamName = upstreamName;
    this.target = target;
  }

  /** Recomputes `out` after a change and publishes the transition, if any. */
  update(reason: 'active' | 'passive'): void {
    const out = this.ejected || !this.activeHealthy;
    if (out === this.out) return;
    this.out = out;
    if (targetHealthChannel.hasSubscribers) {
      const event: TargetHealthEvent = {
        upstreamId: this.upstreamId,
        upstreamName: this.upstreamName,
        target: this.target,
        healthy: !out,
        reason: out ? reason : 'recovered',
      };
      targetHealthChannel.publish(event);
    }
  }
}
