// The registry of policies the gateway knows, by name. A new policy is a folder plus one line here.

import { acl } from './acl/policy.ts';
import { basicAuth } from './basic-auth/policy.ts';
import { cors } from './cors/policy.ts';
import type { PolicyDefinition } from './definition.ts';
import { hmacAuth } from './hmac-auth/policy.ts';
import { ipRestriction } from './ip-restriction/policy.ts';
import { jwt } from './jwt/policy.ts';
import { keyAuth } from './key-auth/policy.ts';
import { mtlsAuth } from './mtls-auth/policy.ts';
import { oauth } from './oauth/policy.ts';
import { planLimits } from './plan-limits/policy.ts';
import { rateLimit } from './rate-limit/policy.ts';
import { requestLog } from './request-log/policy.ts';
import { scopes } from './scopes/policy.ts';
import { subscription } from './subscription/policy.ts';
import { upstreamSecret } from './upstream-secret/policy.ts';

export const policies: readonly PolicyDefinition<unknown>[] = [
  requestLog,
  cors,
  ipRestriction,
  mtlsAuth,
  oauth,
  jwt,
  keyAuth,
  basicAuth,
  hmacAuth,
  acl,
  subscription,
  scopes,
  rateLimit,
  planLimits,
  upstreamSecret,
];

const byName = new Map(policies.map((policy) => [policy.name, policy]));

export function policyNamed(name: string): PolicyDefinition<unknown> | undefined {
  return byName.get(name);
}
