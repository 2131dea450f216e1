// One request of the request log: what it was, who sent it, how long it took, and its headers
// (credentials redacted) and bodies where the policy captured them.
import { Anchor, Breadcrumbs, Code, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { segment } from '../../../ui/api.ts';
import { formatNumber } from '../../../ui/format.ts';
import { PageHeader, usePageTitle } from '../../../ui/layout.tsx';
import { QueryView } from '../../../ui/states.tsx';
import { formatMs } from '../../../ui/traffic.ts';
import { api, type RequestLogItem, useAdminList, useNames } from '../../api.ts';
import { product } from '../../session.tsx';
import type { Route } from '../manage/resources.ts';
import { statusColor } from './RequestLog.tsx';

const timeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });
const formatTime = (value: string) => timeFormat.format(new Date(value));

export function RequestDetail() {
  const { requestId = '' } = useParams();
  const { state } = useLocation();
  const back = typeof state?.back === 'string' ? state.back : '/analytics/requests';
  const entry = useQuery({
    queryKey: ['admin', 'analytics', 'request', requestId],
    queryFn: () => api.get<RequestLogItem>(`/analytics/requests/${segment(requestId)}`),
  });
  usePageTitle(entry.data ? `${entry.data.method} ${entry.data.path}` : 'Request', product);
  return (
    <>
      <PageHeader
        before={
          <Breadcrumbs aria-label="Breadcrumb">
            <Anchor component={Link} to="/analytics" size="sm">
              Analytics
            </Anchor>
            <Anchor component={Link} to={back} size="sm">
              Request log
            </Anchor>
            <Text size="sm">{requestId}</Text>
          </Breadcrumbs>
        }
        title={
          entry.data ? (
            <>
              {entry.data.method} {entry.data.path}{' '}
              <Text span inherit c={statusColor(entry.data.status)}>
                → {entry.data.status}
              </Text>
            </>
          ) : (
            'Request'
          )
        }
      />
      <QueryView query={entry} loadingLabel="Loading the request…">
        {(item) => <Entry item={item} />}
      </QueryView>
    </>
  );
}

function Entry({ item }: { item: RequestLogItem }) {
  const apiName = useNames('/apis');
  const appName = useNames('/applications');
  const accountName = useNames('/accounts');
  const planName = useNames('/plans');
  const routes = useAdminList<Route>(`/apis/${segment(item.apiId)}/routes`);
  const route = routes.data?.find((r) => r.id === item.routeId);
  const link = (to: string, text: string) => (
    <Anchor component={Link} to={to}>
      {text}
    </Anchor>
  );
  const facts: [string, ReactNode][] = [
    ['Time', formatTime(item.time)],
    ['Request id', <Code key="id">{item.requestId}</Code>],
    ['URL', `${item.host}${item.path}${item.query ? `?${item.query}` : ''}`],
    ['Status', item.status],
    ['Duration', formatMs(item.durationMs)],
    ['Upstream time', item.upstreamMs === null ? 'did not reach an upstream' : formatMs(item.upstreamMs)],
    ['Bytes', `${formatNumber(item.bytesIn)} in, ${formatNumber(item.bytesOut)} out`],
    ['Client address', item.clientIp],
    ['API', link(`/apis/${segment(item.apiId)}`, apiName(item.apiId))],
    ['Route', `${route ? `${route.name} (${route.path})` : item.routeId}, counted as ${item.metric}`],
    [
      'Application',
      item.applicationId
        ? link(`/applications/${segment(item.applicationId)}`, appName(item.applicationId))
        : 'none',
    ],
    [
      'Account',
      item.accountId ? link(`/accounts/${segment(item.accountId)}`, accountName(item.accountId)) : 'none',
    ],
    ['Plan', item.planId ? link(`/plans/${segment(item.planId)}`, planName(item.planId)) : 'none'],
    ['End user', item.endUser ?? 'none'],
    ['Kept until', formatTime(item.expiresAt)],
  ];
  return (
    <Stack gap="xl">
      <section aria-labelledby="request-facts">
        <Title order={2} fz="xl" id="request-facts" mb="xs">
          Details
        </Title>
        <Table maw={760} verticalSpacing={4}>
          <Table.Tbody>
            {facts.map(([label, value]) => (
              <Table.Tr key={label}>
                <Table.Th scope="row" w={180} fw={500}>
                  {label}
                </Table.Th>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="xl">
        <Headers id="request-headers" title="Request headers" headers={item.requestHeaders} />
        <Headers id="response-headers" title="Response headers" headers={item.responseHeaders} />
        <Body id="request-body" title="Request body" body={item.requestBody} />
        <Body id="response-body" title="Response body" body={item.responseBody} />
      </SimpleGrid>
    </Stack>
  );
}

function Headers({ id, title, headers }: { id: string; title: string; headers: Record<string, string> }) {
  const entries = Object.entries(headers);
  return (
    <section aria-labelledby={id}>
      <Title order={2} fz="lg" id={id} mb="xs">
        {title}
      </Title>
      {entries.length === 0 ? (
        <Text size="sm" c="dimmed">
          None logged (the policy's headers setting is off, or there were none).
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={320}>
          <Table verticalSpacing={4} fz="sm">
            <Table.Caption className="visually-hidden">{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Name</Table.Th>
                <Table.Th scope="col">Value</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map(([name, value]) => (
                <Table.Tr key={name}>
                  <Table.Th scope="row" fw={500} ff="monospace">
                    {name}
                  </Table.Th>
                  <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {value}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </section>
  );
}

function Body({ id, title, body }: { id: string; title: string; body: string | null }) {
  return (
    <section aria-labelledby={id}>
      <Title order={2} fz="lg" id={id} mb="xs">
        {title}
      </Title>
      {body === null ? (
        <Text size="sm" c="dimmed">
          Not captured: the request-log policy's captureBody setting is off.
        </Text>
      ) : body === '' ? (
        <Text size="sm" c="dimmed">
          Empty.
        </Text>
      ) : (
        <Code
          block
          className="prewrap"
          mah={360}
          style={{ overflow: 'auto' }}
          tabIndex={0}
          role="region"
          aria-label={title}
        >
          {body}
        </Code>
      )}
    </section>
  );
}
