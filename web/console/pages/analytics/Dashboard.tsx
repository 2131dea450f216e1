// The analytics dashboard: a range and filters (in the URL), the range added up, traffic, errors
// and latency over time, the status codes and the top applications, accounts, APIs, routes and
// plans, and the busiest hours and weekdays. Every point, row and error count opens the request
// log of what it counts.
import { Button, SimpleGrid, Stack, Text } from '@mantine/core';
import { Link, useLocation } from 'react-router';
import { CsvButton, csvUrl } from '../../../ui/CsvButton.tsx';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, ErrorAlert, LoadingState } from '../../../ui/states.tsx';
import { ErrorRateChart, LatencyChart, RequestsChart, TimeSplitChart } from '../../../ui/TrafficCharts.tsx';
import { TrafficStats } from '../../../ui/TrafficStats.tsx';
import { rangeWords } from '../../../ui/time-range.ts';
import { adminUrl } from '../../api.ts';
import { product } from '../../session.tsx';
import { BusiestTimes } from './BusiestTimes.tsx';
import { FilterBar } from './FilterBar.tsx';
import { useSummary, useTraffic } from './queries.ts';
import { Section } from './Section.tsx';
import { StatusCodes, TopLists } from './TopLists.tsx';
import { requestLogHref, useAnalyticsView } from './view.ts';

export function Dashboard() {
  usePageTitle('Analytics', product);
  const view = useAnalyticsView();
  const { range, filters, query } = view;
  const { search } = useLocation();
  const summary = useSummary(query);
  const traffic = useTraffic(query);
  const drill = (bucket: { from: Date; to: Date }) => requestLogHref(bucket, filters);
  const updating = summary.isFetching || traffic.isFetching;

  return (
    <>
      <PageHeader
        title="Analytics"
        description={`Traffic through the gateways: ${rangeWords(range)}, in your time zone.`}
        actions={
          <>
            <Button variant="default" onClick={view.refresh} loading={updating && summary.data !== undefined}>
              Refresh
            </Button>
            <Button component={Link} to={`/analytics/requests${search}`}>
              Request log
            </Button>
          </>
        }
      />
      <FilterBar view={view} />
      <Stack gap="xl">
        <Section id="summary" title="Summary">
          {summary.isError ? (
            <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />
          ) : summary.data === undefined ? (
            <LoadingState label="Adding up the range…" />
          ) : (
            <TrafficStats
              summary={summary.data}
              errorsHref={(statusClass) => requestLogHref(range, { ...filters, statusClass })}
            />
          )}
        </Section>
        {summary.data?.requests === 0 ? (
          <Empty
            title="No traffic in this range"
            description="Calls through the gateway show up here a few seconds after they are answered. Choose a longer range or remove a filter."
          />
        ) : (
          <>
            <Section
              id="traffic"
              title="Over time"
              actions={
                <CsvButton
                  url={csvUrl(adminUrl('/analytics/traffic'), query)}
                  filename="traffic.csv"
                  what="traffic over time"
                />
              }
            >
              {traffic.isError ? (
                <ErrorAlert error={traffic.error} onRetry={() => void traffic.refetch()} />
              ) : traffic.data === undefined ? (
                <LoadingState label="Loading traffic…" />
              ) : (
                <>
                  <Text size="sm" c="dimmed" mb="sm">
                    Hover a point for its numbers; select it (or Tab to the chart, move with the arrow keys
                    and press Enter) to see its requests in the request log.
                  </Text>
                  <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
                    <RequestsChart series={traffic.data} drill={drill} />
                    <ErrorRateChart series={traffic.data} drill={drill} />
                    <LatencyChart series={traffic.data} drill={drill} />
                    <TimeSplitChart series={traffic.data} drill={drill} />
                  </SimpleGrid>
                </>
              )}
            </Section>
            <StatusCodes view={view} total={summary.data?.requests} />
            <TopLists view={view} total={summary.data?.requests} />
            <BusiestTimes view={view} />
          </>
        )}
      </Stack>
    </>
  );
}
