// Target health changes, published on node:diagnostics_channel for metrics and logs to subscribe
// to. A change is published once, when a target leaves or rejoins the rotation.
import { channel } from 'node:diagnostics_channel';

export interface TargetHealthEvent {
  upstreamId: string;
  upstreamName: string;
  /** The target's URL: origin and path prefix, such as `http://10.0.0.5:8080/svc`. */
  target: string;
  healthy: boolean;
  /** What took the target out (active probes, passive failures), or that it came back. */
  reason: 'active' | 'passive' | 'recovered';
}

export const targetHealthChannel = channel('turnpike:gateway:target-health');
