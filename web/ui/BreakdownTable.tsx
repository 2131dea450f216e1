// A top list of the analytics (APIs, routes, applications, plans, status codes): each row's
// requests with its share of them all as a bar, its errors and latency, and, where there is a
// request log to open, its name as the link to its requests.
import { Anchor, Group, Table, Text } from '@mantine/core';
import { Link } from 'react-router';
import { formatNumber } from './format.ts';
import { formatMs, formatPercent, type TopItem } from './traffic.ts';

const nowrap = { whiteSpace: 'nowrap' } as const;

export function BreakdownTable({
  caption,
  nameHeader,
  items,
  total,
  href,
  noun = 'Requests',
}: {
  /** Names the table for screen readers: `Top applications`. */
  caption: string;
  nameHeader: string;
  items: TopItem[];
  /** All requests in the range, for the shares; the items' sum without it. */
  total?: number;
  /** The drill-down of a row. */
  href?: (item: TopItem) => string;
  /** `Calls` in the portal. */
  noun?: string;
}) {
  const whole = total ?? items.reduce((sum, item) => sum + item.requests, 0);
  return (
    // Narrow enough for half the page: a table that scrolls there would be a region out of reach.
    <Table.ScrollContainer minWidth={400}>
      <Table highlightOnHover verticalSpacing={6}>
        <Table.Caption className="visually-hidden">{caption}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{nameHeader}</Table.Th>
            <Table.Th scope="col" ta="right">
              {noun}
            </Table.Th>
            <Table.Th scope="col">Share</Table.Th>
            <Table.Th scope="col" ta="right">
              Errors
            </Table.Th>
            <Table.Th scope="col" ta="right">
              p95
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((item) => {
            const name = item.name ?? `${item.id} (deleted)`;
            const share = whole === 0 ? 0 : item.requests / whole;
            const errors = item.clientErrors + item.serverErrors;
            return (
              <Table.Tr key={item.id}>
                <Table.Th scope="row" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {href ? (
                    <Anchor component={Link} to={href(item)}>
                      {name}
                      <span className="visually-hidden">: show these requests</span>
                    </Anchor>
                  ) : (
                    name
                  )}
                </Table.Th>
                <Table.Td ta="right" style={nowrap}>
                  {formatNumber(item.requests)}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <div className="tp-share" aria-hidden="true" style={{ flex: 1, maxWidth: 120 }}>
                      <span style={{ width: `${share * 100}%` }} />
                    </div>
                    <Text span size="xs" w={44} ta="right">
                      {formatPercent(share)}
                    </Text>
                  </Group>
                </Table.Td>
                <Table.Td ta="right" style={nowrap}>
                  {errors === 0 ? '0' : `${formatNumber(errors)} (${formatPercent(item.errorRate)})`}
                </Table.Td>
                <Table.Td ta="right" style={nowrap}>
                  {formatMs(item.latencyP95Ms)}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
