// What the authenticate policies share: reading their scheme from the Authorization header, the
// rule for a caller another policy already identified, and the answer for an inactive
// application. Built once, used by every request of every such policy.
import { deny, type PolicyContext } from './context.ts';
import type { CreateOptions } from './definition.ts';

/**
 * What follows the scheme in an `Authorization` header, when the scheme (case-insensitive) is
 * one of `schemes`: '' when nothing follows; undefined for no header or another scheme.
 */
export function authorizationParameters(
  header: string | undefined,
  schemes: readonly string[],
): string | undefined {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const scheme = (space === -1 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  if (!schemes.includes(scheme)) return undefined;
  return space === -1 ? '' : trimmed.slice(space + 1);
}

/**
 * Among several ways in, the first policy (by priority) that identified the caller wins: a later
 * one does not check its credential, but keeps it from the upstream. True when that is the case
 * (and `header` has been removed from the upstream request).
 */
export function identifiedBefore(ctx: PolicyContext, options: CreateOptions, header?: string): boolean {
  if (!options.credentialOptional || ctx.consumer === undefined) return false;
  if (header !== undefined) ctx.removeUpstreamHeader(header);
  return true;
}

export const applicationInactive = deny(
  'application-inactive',
  'The application or its account is suspended or not approved.',
);
