// An upstream as its form holds it (numbers as typed), from the admin API's object and back to
// the body of POST or PATCH /upstreams.
import { numberOf, type Upstream } from './resources.ts';

export type Num = number | string;

export interface UpstreamFields {
  name: string;
  description: string;
  targets: { url: string; weight: Num }[];
  algorithm: string;
  hashOn: string;
  hashHeader: string;
  active: boolean;
  path: string;
  intervalMs: Num;
  timeoutMs: Num;
  healthyThreshold: Num;
  unhealthyThreshold: Num;
  passive: boolean;
  failures: Num;
  ejectMs: Num;
  connectMs: Num;
  responseMs: Num;
  idleMs: Num;
  attempts: Num;
  budgetPercent: Num;
  minPerSecond: Num;
}

/** The admin API's defaults, so that a new upstream's form shows what it will get. */
export const newUpstreamFields: UpstreamFields = {
  name: '',
  description: '',
  targets: [{ url: '', weight: 100 }],
  algorithm: 'round-robin',
  hashOn: 'client-ip',
  hashHeader: '',
  active: false,
  path: '/',
  intervalMs: 5000,
  timeoutMs: 2000,
  healthyThreshold: 2,
  unhealthyThreshold: 3,
  passive: true,
  failures: 5,
  ejectMs: 10000,
  connectMs: 5000,
  responseMs: 60000,
  idleMs: 60000,
  attempts: 1,
  budgetPercent: 20,
  minPerSecond: 10,
};

export function upstreamFieldsOf(u: Upstream): UpstreamFields {
  const active = u.healthChecks.active;
  const passive = u.healthChecks.passive;
  return {
    ...newUpstreamFields,
    name: u.name,
    description: u.description,
    targets: u.targets.map((t) => ({ ...t })),
    algorithm: u.balancing.algorithm,
    hashOn: u.balancing.hashOn,
    hashHeader: u.balancing.hashHeader ?? '',
    ...(active ? { active: true, ...active } : { active: false }),
    ...(passive ? { passive: true, ...passive } : { passive: false }),
    ...u.timeouts,
    ...u.retries,
  };
}

export function upstreamBodyOf(f: UpstreamFields) {
  return {
    name: f.name.trim(),
    description: f.description,
    targets: f.targets.map((t) => ({ url: t.url.trim(), weight: numberOf(t.weight) })),
    balancing: { algorithm: f.algorithm, hashOn: f.hashOn, hashHeader: f.hashHeader.trim() || null },
    healthChecks: {
      active: f.active
        ? {
            path: f.path,
            intervalMs: numberOf(f.intervalMs),
            timeoutMs: numberOf(f.timeoutMs),
            healthyThreshold: numberOf(f.healthyThreshold),
            unhealthyThreshold: numberOf(f.unhealthyThreshold),
          }
        : null,
      passive: f.passive ? { failures: numberOf(f.failures), ejectMs: numberOf(f.ejectMs) } : null,
    },
    timeouts: {
      connectMs: numberOf(f.connectMs),
      responseMs: numberOf(f.responseMs),
      idleMs: numberOf(f.idleMs),
    },
    retries: {
      attempts: numberOf(f.attempts),
      budgetPercent: numberOf(f.budgetPercent),
      minPerSecond: numberOf(f.minPerSecond),
    },
  };
}
