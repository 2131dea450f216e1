// One badge for the states of accounts, applications, keys, subscriptions and plans, so that a
// state reads the same everywhere: green when it works, yellow while waiting, grey when over.
import { Badge } from '@mantine/core';

const looks: Record<string, { color: string; label?: string }> = {
  active: { color: 'green' },
  approved: { color: 'green' },
  published: { color: 'green' },
  pending: { color: 'yellow', label: 'pending approval' },
  staging: { color: 'yellow' },
  draft: { color: 'yellow' },
  suspended: { color: 'orange' },
  deprecated: { color: 'orange' },
  expired: { color: 'gray' },
  revoked: { color: 'gray' },
  cancelled: { color: 'gray' },
  closed: { color: 'gray' },
  retired: { color: 'gray' },
  rejected: { color: 'red' },
};

export function StateBadge({ state, label }: { state: string; label?: string }) {
  const look = looks[state] ?? { color: 'gray' };
  return (
    <Badge color={look.color} variant="dot" radius="sm" tt="none">
      {label ?? look.label ?? state}
    </Badge>
  );
}
