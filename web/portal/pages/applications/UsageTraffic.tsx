// An application's traffic on its Usage tab: calls and errors over time, latency (p50, p95),
// the status codes and the busiest routes over the last 24 hours, 7 or 30 days (kept in the URL),
// each exportable as CSV. The portal API holds these reads to the developer's own application.
import { Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { type ReactNode, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { BreakdownTable } from '../../../ui/BreakdownTable.tsx';
import { CsvButton, csvUrl } from '../../../ui/CsvButton.tsx';
import { Empty, ErrorAlert, LoadingState, QueryView } from '../../../ui/states.tsx';
import { TimeRangePicker } from '../../../ui/TimeRangePicker.tsx';
import { LatencyChart, RequestsChart } from '../../../ui/TrafficCharts.tsx';
import { TrafficStats } from '../../../ui/TrafficStats.tsx';
import { type PresetKey, rangeFromParams, rangeName, rangeToParams } from '../../../ui/time-range.ts';
import { api, paths, portalUrl, type TopList, type TrafficSeries, type TrafficSummary } from '../../api.ts';

const ranges: PresetKey[] = ['24h', '7d', '30d'];

export function UsageTraffic({ app }: { app: string }) {
  const [params, setParams] = useSearchParams();
  const [now, setNow] = useState(() => Date.now());
  const range = useMemo(() => rangeFromParams(params, now, { allowed: ranges }), [params, now]);
  const query = { from: range.from.toISOString(), to: range.to.toISOString() };
  const read = <T,>(what: 'traffic' | 'summary' | 'top', extra: Record<string, string | number> = {}) => ({
    queryKey: ['applications', app, 'analytics', what, { ...query, ...extra }],
    queryFn: () => api.get<T>(paths.analytics(app, what), { ...query, ...extra }),
    placeholderData: keepPreviousData,
  });
  const summary = useQuery(read<TrafficSummary>('summary'));
  const traffic = useQuery(read<TrafficSeries>('traffic'));
  const statuses = useQuery(read<TopList>('top', { by: 'status', limit: 20 }));
  const routes = useQuery(read<TopList>('top', { by: 'route', limit: 10 }));
  const total = summary.data?.requests;

  return (
    <section aria-labelledby="traffic-title">
      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <Title order={2} fz="xl" id="traffic-title">
          Traffic
        </Title>
        <TimeRangePicker
          value={range}
          options={ranges}
          custom={false}
          onChange={(choice) => {
            setNow(Date.now());
            setParams((current) => rangeToParams(current, choice), { replace: true });
          }}
        />
      </Group>
      <Text size="sm" c="dimmed" mb="md">
        Every call with this application's keys in the {rangeName(range).toLowerCase()}: how many, how many
        failed, and how fast they were answered.
      </Text>
      {summary.isError ? (
        <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data === undefined ? (
        <LoadingState label="Loading traffic…" />
      ) : summary.data.requests === 0 ? (
        <Empty
          title="No calls in this range"
          description="Calls through the gateway with this application's keys show up here a few seconds after they are answered."
        />
      ) : (
        <Stack gap="xl">
          <TrafficStats summary={summary.data} noun="Calls" stats={['requests', 'errorRate', 'p50', 'p95']} />
          <Part
            title="Over time"
            csv={
              <CsvButton
                url={csvUrl(portalUrl(paths.analytics(app, 'traffic')), query)}
                filename="traffic.csv"
                what="calls over time"
              />
            }
          >
            <QueryView query={traffic} loadingLabel="Loading calls over time…">
              {(series) => (
                <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
                  <RequestsChart series={series} noun="Calls" />
                  <LatencyChart series={series} percentiles={['p50', 'p95']} />
                </SimpleGrid>
              )}
            </QueryView>
          </Part>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
            <Part
              title="Status codes"
              csv={
                <CsvButton
                  url={csvUrl(portalUrl(paths.analytics(app, 'top')), { ...query, by: 'status', limit: 20 })}
                  filename="status-codes.csv"
                  what="status codes"
                />
              }
            >
              <QueryView query={statuses} loadingLabel="Loading status codes…">
                {(list) => (
                  <BreakdownTable
                    caption="Calls by status code"
                    nameHeader="Status"
                    noun="Calls"
                    items={list.items}
                    {...(total !== undefined && { total })}
                  />
                )}
              </QueryView>
            </Part>
            <Part
              title="Top routes"
              csv={
                <CsvButton
                  url={csvUrl(portalUrl(paths.analytics(app, 'top')), { ...query, by: 'route', limit: 10 })}
                  filename="top-routes.csv"
                  what="top routes"
                />
              }
            >
              <QueryView query={routes} loadingLabel="Loading routes…">
                {(list) =>
                  list.items.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      No call matched a route.
                    </Text>
                  ) : (
                    <BreakdownTable
                      caption="Calls by route"
                      nameHeader="Route"
                      noun="Calls"
                      items={list.items}
                      {...(total !== undefined && { total })}
                    />
                  )
                }
              </QueryView>
            </Part>
          </SimpleGrid>
        </Stack>
      )}
    </section>
  );
}

function Part({ title, csv, children }: { title: string; csv: ReactNode; children: ReactNode }) {
  const id = `traffic-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return (
    <section aria-labelledby={id}>
      <Group justify="space-between" align="flex-end" mb="xs">
        <Title order={3} fz="lg" id={id}>
          {title}
        </Title>
        {csv}
      </Group>
      {children}
    </section>
  );
}
