// How the gateway treats an upstream: balancing, health checks (the passive one is the per-target
// circuit breaker), timeouts and retries. The control plane fills in defaults and stores the
// whole thing; snapshots always carry it whole, so the gateway never guesses.

export const balancingAlgorithms = ['round-robin', 'least-connections', 'consistent-hash'] as const;
export const hashSources = ['client-ip', 'header', 'consumer'] as const;

export interface Balancing {
  /** round-robin honours target weights (smooth weighted round-robin). */
  algorithm: (typeof balancingAlgorithms)[number];
  /** For consistent-hash: what identifies a caller. */
  hashOn: (typeof hashSources)[number];
  /** For hashOn "header": the header's name, lower case. */
  hashHeader: string | null;
}

export interface ActiveHealthCheck {
  /** Path probed on each target with GET; 2xx and 3xx are healthy. */
  path: string;
  intervalMs: number;
  timeoutMs: number;
  /** Consecutive successful probes that make an unhealthy target healthy again. */
  healthyThreshold: number;
  /** Consecutive failed probes that take a target out of rotation. */
  unhealthyThreshold: number;
}

/**
 * Passive health, the per-target circuit breaker: this many consecutive failures (connection
 * errors, timeouts, 502/503/504 answers) eject the target for `ejectMs`; then one trial request
 * decides whether it comes back. When every target is out, the gateway answers 503 at once.
 */
export interface PassiveHealthCheck {
  failures: number;
  ejectMs: number;
}

export interface HealthChecks {
  active: ActiveHealthCheck | null;
  passive: PassiveHealthCheck | null;
}

export interface UpstreamTimeouts {
  /** Opening a connection to a target. */
  connectMs: number;
  /** From the request being sent to the response head. */
  responseMs: number;
  /** Between two chunks of the response body. */
  idleMs: number;
}

export interface Retries {
  /** Further attempts, on another target when there is one, for idempotent methods only. */
  attempts: number;
  /** Retries may add at most this share of the upstream's recent requests… */
  budgetPercent: number;
  /** …but at least this many per second, so a quiet upstream can still retry. */
  minPerSecond: number;
}

export interface UpstreamSettings {
  balancing: Balancing;
  healthChecks: HealthChecks;
  timeouts: UpstreamTimeouts;
  retries: Retries;
}

export const defaultUpstreamSettings: UpstreamSettings = {
  balancing: { algorithm: 'round-robin', hashOn: 'client-ip', hashHeader: null },
  healthChecks: { active: null, passive: { failures: 5, ejectMs: 10_000 } },
  timeouts: { connectMs: 5_000, responseMs: 60_000, idleMs: 60_000 },
  retries: { attempts: 1, budgetPercent: 20, minPerSecond: 10 },
};

export const defaultActiveHealthCheck: ActiveHealthCheck = {
  path: '/',
  intervalMs: 5_000,
  timeoutMs: 2_000,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
};

type Partial2<T> = { [K in keyof T]?: T[K] extends object | null ? Partial<NonNullable<T[K]>> | null : T[K] };

/** Input as people write it: every block and field optional. */
export interface UpstreamSettingsInput {
  balancing?: Partial<Balancing> | undefined;
  healthChecks?: Partial2<HealthChecks> | undefined;
  timeouts?: Partial<UpstreamTimeouts> | undefined;
  retries?: Partial<Retries> | undefined;
}

/** The whole settings: what is given, over `base` (the current settings, or the defaults). */
export function resolveUpstreamSettings(
  input: UpstreamSettingsInput,
  base: UpstreamSettings = defaultUpstreamSettings,
): UpstreamSettings {
  const active = input.healthChecks?.active;
  const passive = input.healthChecks?.passive;
  return {
    balancing: { ...base.balancing, ...input.balancing },
    healthChecks: {
      active:
        active === undefined
          ? base.healthChecks.active
          : active === null
            ? null
            : { ...(base.healthChecks.active ?? defaultActiveHealthCheck), ...active },
      passive:
        passive === undefined
          ? base.healthChecks.passive
          : passive === null
            ? null
            : {
                ...(base.healthChecks.passive ??
                  (defaultUpstreamSettings.healthChecks.passive as PassiveHealthCheck)),
                ...passive,
              },
    },
    timeouts: { ...base.timeouts, ...input.timeouts },
    retries: { ...base.retries, ...input.retries },
  };
}
