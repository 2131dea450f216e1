// What a balancer works with, and the choice of one per upstream. Every balancer picks only among
// targets that may take a request now (see ../health/circuit-breaker.ts), and can leave one out,
// so a retry goes elsewhere; it answers undefined when no target may be tried.

import type { Balancing } from '../../shared/upstream-settings.ts';
import type { TargetHealth } from '../health/target-health.ts';
import type { UpstreamDispatcher } from './h1/dispatch.ts';
import { ConsistentHash } from './hash-ring.ts';
import { LeastConnections } from './least-connections.ts';
import { RoundRobin } from './round-robin.ts';

export interface Target {
  /** `http://host:port`. */
  readonly origin: string;
  /** The target URL's path without a trailing slash ("" for none), prepended upstream. */
  readonly pathPrefix: string;
  /** Sent as the Host header upstream. */
  readonly host: string;
  /** origin + pathPrefix: the target's identity on a hash ring and in health readings. */
  readonly url: string;
  /** Positive; a target with weight 0 is left out of the upstream. */
  readonly weight: number;
  readonly pool: UpstreamDispatcher;
  /** Shared with the circuit breaker and the active checker of this upstream and origin. */
  readonly health: TargetHealth;
}

/** What a balancer may read of a request (the gateway's Exchange has all of it). */
export interface BalancedRequest {
  /** The client's address, through trusted proxies (see ../forwarding.ts). */
  clientIp(): string;
  header(name: string): string | undefined;
  readonly consumer: { readonly applicationId: string } | undefined;
}

export interface Balancer {
  readonly targets: readonly Target[];
  /** A target that may take the request at `now` (performance.now()), other than `exclude`. */
  pick(request: BalancedRequest, now: number, exclude: Target | undefined): Target | undefined;
}

/** `targets` must not be empty. */
export function createBalancer(balancing: Balancing, targets: readonly Target[]): Balancer {
  switch (balancing.algorithm) {
    case 'least-connections':
      return new LeastConnections(targets);
    case 'consistent-hash':
      return new ConsistentHash(targets, balancing.hashOn, balancing.hashHeader);
    default:
      return new RoundRobin(targets);
  }
}
