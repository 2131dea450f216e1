// A range's traffic in a row of cards: requests, error rate (with its 4xx and 5xx, each a link
// to those requests where there is a log), latency percentiles, and upstream against gateway time.
import { Anchor, Card, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatNumber } from './format.ts';
import { formatMs, formatPercent, type TrafficSummary } from './traffic.ts';

export type Stat = 'requests' | 'errorRate' | 'p50' | 'p95' | 'p99' | 'split';

export function TrafficStats({
  summary,
  errorsHref,
  noun = 'Requests',
  stats = ['requests', 'errorRate', 'p50', 'p95', 'p99', 'split'],
}: {
  summary: TrafficSummary;
  /** The drill-down to the requests of a status class. */
  errorsHref?: (statusClass: '4xx' | '5xx') => string;
  noun?: string;
  stats?: Stat[];
}) {
  const errorsOf = (statusClass: '4xx' | '5xx', count: number) => {
    const text = `${formatNumber(count)} × ${statusClass}`;
    return errorsHref && count > 0 ? (
      <Anchor component={Link} to={errorsHref(statusClass)} size="sm" underline="always">
        {text}
      </Anchor>
    ) : (
      text
    );
  };
  const cards: Record<Stat, { label: string; value: string; detail: ReactNode }> = {
    requests: {
      label: noun,
      value: formatNumber(summary.requests),
      detail: `${formatBytes(summary.bytesIn)} in, ${formatBytes(summary.bytesOut)} out`,
    },
    errorRate: {
      label: 'Error rate',
      value: formatPercent(summary.errorRate),
      detail: (
        <>
          {errorsOf('4xx', summary.clientErrors)} · {errorsOf('5xx', summary.serverErrors)}
        </>
      ),
    },
    p50: { label: 'Latency p50', value: formatMs(summary.latencyP50Ms), detail: 'half answered faster' },
    p95: {
      label: 'Latency p95',
      value: formatMs(summary.latencyP95Ms),
      detail: `average ${formatMs(summary.latencyAvgMs)}`,
    },
    p99: { label: 'Latency p99', value: formatMs(summary.latencyP99Ms), detail: '1 in 100 slower' },
    split: {
      label: 'Upstream / gateway',
      value: pair(formatMs(summary.upstreamAvgMs), formatMs(summary.gatewayAvgMs)),
      detail: 'average time in each',
    },
  };
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: Math.min(6, stats.length) }} spacing="sm">
      {stats.map((stat) => {
        const card = cards[stat];
        return (
          <Card key={stat} withBorder padding="sm" role="group" aria-label={card.label}>
            <Text size="sm" c="dimmed">
              {card.label}
            </Text>
            <Text fz={stat === 'split' ? 18 : 26} fw={700} lh={1.3}>
              {card.value}
            </Text>
            <Text size="sm" c="dimmed" component="div">
              {card.detail}
            </Text>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

/** `9.4 / 4.6 ms`: one unit for both when they share it. */
const pair = (a: string, b: string) =>
  a.endsWith(' ms') && b.endsWith(' ms') ? `${a.slice(0, -3)} / ${b}` : `${a} / ${b}`;

const bytesFormat = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

/** `512 B`, `1.5 kB`, `3.2 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${bytesFormat.format(value)} ${units[unit]}`;
}
