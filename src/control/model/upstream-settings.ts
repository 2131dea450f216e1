// The schemas of an upstream's balancing, health checks, timeouts and retries (see
// src/shared/upstream-settings.ts for what they mean). Every field is optional on input; the
// control plane fills in defaults, and answers with the whole settings.
import { z } from 'zod';
import {
  defaultActiveHealthCheck as activeDefaults,
  balancingAlgorithms,
  defaultUpstreamSettings as defaults,
  hashSources,
} from '../../shared/upstream-settings.ts';

const ms = (min: number, max: number) => z.int().min(min).max(max);
const headerName = z
  .string()
  .regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a lower-case header name')
  .max(100);

export const balancing = z
  .strictObject({
    algorithm: z
      .enum(balancingAlgorithms)
      .optional()
      .meta({ default: defaults.balancing.algorithm })
      .describe('round-robin (honours weights), least-connections, or consistent-hash.'),
    hashOn: z
      .enum(hashSources)
      .optional()
      .meta({ default: defaults.balancing.hashOn })
      .describe('For consistent-hash: the client address, a header, or the consumer (application).'),
    hashHeader: headerName.nullable().optional().describe('For hashOn header: which header.'),
  })
  .meta({ id: 'UpstreamBalancing', description: 'How requests are spread over the targets.' });

export const activeHealthCheck = z
  .strictObject({
    path: z
      .string()
      .regex(/^\/[^\s?#]*$/, 'must be a path starting with "/"')
      .max(1000)
      .optional()
      .meta({ default: activeDefaults.path }),
    intervalMs: ms(500, 3_600_000).optional().meta({ default: activeDefaults.intervalMs }),
    timeoutMs: ms(100, 600_000).optional().meta({ default: activeDefaults.timeoutMs }),
    healthyThreshold: z.int().min(1).max(100).optional().meta({ default: activeDefaults.healthyThreshold }),
    unhealthyThreshold: z
      .int()
      .min(1)
      .max(100)
      .optional()
      .meta({ default: activeDefaults.unhealthyThreshold }),
  })
  .meta({ id: 'ActiveHealthCheck', description: 'GET probes of every target; 2xx and 3xx are healthy.' });

export const passiveHealthCheck = z
  .strictObject({
    failures: z.int().min(1).max(1000).optional().meta({ default: 5 }),
    ejectMs: ms(100, 3_600_000).optional().meta({ default: 10_000 }),
  })
  .meta({
    id: 'PassiveHealthCheck',
    description:
      'The per-target circuit breaker: consecutive failures eject a target for ejectMs, then a trial request decides.',
  });

export const healthChecks = z
  .strictObject({
    active: activeHealthCheck.nullable().optional().describe('null turns active checks off (the default).'),
    passive: passiveHealthCheck.nullable().optional().describe('null turns the circuit breaker off.'),
  })
  .meta({ id: 'UpstreamHealthChecks', description: 'Active probes and the passive circuit breaker.' });

export const timeouts = z
  .strictObject({
    connectMs: ms(100, 600_000).optional().meta({ default: defaults.timeouts.connectMs }),
    responseMs: ms(100, 3_600_000).optional().meta({ default: defaults.timeouts.responseMs }),
    idleMs: ms(100, 3_600_000).optional().meta({ default: defaults.timeouts.idleMs }),
  })
  .meta({ id: 'UpstreamTimeouts', description: 'Time limits towards the targets; exceeding one is a 504.' });

export const retries = z
  .strictObject({
    attempts: z.int().min(0).max(10).optional().meta({ default: defaults.retries.attempts }),
    budgetPercent: z.int().min(0).max(100).optional().meta({ default: defaults.retries.budgetPercent }),
    minPerSecond: z.int().min(0).max(10_000).optional().meta({ default: defaults.retries.minPerSecond }),
  })
  .meta({
    id: 'UpstreamRetries',
    description:
      'Retries of idempotent requests on another target, within a budget so they cannot multiply load.',
  });

/** The settings fields of an upstream, as accepted on create and update. */
export const settingsInput = {
  balancing: balancing.optional(),
  healthChecks: healthChecks.optional(),
  timeouts: timeouts.optional(),
  retries: retries.optional(),
};

const full = <T extends z.ZodObject>(schema: T) => z.strictObject(schema.shape).required();

/** The settings as the API answers them: every field present. */
export const settingsOutput = {
  balancing: z.strictObject({
    algorithm: z.enum(balancingAlgorithms),
    hashOn: z.enum(hashSources),
    hashHeader: z.string().nullable(),
  }),
  healthChecks: z.strictObject({
    active: full(activeHealthCheck).nullable(),
    passive: full(passiveHealthCheck).nullable(),
  }),
  timeouts: full(timeouts),
  retries: full(retries),
};
