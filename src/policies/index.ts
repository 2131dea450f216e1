// The registry of policies the gateway knows, by name. A new policy is a folder plus one line here.
import type { PolicyDefinition } from './definition.ts';
import { keyAuth } from './key-auth/policy.ts';
import { subscription } from './subscription/policy.ts';

export const policies: readonly PolicyDefinition<unknown>[] = [keyAuth, subscription];

const byName = new Map(policies.map((policy) => [policy.name, policy]));

export function policyNamed(name: string): PolicyDefinition<unknown> | undefined {
  return byName.get(name);
}
