// An application's usage: its traffic (calls, errors, latency, status codes, routes; see
// UsageTraffic.tsx), units per day and metric over the last 30 days, and what is left of each
// limit of its plans in the current window.
import { Group, NativeSelect, Progress, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { BarChart, type BarPoint } from '../../../ui/BarChart.tsx';
import { formatDateTime, formatNumber } from '../../../ui/format.ts';
import { Empty, QueryView } from '../../../ui/states.tsx';
import {
  api,
  type LimitUsage,
  type List,
  openStates,
  paths,
  type Subscription,
  type UsageRow,
} from '../../api.ts';
import { useApplication } from './ApplicationPage.tsx';
import { useSubscriptions } from './Subscriptions.tsx';
import { UsageTraffic } from './UsageTraffic.tsx';

const days = 30;
const dayMs = 24 * 60 * 60 * 1000;
const dayLabel = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function Usage() {
  const app = useApplication();
  const subscriptions = useSubscriptions(app.id);
  const open = (subscriptions.data?.data ?? []).filter((s) => openStates.has(s.state));
  return (
    <Stack gap="xl">
      <UsageTraffic app={app.id} />
      <CallsPerDay app={app.id} />
      <section aria-labelledby="limits-title">
        <Title order={2} fz="xl" id="limits-title" mb="xs">
          Limits
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          What each plan allows in its current period (UTC), and what the application has used of it.
        </Text>
        <QueryView query={subscriptions} loadingLabel="Loading subscriptions…">
          {() =>
            open.length === 0 ? (
              <Empty
                title="No plans, so no limits"
                description="Subscribe the application to a plan first."
              />
            ) : (
              <Stack gap="lg">
                {open.map((s) => (
                  <SubscriptionLimits key={s.id} subscription={s} />
                ))}
              </Stack>
            )
          }
        </QueryView>
      </section>
    </Stack>
  );
}

function CallsPerDay({ app }: { app: string }) {
  const [metric, setMetric] = useState('hits');
  const from = useMemo(() => {
    const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
    return new Date(today - (days - 1) * dayMs);
  }, []);
  const usage = useQuery({
    queryKey: ['applications', app, 'usage', from.toISOString()],
    queryFn: () =>
      api.get<List<UsageRow>>(paths.usage(app), { granularity: 'day', from: from.toISOString() }),
  });
  const rows = useMemo(() => usage.data?.data ?? [], [usage.data]);
  const metrics = [...new Set(['hits', ...rows.map((r) => r.metric)])].sort();
  const points: BarPoint[] = useMemo(() => {
    const byDay = new Map<number, number>();
    for (const row of rows) {
      if (row.metric !== metric) continue;
      const day = Math.floor(new Date(row.start).getTime() / dayMs) * dayMs;
      byDay.set(day, (byDay.get(day) ?? 0) + row.units);
    }
    return Array.from({ length: days }, (_, i) => {
      const day = from.getTime() + i * dayMs;
      return { label: dayLabel.format(new Date(day)), value: byDay.get(day) ?? 0 };
    });
  }, [rows, metric, from]);

  return (
    <section aria-labelledby="usage-title">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} fz="xl" id="usage-title">
          Calls per day
        </Title>
        {metrics.length > 1 && (
          <NativeSelect
            label="Metric"
            data={metrics}
            value={metric}
            onChange={(event) => setMetric(event.currentTarget.value)}
            size="xs"
          />
        )}
      </Group>
      <QueryView query={usage} loadingLabel="Loading usage…">
        {() =>
          points.every((p) => p.value === 0) ? (
            <Empty
              title="No calls in the last 30 days"
              description="Calls through the gateway with this application's keys show up here within a few seconds."
            />
          ) : (
            <BarChart
              title={metric === 'hits' ? 'Calls per day, last 30 days' : `${metric} per day, last 30 days`}
              points={points}
              unit={metric === 'hits' ? 'calls' : 'units'}
            />
          )
        }
      </QueryView>
    </section>
  );
}

function SubscriptionLimits({ subscription }: { subscription: Subscription }) {
  const limits = useQuery({
    queryKey: ['subscriptions', subscription.id, 'limits'],
    queryFn: () => api.get<List<LimitUsage>>(paths.limits(subscription.id)),
  });
  const heading = `${subscription.product.name} · ${subscription.plan.name}`;
  return (
    <Stack gap="xs">
      <Title order={3} fz="lg">
        {heading}
      </Title>
      <QueryView query={limits} loadingLabel="Loading limits…">
        {({ data }) =>
          data.length === 0 ? (
            <Text size="sm">This plan has no limits.</Text>
          ) : (
            <>
              <Table.ScrollContainer minWidth={640}>
                <Table>
                  <Table.Caption className="visually-hidden">Limits of the {heading} plan</Table.Caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">Metric</Table.Th>
                      <Table.Th scope="col">Period</Table.Th>
                      <Table.Th scope="col" ta="right">
                        Limit
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Used
                      </Table.Th>
                      <Table.Th scope="col" ta="right">
                        Remaining
                      </Table.Th>
                      <Table.Th scope="col">Resets</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.map((limit) => (
                      <Table.Tr key={`${limit.metric}-${limit.period}-${limit.per ?? ''}`}>
                        <Table.Th scope="row" fw={500}>
                          {limit.metric}
                          {limit.per === 'end-user' ? ' (per end user)' : ''}
                        </Table.Th>
                        <Table.Td>{limit.period}</Table.Td>
                        <Table.Td ta="right">{formatNumber(limit.max)}</Table.Td>
                        <Table.Td ta="right">
                          {limit.used === null ? (
                            <Text span size="sm" c="dimmed">
                              not tracked
                            </Text>
                          ) : (
                            <Stack gap={2} align="flex-end">
                              {formatNumber(limit.used)}
                              <Progress
                                value={limit.max === 0 ? 100 : Math.min(100, (limit.used / limit.max) * 100)}
                                w={80}
                                size="sm"
                                color={limit.remaining === 0 ? 'red' : 'indigo'}
                                aria-label={`${limit.metric} per ${limit.period}: ${formatNumber(limit.used)} of ${formatNumber(limit.max)} used`}
                              />
                            </Stack>
                          )}
                        </Table.Td>
                        <Table.Td ta="right">
                          {limit.remaining === null ? '—' : formatNumber(limit.remaining)}
                        </Table.Td>
                        <Table.Td>{limit.windowEnd ? formatDateTime(limit.windowEnd) : 'never'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
              {data.some((l) => l.used === null) && (
                <Text size="xs" c="dimmed">
                  Per-second and per-minute limits, and limits per end user, are enforced by the gateway as
                  calls come in but not stored, so their use is not shown.
                </Text>
              )}
            </>
          )
        }
      </QueryView>
    </Stack>
  );
}
