// The shape every policy module exports: a name, where it runs, and a factory for its handler.
import type { z } from 'zod';
import type { Phase, PolicyContext, PolicyResponse } from './context.ts';
import type { CounterStore, PlanRules, UsageRecorder } from './counters.ts';
import type { RequestLogSink } from './request-log-entry.ts';

/**
 * Returns nothing to let the request continue, or a response to stop it. Stay synchronous when
 * nothing is awaited: the gateway only builds a promise chain when a handler returns a promise.
 * Throwing is a bug; the gateway turns it into a 500 `internal-error` with the request id.
 */
export type PolicyHandler = (
  ctx: PolicyContext,
) => PolicyResponse | undefined | Promise<PolicyResponse | undefined>;

/** How the pipeline uses a policy; the same for every policy but authenticate ones. */
export interface CreateOptions {
  /**
   * Authenticate policies only: true when the request may carry another kind of credential
   * (several are configured) or none (a keyless API). A policy then lets a request without its
   * credential pass untouched; one with a bad credential is still refused.
   */
  readonly credentialOptional: boolean;
  /**
   * Another authenticate policy on the route also reads bearer tokens (oauth beside jwt): a
   * token whose issuer is not this policy's is left to it instead of being refused.
   */
  readonly bearerShared?: boolean;
  /** Turnpike's authorization server as the snapshot describes it (the oauth policy's keys). */
  readonly authorizationServer?: AuthorizationServerInfo | undefined;
  /** The API the route belongs to; given only to policies that declare `perApi`. */
  readonly api?: { readonly name: string } | undefined;
  /** Plans with limits or disabled metrics, by id (plan-limits). */
  readonly plans?: ReadonlyMap<string, PlanRules> | undefined;
  /** Where limits are counted; the same store across snapshots, so a change resets no count. */
  readonly counters?: CounterStore | undefined;
  /** Where the usage of calls let through is metered (plan-limits). */
  readonly meter?: UsageRecorder | undefined;
  /** Where request-log entries go to be shipped (request-log). */
  readonly requestLog?: RequestLogSink | undefined;
}

export interface AuthorizationServerInfo {
  readonly issuer: string;
  readonly audience: string;
  /** Public JWKs it signs access tokens with (and the next and retired ones). */
  readonly keys: readonly Record<string, unknown>[];
  /** Grants revoked while their access tokens may still be unexpired (the `gid` claim). */
  readonly revokedGrants?: readonly string[] | undefined;
}

/** How an authenticate policy's credential is described when a request carries none. */
export interface CredentialHint {
  /** For a sentence "Send …": e.g. `an API key in the X-API-Key header`. */
  readonly description: string;
  /** The WWW-Authenticate challenge, e.g. `Bearer realm="turnpike"`. */
  readonly challenge: string;
}

export interface PolicyDefinition<Config> {
  readonly name: string;
  /** One sentence for listings (`GET /admin/v1/policy-types`, the console). */
  readonly description: string;
  readonly phase: Phase;
  /** Unique across all policies; within a phase, higher runs first (Kong's convention). */
  readonly priority: number;
  /** Validates the config; every field has a description, a default and bounds. */
  readonly schema: z.ZodType<Config>;
  /** The handler depends on the route's API (`options.api`): one instance per API, not shared. */
  readonly perApi?: boolean;
  /** Called once per compiled snapshot and config, never per request. */
  create(config: Config, options: CreateOptions): PolicyHandler;
  /** Authenticate policies: what to ask for when no credential of any accepted kind came. */
  credential?(config: Config): CredentialHint;
}
