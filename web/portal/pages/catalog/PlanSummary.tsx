// What a plan gives: its limits, the metrics it leaves out, and whether access needs approval.
import { Badge, Group, List, Stack, Text } from '@mantine/core';
import { formatLimit } from '../../../ui/format.ts';
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
