// The Alerts page: every rule with where it stands (firing, ok, not evaluated yet, disabled), its
// condition and channels, switches to turn it on and off, a test and a delete; then the history.
import { Anchor, Badge, Button, Group, Stack, Switch, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ConfirmButton } from '../../../ui/ConfirmButton.tsx';
import { DataTable } from '../../../ui/DataTable.tsx';
import { formatDateTime } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, QueryView } from '../../../ui/states.tsx';
import { type AlertRule, api, useAdminList } from '../../api.ts';
import { product } from '../../session.tsx';
import { LoadMore } from '../lists.tsx';
import { Section } from '../manage/parts.tsx';
import { AlertHistory } from './AlertHistory.tsx';
import { describeRule, formatAlertValue, kindLabel, paths } from './alerts.ts';
import { TestButton } from './TestButton.tsx';

const stateLooks: Record<AlertRule['status']['state'], { color: string; label: string }> = {
  firing: { color: 'red', label: 'firing' },
  ok: { color: 'green', label: 'ok' },
  unknown: { color: 'gray', label: 'not evaluated yet' },
  disabled: { color: 'gray', label: 'disabled' },
};

export function RuleState({ rule }: { rule: AlertRule }) {
  const look = stateLooks[rule.status.state];
  const firing = rule.status.firing.length;
  return (
    <Badge
      color={look.color}
      variant={rule.status.state === 'firing' ? 'filled' : 'dot'}
      radius="sm"
      tt="none"
      miw="max-content"
    >
      {look.label}
      {rule.kind === 'quota' && firing > 0 ? ` (${firing} subscription${firing === 1 ? '' : 's'})` : ''}
    </Badge>
  );
}

const channelsOf = (rule: AlertRule) => {
  const w = rule.channels.webhooks.length;
  const e = rule.channels.emails.length;
  const parts = [
    ...(w ? [`${w} webhook${w === 1 ? '' : 's'}`] : []),
    ...(e ? [`${e} address${e === 1 ? '' : 'es'}`] : []),
  ];
  return parts.length ? parts.join(', ') : 'history only';
};

function EnabledSwitch({ rule }: { rule: AlertRule }) {
  const client = useQueryClient();
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api.patch(paths.rule(rule.id), { enabled }),
    onSettled: () => client.invalidateQueries({ queryKey: ['admin', paths.rules] }),
  });
  return (
    <Switch
      aria-label={`${rule.name} enabled`}
      checked={toggle.isPending ? (toggle.variables ?? rule.enabled) : rule.enabled}
      disabled={toggle.isPending}
      onChange={(e) => toggle.mutate(e.currentTarget.checked)}
      error={toggle.error ? 'Not changed' : undefined}
    />
  );
}

export function Alerts() {
  usePageTitle('Alerts', product);
  const client = useQueryClient();
  const rules = useAdminList<AlertRule>(paths.rules);
  const remove = async (rule: AlertRule) => {
    await api.delete(paths.rule(rule.id));
    await client.invalidateQueries({ queryKey: ['admin', paths.rules] });
  };
  return (
    <Stack gap="xl">
      <div>
        <PageHeader
          title="Alerts"
          description="Rules on error rate, latency, traffic drops and quota use, checked every minute. When one fires or resolves, its webhooks are called (signed) and its addresses mailed."
          actions={
            <Button component={Link} to="/alerts/new">
              New alert rule
            </Button>
          }
        />
        <QueryView query={rules} loadingLabel="Loading alert rules…">
          {(items) =>
            items.length === 0 ? (
              <Empty
                title="No alert rules yet"
                description="Say what to watch (an error rate, a latency, a drop in traffic, a quota) and where to say so."
                action={
                  <Button component={Link} to="/alerts/new">
                    New alert rule
                  </Button>
                }
              />
            ) : (
              <>
                <DataTable
                  minWidth={960}
                  items={items}
                  columns={[
                    {
                      header: 'Rule',
                      cell: (rule) => (
                        <Stack gap={0}>
                          <Anchor component={Link} to={paths.rule(rule.id)}>
                            {rule.name}
                          </Anchor>
                          <Text size="xs" c="dimmed">
                            {kindLabel(rule.kind)}
                          </Text>
                        </Stack>
                      ),
                    },
                    { header: 'State', cell: (rule) => <RuleState rule={rule} /> },
                    { header: 'Condition', cell: (rule) => describeRule(rule) },
                    {
                      header: 'Last value',
                      cell: (rule) => (
                        <Stack gap={0}>
                          <Text size="sm">{formatAlertValue(rule.kind, rule.status.value)}</Text>
                          <Text size="xs" c="dimmed">
                            {formatDateTime(rule.status.evaluatedAt)}
                          </Text>
                        </Stack>
                      ),
                    },
                    { header: 'Channels', cell: channelsOf },
                    { header: 'Enabled', cell: (rule) => <EnabledSwitch rule={rule} /> },
                    {
                      header: 'Actions',
                      cell: (rule) => (
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button
                            component={Link}
                            to={paths.rule(rule.id)}
                            variant="default"
                            size="xs"
                            aria-label={`Edit ${rule.name}`}
                          >
                            Edit
                          </Button>
                          <TestButton rule={rule} />
                          <ConfirmButton
                            title={`Delete ${rule.name}?`}
                            message="It stops being evaluated. Its history stays."
                            confirmLabel="Delete rule"
                            onConfirm={() => remove(rule)}
                            ariaLabel={`Delete ${rule.name}`}
                          >
                            Delete
                          </ConfirmButton>
                        </Group>
                      ),
                    },
                  ]}
                />
                <LoadMore list={rules} />
              </>
            )
          }
        </QueryView>
      </div>
      <Section
        title="History"
        description="Rules that fired or resolved, newest first, with their notifications."
      >
        <AlertHistory />
      </Section>
    </Stack>
  );
}
