// The request log: requests the `request-log` policy sampled, newest first, narrowed by the
// range and filters in the URL (where the dashboard's drill-down sets them), page after page,
// each opening to its headers and bodies.
import { Anchor, Breadcrumbs, Button, Center, Code, Table, Text } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { Link, useLocation } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { CsvButton, csvUrl } from '../../../ui/CsvButton.tsx';
import { formatNumber } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { Empty, ErrorAlert, LoadingState } from '../../../ui/states.tsx';
import { rangeWords } from '../../../ui/time-range.ts';
import { formatMs } from '../../../ui/traffic.ts';
import {
  adminUrl,
  api,
  type RequestLogItem,
  type RequestLogPage,
  useAdminList,
  useNames,
} from '../../api.ts';
import { product } from '../../session.tsx';
import type { Policy } from '../manage/resources.ts';
import { FilterBar } from './FilterBar.tsx';
import { dashboardHref, logFilterNames, useAnalyticsView } from './view.ts';

const pageSize = 50;
/** Most rows one CSV export holds (the API's largest page). */
const csvRows = 1000;

const timeFormat = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** A status code's colour, dark enough for 4.5:1 on white and on a hovered row (Mantine's orange and teal are not). */
export const statusColor = (status: number) =>
  status >= 500 ? 'red.9' : status >= 400 ? '#9c3d00' : status >= 300 ? 'blue.9' : '#0b6e4f';

export function RequestLog() {
  usePageTitle('Request log', product);
  const view = useAnalyticsView(logFilterNames);
  const { pathname, search } = useLocation();
  const log = useInfiniteQuery({
    queryKey: ['admin', 'analytics', 'requests', view.query],
    queryFn: ({ pageParam }) =>
      api.get<RequestLogPage>('/analytics/requests', { ...view.query, limit: pageSize, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
  });
  const items = log.data?.pages.flatMap((page) => page.items);
  const appName = useNames('/applications');
  const apiName = useNames('/apis');

  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to={dashboardHref(view.range, view.filters)} size="sm">
              Analytics
            </Anchor>
            <Text size="sm">Request log</Text>
          </Breadcrumbs>
        }
        title="Request log"
        description={`Requests the request-log policy kept: ${rangeWords(view.range)}, newest first.`}
        actions={
          <>
            <Button variant="default" onClick={view.refresh}>
              Refresh
            </Button>
            <CsvButton
              url={csvUrl(adminUrl('/analytics/requests'), { ...view.query, limit: csvRows })}
              filename="requests.csv"
              what={`the request log (newest ${formatNumber(csvRows)})`}
            />
          </>
        }
      />
      <FilterBar view={view} statusFilter />
      {log.isError ? (
        <ErrorAlert error={log.error} onRetry={() => void log.refetch()} />
      ) : items === undefined ? (
        <LoadingState label="Loading requests…" />
      ) : items.length === 0 ? (
        <NoRequests />
      ) : (
        <>
          <Table.ScrollContainer minWidth={860}>
            <Table highlightOnHover aria-busy={log.isFetching}>
              <Table.Caption className="visually-hidden">Logged requests, newest first</Table.Caption>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">Time</Table.Th>
                  <Table.Th scope="col">Request</Table.Th>
                  <Table.Th scope="col" ta="right">
                    Status
                  </Table.Th>
                  <Table.Th scope="col" ta="right">
                    Duration
                  </Table.Th>
                  <Table.Th scope="col">Application</Table.Th>
                  <Table.Th scope="col">API</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <LogRow
                    key={item.id}
                    item={item}
                    back={`${pathname}${search}`}
                    application={appName(item.applicationId)}
                    apiLabel={apiName(item.apiId)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="sm" c="dimmed" mt="xs" role="status">
            {formatNumber(items.length)} {items.length === 1 ? 'request' : 'requests'} shown
            {log.hasNextPage ? '; older ones follow' : ''}.
          </Text>
          {log.hasNextPage && (
            <Center mt="md">
              <Button
                variant="default"
                onClick={() => void log.fetchNextPage()}
                loading={log.isFetchingNextPage}
              >
                Load older requests
              </Button>
            </Center>
          )}
        </>
      )}
    </>
  );
}

function LogRow({
  item,
  back,
  application,
  apiLabel,
}: {
  item: RequestLogItem;
  back: string;
  application: string;
  apiLabel: string;
}) {
  return (
    <Table.Tr>
      <Table.Th scope="row" fw={400}>
        <Anchor component={Link} to={`/analytics/requests/${segment(item.id)}`} state={{ back }}>
          {timeFormat.format(new Date(item.time))}
          <span className="visually-hidden">
            : {item.method} {item.path} answered {item.status}
          </span>
        </Anchor>
      </Table.Th>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>
        <Code>{item.method}</Code> {item.path}
        {item.query ? `?${item.query}` : ''}
      </Table.Td>
      <Table.Td ta="right">
        <Text span fw={600} c={statusColor(item.status)}>
          {item.status}
        </Text>
      </Table.Td>
      <Table.Td ta="right">{formatMs(item.durationMs)}</Table.Td>
      <Table.Td>{item.applicationId ? application : 'none'}</Table.Td>
      <Table.Td>{apiLabel}</Table.Td>
    </Table.Tr>
  );
}

/** Nothing logged: say whether the log is off (no request-log policy) or nothing matches. */
function NoRequests() {
  const policies = useAdminList<Policy>('/policies', { name: 'request-log' });
  if (policies.data === undefined) return <LoadingState />;
  const on = policies.data.some((p) => p.enabled);
  return on ? (
    <Empty
      title="No logged requests match"
      description="The request-log policy may keep only a sample of the requests (its sample rates), and only on the APIs it is set on. Choose a longer range or remove a filter."
    />
  ) : (
    <Empty
      title="The request log is off"
      description="Requests are logged only where a request-log policy is on: for every API on the Policies page, or for one API on its Policies tab. The dashboard's numbers do not need it."
      action={
        <Button component={Link} to="/policies">
          Open the policies
        </Button>
      }
    />
  );
}
