// The shape every policy module exports: a name, where it runs, and a factory for its handler.
import type { z } from 'zod';
import type { Phase, PolicyContext, PolicyResponse } from './context.ts';

/**
 * Returns nothing to let the request continue, or a response to stop it. Stay synchronous when
 * nothing is awaited: the gateway only builds a promise chain when a handler returns a promise.
 * Throwing is a bug; the gateway turns it into a 500 `internal-error` with the request id.
 */
export type PolicyHandler = (
  ctx: PolicyContext,
) => PolicyResponse | undefined | Promise<PolicyResponse | undefined>;

export interface PolicyDefinition<Config> {
  readonly name: string;
  readonly phase: Phase;
  /** Unique across all policies; within a phase, higher runs first (Kong's convention). */
  readonly priority: number;
  /** Validates the config; every field has a description, a default and bounds. */
  readonly schema: z.ZodType<Config>;
  /** Called once per compiled snapshot and config, never per request. */
  create(config: Config): PolicyHandler;
}
