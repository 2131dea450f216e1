// A small bar chart in SVG, enough for calls per day: one bar per point, the largest value on
// the axis, a few dates below, and the same numbers as a table for screen readers and copying.
import { Box, Table, Text } from '@mantine/core';
import { useId } from 'react';
import { formatNumber } from './format.ts';

export interface BarPoint {
  /** Shown under the bar and in the table: `Nov 21`. */
  label: string;
  value: number;
}

const width = 640;
const height = 200;
const top = 16;
const bottom = 28;
const left = 48;

export function BarChart({ title, points, unit }: { title: string; points: BarPoint[]; unit: string }) {
  const id = useId();
  const max = Math.max(1, ...points.map((p) => p.value));
  const total = points.reduce((sum, p) => sum + p.value, 0);
  const plotWidth = width - left - 8;
  const plotHeight = height - top - bottom;
  const slot = points.length === 0 ? plotWidth : plotWidth / points.length;
  const barWidth = Math.max(1, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));
  const most = Math.max(0, ...points.map((p) => p.value));
  const units = (n: number) => `${formatNumber(n)} ${n === 1 ? unit.replace(/s$/, '') : unit}`;
  const summary = `${title}: ${units(total)} in ${points.length} ${points.length === 1 ? 'day' : 'days'}, at most ${formatNumber(most)} in one.`;

  return (
    <Box component="figure" m={0}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title`}
        style={{ maxHeight: 260, display: 'block' }}
      >
        <title id={`${id}-title`}>{summary}</title>
        <line x1={left} x2={width - 8} y1={top + plotHeight} y2={top + plotHeight} stroke="#adb5bd" />
        <line x1={left} x2={width - 8} y1={top} y2={top} stroke="#e9ecef" />
        <text x={left - 6} y={top + 4} textAnchor="end" fontSize="11" fill="#495057">
          {formatNumber(max)}
        </text>
        <text x={left - 6} y={top + plotHeight + 4} textAnchor="end" fontSize="11" fill="#495057">
          0
        </text>
        {points.map((point, index) => {
          const barHeight = (point.value / max) * plotHeight;
          const x = left + index * slot + (slot - barWidth) / 2;
          return (
            <g key={point.label}>
              <rect
                x={x}
                y={top + plotHeight - barHeight}
                width={barWidth}
                height={barHeight}
                rx={2}
                fill="var(--mantine-color-indigo-6)"
              >
                <title>{`${point.label}: ${units(point.value)}`}</title>
              </rect>
              {index % labelEvery === 0 && (
                <text x={x + barWidth / 2} y={height - 8} textAnchor="middle" fontSize="11" fill="#495057">
                  {point.label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <Text component="figcaption" size="sm" c="dimmed" mt={4}>
        {summary}
      </Text>
      <details>
        <summary>
          <Text component="span" size="sm">
            Show the numbers
          </Text>
        </summary>
        <Table mt="xs" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">Day</Table.Th>
              <Table.Th scope="col" ta="right">
                {unit.charAt(0).toUpperCase() + unit.slice(1)}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {points.map((point) => (
              <Table.Tr key={point.label}>
                <Table.Td>{point.label}</Table.Td>
                <Table.Td ta="right">{formatNumber(point.value)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </details>
    </Box>
  );
}
