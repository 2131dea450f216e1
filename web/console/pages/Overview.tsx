// The console's first page: the last 24 hours of traffic, what is configured, what waits for a
// decision, and the version.
import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader, usePageTitle } from '../../ui/layout.tsx';
import { Empty, ErrorAlert, LoadingState } from '../../ui/states.tsx';
import { LatencyChart, RequestsChart } from '../../ui/TrafficCharts.tsx';
import { TrafficStats } from '../../ui/TrafficStats.tsx';
import { endOfMinute } from '../../ui/time-range.ts';
import {
  type Account,
  type Api,
  type Application,
  api,
  type Plan,
  type Product,
  type Status,
  type TrafficSeries,
  type TrafficSummary,
  useAdminList,
} from '../api.ts';
import { product, usePending } from '../session.tsx';
import { requestLogHref } from './analytics/view.ts';

export function Overview() {
  usePageTitle('Overview', product);
  const status = useQuery({ queryKey: ['admin', '/status'], queryFn: () => api.get<Status>('/status') });
  const apis = useAdminList<Api>('/apis');
  const products = useAdminList<Product>('/products');
  const plans = useAdminList<Plan>('/plans');
  const accounts = useAdminList<Account>('/accounts');
  const applications = useAdminList<Application>('/applications');
  const pending = usePending();
  const count = (list: { data?: unknown[]; hasNextPage: boolean; isPending: boolean }) =>
    list.isPending ? '…' : `${list.data?.length ?? 0}${list.hasNextPage ? '+' : ''}`;
  const waitingAccounts = pending.accounts.data?.length ?? 0;
  const waitingSubscriptions = pending.subscriptions.data?.length ?? 0;

  const tiles = [
    { label: 'APIs', value: count(apis), to: '/apis' },
    { label: 'Products', value: count(products), to: '/products' },
    { label: 'Plans', value: count(plans), to: '/products' },
    { label: 'Accounts', value: count(accounts), to: '/accounts' },
    { label: 'Applications', value: count(applications), to: '/applications' },
  ];

  return (
    <>
      <PageHeader title="Overview" description="What this Turnpike serves, and what waits for you." />
      <Stack gap="xl">
        <TrafficOverview />
        <section aria-labelledby="waiting">
          <Title order={2} id="waiting" fz="xl" mb="sm">
            Waiting for approval
          </Title>
          {pending.accounts.isError || pending.subscriptions.isError ? (
            <ErrorAlert error={pending.accounts.error ?? pending.subscriptions.error} />
          ) : waitingAccounts + waitingSubscriptions === 0 ? (
            <Text>Nothing waits for approval.</Text>
          ) : (
            <Text>
              {waitingAccounts} {waitingAccounts === 1 ? 'account' : 'accounts'} and {waitingSubscriptions}{' '}
              {waitingSubscriptions === 1 ? 'subscription' : 'subscriptions'} wait for a decision.{' '}
              <Anchor component={Link} to="/approvals">
                Review them
              </Anchor>
            </Text>
          )}
        </section>
        <section aria-labelledby="configured">
          <Title order={2} id="configured" fz="xl" mb="sm">
            Configured
          </Title>
          <SimpleGrid cols={{ base: 2, sm: 3, md: 5 }}>
            {tiles.map((tile) => (
              <Card key={tile.label} withBorder padding="md" component={Link} to={tile.to}>
                <Text size="sm" c="dimmed">
                  {tile.label}
                </Text>
                <Text fz={28} fw={700}>
                  {tile.value}
                </Text>
              </Card>
            ))}
          </SimpleGrid>
        </section>
        <section aria-labelledby="status">
          <Title order={2} id="status" fz="xl" mb="sm">
            Status
          </Title>
          {status.isError ? (
            <ErrorAlert error={status.error} onRetry={() => void status.refetch()} />
          ) : (
            <Group gap="xl">
              <Text>Version {status.data?.version ?? '…'}</Text>
              <Text>Store {status.data?.store ?? '…'}</Text>
              <Text>
                Configuration revision {status.data?.revision ?? '…'}
                {status.data &&
                  (status.data.snapshotVersion === status.data.revision
                    ? ', served by the gateway'
                    : `, the gateway serves ${status.data.snapshotVersion ?? 'none yet'}`)}
              </Text>
            </Group>
          )}
        </section>
      </Stack>
    </>
  );
}

const dayMs = 86_400_000;

/** Requests, errors and p95 latency of the last 24 hours, hour by hour, and the way to the dashboard. */
function TrafficOverview() {
  const [range] = useState(() => {
    const to = endOfMinute(Date.now());
    return { from: new Date(to - dayMs), to: new Date(to) };
  });
  const query = { from: range.from.toISOString(), to: range.to.toISOString() };
  const summary = useQuery({
    queryKey: ['admin', 'analytics', 'summary', query],
    queryFn: () => api.get<TrafficSummary>('/analytics/summary', query),
  });
  const traffic = useQuery({
    queryKey: ['admin', 'analytics', 'traffic', { ...query, interval: 'hour' }],
    queryFn: () => api.get<TrafficSeries>('/analytics/traffic', { ...query, interval: 'hour' }),
  });
  const drill = (bucket: { from: Date; to: Date }) => requestLogHref(bucket, {});
  const failed = summary.isError ? summary : traffic.isError ? traffic : undefined;
  return (
    <section aria-labelledby="traffic">
      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} id="traffic" fz="xl">
          Traffic, last 24 hours
        </Title>
        <Anchor component={Link} to="/analytics?range=24h">
          Open the analytics
        </Anchor>
      </Group>
      {failed ? (
        <ErrorAlert error={failed.error} onRetry={() => void failed.refetch()} />
      ) : summary.data === undefined || traffic.data === undefined ? (
        <LoadingState label="Loading traffic…" />
      ) : summary.data.requests === 0 ? (
        <Empty
          title="No traffic in the last 24 hours"
          description="Calls through the gateway show up here a few seconds after they are answered."
        />
      ) : (
        <Stack gap="md">
          <TrafficStats summary={summary.data} stats={['requests', 'errorRate', 'p50', 'p95']} />
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
            <RequestsChart series={traffic.data} drill={drill} height={180} />
            <LatencyChart series={traffic.data} drill={drill} percentiles={['p50', 'p95']} height={180} />
          </SimpleGrid>
        </Stack>
      )}
    </section>
  );
}
