// What a plan costs and gives: its price, its limits, the metrics it leaves out, and whether
// access needs approval.
import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { Fragment } from 'react';
import { formatLimit } from '../../../ui/format.ts';
import { formatTiers, pricingParts } from '../../../ui/pricing.ts';
import type { Plan } from '../../api.ts';

export function ApprovalBadge({ approval }: { approval: string }) {
  return approval === 'manual' ? (
    <Badge color="yellow" variant="dot" radius="sm" tt="none">
      needs approval
    </Badge>
  ) : (
    <Badge color="green" variant="dot" radius="sm" tt="none">
      instant access
    </Badge>
  );
}

export function PlanBadges({ plan }: { plan: Plan }) {
  return (
    <Group gap={6}>
      <ApprovalBadge approval={plan.approval} />
      {plan.default && (
        <Badge color="indigo" variant="dot" radius="sm" tt="none">
          default
        </Badge>
      )}
    </Group>
  );
}

/** `Free`, or the fees and trial on one line and the prices per unit below; display only. */
export function PlanPrice({ plan }: { plan: Plan }) {
  const tiers = formatTiers(plan.pricing);
  return (
    <Stack gap={2}>
      <Text size="sm" fw={600}>
        {pricingParts(plan.pricing).map((part, i) => (
          <Fragment key={part}>
            {i > 0 && ' · '}
            <span style={{ whiteSpace: 'nowrap' }}>{part}</span>
          </Fragment>
        ))}
      </Text>
      {tiers.length > 0 && (
        <List size="sm" spacing={2} aria-label={`Prices per unit of the ${plan.name} plan`}>
          {tiers.map((tier) => (
            <List.Item key={tier}>{tier}</List.Item>
          ))}
        </List>
      )}
    </Stack>
  );
}

export function PlanLimits({ plan }: { plan: Plan }) {
  const disabled = plan.disabledMetrics ?? [];
  return (
    <Stack gap={4}>
      {plan.limits.length === 0 ? (
        <Text size="sm">No limits.</Text>
      ) : (
        <List size="sm" spacing={2} aria-label={`Limits of the ${plan.name} plan`}>
          {plan.limits.map((limit) => (
            <List.Item key={`${limit.metric}-${limit.period}-${limit.per ?? ''}`}>
              {formatLimit(limit)}
            </List.Item>
          ))}
        </List>
      )}
      {disabled.length > 0 && (
        <Text size="sm" c="dimmed">
          Not included: {disabled.join(', ')}
        </Text>
      )}
      {plan.approval === 'manual' && (
        <Text size="sm" c="dimmed">
          The provider approves each subscription; until then it is pending.
        </Text>
      )}
    </Stack>
  );
}
