// The SVG chart behind LineChart and ColumnChart: a value axis from zero, one column per point
// (a line's vertex at its centre, or a bar), a tooltip on hover and focus, a legend, and the same
// numbers as a table. The drawing is one image with a summary; when points link somewhere (the
// drill-down), each column is also a link above the drawing, one tab stop for the whole chart
// and the arrow keys between them.
import './charts.css';
import { Box, Group, Table, Text } from '@mantine/core';
import { useElementSize, useMergedRef } from '@mantine/hooks';
import { type KeyboardEvent, type MouseEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { areaPath, labelIndexes, linePath, stack, ticks } from './chart-scale.ts';

export interface ChartPoint {
  /** Short, under the axis: `14:00`. */
  label: string;
  /** In full, in the tooltip and the table: `Jan 3, 14:00–15:00`. */
  title: string;
  /** Where the point leads (a route path): the drill-down. */
  href?: string;
}

export interface ChartSeries {
  name: string;
  /** A CSS colour with 3:1 contrast on white (WCAG non-text contrast). */
  color: string;
  /** One per point; null where there is nothing to show (latency without requests). */
  values: (number | null)[];
  /** An SVG stroke-dasharray, so that lines differ by more than their colour. */
  dash?: string;
}

export interface ChartProps {
  /** What the chart shows; names the image, the table and the links. */
  title: string;
  points: ChartPoint[];
  series: ChartSeries[];
  /** A value as people read it: `1,204`, `12.5 ms`, `3.2%`. */
  format: (value: number) => string;
  /** Read by screen readers and shown under the chart; a default is made from the series. */
  summary?: string;
  /** After each link's numbers: `Show these requests`. */
  linkHint?: string;
  /** The heading of the table's first column: `Time`, `Hour`. */
  pointName?: string;
  /** The values are counts: whole numbers on the axis. */
  integer?: boolean;
  height?: number;
}

/** Until the chart's box is measured (and in tests without layout). */
const defaultWidth = 720;
const top = 14;
const bottom = 26;
const left = 64;
const right = 12;

export function Chart({
  kind,
  title,
  points,
  series,
  format,
  summary,
  linkHint = 'Open',
  pointName = 'Time',
  integer = false,
  height = 220,
}: ChartProps & { kind: 'line' | 'area' | 'bar' }) {
  const id = useId();
  // Drawn at the size it is shown, so that its text stays 11 px wide and high at any width.
  const size = useElementSize();
  const containerRef = useRef<HTMLDivElement>(null);
  const ref = useMergedRef(containerRef, size.ref);
  const width = size.width > 0 ? Math.max(280, Math.round(size.width)) : defaultWidth;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const slot = points.length === 0 ? plotWidth : plotWidth / points.length;
  const stacked = kind === 'line' ? null : stack(series.map((s) => s.values));
  const values = stacked ?? series.map((s) => s.values.map((v) => v ?? 0));
  const max = Math.max(0, ...values.flat());
  const axis = ticks(max, integer);
  const axisTop = axis.at(-1) ?? 1;
  const y = (value: number) => top + plotHeight - (value / axisTop) * plotHeight;
  const xs = points.map((_, i) => left + slot * (i + 0.5));
  const [hovered, setHovered] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  const active = focused ?? hovered;
  const linked = points.some((p) => p.href !== undefined);
  const text = summary ?? defaultSummary(title, points, series, format);
  // As many labels under the axis as fit: times are wide, hours and weekdays narrow.
  const labels = kind === 'bar' ? Math.floor(plotWidth / 28) : Math.max(2, Math.floor(plotWidth / 110));

  const onMove = (event: MouseEvent<HTMLDivElement>) => {
    const box = containerRef.current?.getBoundingClientRect();
    if (!box || box.width === 0 || points.length === 0) return;
    const x = ((event.clientX - box.left) / box.width) * width;
    const index = Math.floor((x - left) / slot);
    setHovered(index >= 0 && index < points.length ? index : null);
  };

  return (
    <Box component="figure" m={0}>
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the tooltip follows the mouse; keyboard users get the same numbers from the point links and the table */}
      <div ref={ref} className="tp-chart" onMouseMove={onMove} onMouseLeave={() => setHovered(null)}>
        <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title`}>
          <title id={`${id}-title`}>{text}</title>
          {axis.map((tick) => (
            <g key={tick}>
              <line
                x1={left}
                x2={width - right}
                y1={y(tick)}
                y2={y(tick)}
                stroke={tick === 0 ? '#868e96' : '#e9ecef'}
              />
              <text x={left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#495057">
                {format(tick)}
              </text>
            </g>
          ))}
          {labelIndexes(points.length, labels).map((i) => (
            <text
              key={i}
              x={xs[i]}
              y={height - 8}
              textAnchor={points.length > 1 && i === 0 && kind !== 'bar' ? 'start' : 'middle'}
              fontSize="11"
              fill="#495057"
            >
              {points[i]?.label}
            </text>
          ))}
          {active !== null && kind !== 'bar' && (
            <line
              x1={xs[active]}
              x2={xs[active]}
              y1={top}
              y2={top + plotHeight}
              stroke="#868e96"
              strokeDasharray="3 3"
            />
          )}
          {kind === 'bar' && active !== null && (
            <rect
              x={left + slot * active}
              y={top}
              width={slot}
              height={plotHeight}
              fill="var(--mantine-color-gray-1)"
            />
          )}
          <Marks kind={kind} series={series} stacked={stacked} xs={xs} y={y} slot={slot} />
          {active !== null &&
            kind !== 'bar' &&
            series.map((s, index) => {
              const value = stacked ? stacked[index]?.[active] : s.values[active];
              if (value === null || value === undefined) return null;
              return <circle key={s.name} cx={xs[active]} cy={y(value)} r={3.5} fill={s.color} />;
            })}
        </svg>
        {active !== null && points[active] && (
          <Tooltip
            point={points[active]}
            series={series}
            index={active}
            format={format}
            at={(xs[active] ?? 0) / width}
          />
        )}
        {linked && (
          <PointLinks
            title={title}
            points={points}
            series={series}
            format={format}
            hint={linkHint}
            geometry={{ left, slot, width, top, plotHeight, height }}
            onFocusPoint={setFocused}
          />
        )}
      </div>
      {series.length > 1 && <Legend series={series} />}
      <Text component="figcaption" size="sm" c="dimmed" mt={4}>
        {text}
      </Text>
      <details>
        <summary>
          <Text component="span" size="sm">
            Show the numbers
          </Text>
        </summary>
        <Table.ScrollContainer minWidth={320} mah={320}>
          <Table mt="xs" striped stickyHeader>
            <Table.Caption className="visually-hidden">{title}</Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{pointName}</Table.Th>
                {series.map((s) => (
                  <Table.Th key={s.name} scope="col" ta="right">
                    {s.name}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {points.map((point, i) => (
                <Table.Tr key={point.title}>
                  <Table.Th scope="row" fw={400}>
                    {point.title}
                  </Table.Th>
                  {series.map((s) => (
                    <Table.Td key={s.name} ta="right">
                      {show(s.values[i], format)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </details>
    </Box>
  );
}

const show = (value: number | null | undefined, format: (value: number) => string) =>
  value === null || value === undefined ? '—' : format(value);

function Marks({
  kind,
  series,
  stacked,
  xs,
  y,
  slot,
}: {
  kind: 'line' | 'area' | 'bar';
  series: ChartSeries[];
  stacked: number[][] | null;
  xs: number[];
  y: (value: number) => number;
  slot: number;
}) {
  if (kind === 'bar' && stacked) {
    const barWidth = Math.max(1, slot * 0.7);
    return (
      <g>
        {series.map((s, index) =>
          xs.map((x, i) => {
            const topValue = stacked[index]?.[i] ?? 0;
            const bottomValue = index === 0 ? 0 : (stacked[index - 1]?.[i] ?? 0);
            if (topValue === bottomValue) return null;
            return (
              <rect
                key={`${s.name}-${x}`}
                x={x - barWidth / 2}
                y={y(topValue)}
                width={barWidth}
                height={Math.max(0.5, y(bottomValue) - y(topValue))}
                rx={index === series.length - 1 ? 2 : 0}
                fill={s.color}
              />
            );
          }),
        )}
      </g>
    );
  }
  if (kind === 'area' && stacked) {
    const tops = series.map((_, index) => (stacked[index] ?? []).map(y));
    return (
      <g>
        {series.map((s, index) => (
          <path
            key={`${s.name}-area`}
            d={areaPath(xs, tops[index] ?? [], index === 0 ? xs.map(() => y(0)) : (tops[index - 1] ?? []))}
            fill={s.color}
            fillOpacity={0.18}
          />
        ))}
        {/* The lowest band's edge drawn last: where an upper band is empty its edge lies on the
            one below, which should show, not the colour of nothing. */}
        {series
          .map((s, index) => (
            <path
              key={`${s.name}-line`}
              d={linePath(xs, tops[index] ?? [])}
              fill="none"
              stroke={s.color}
              strokeWidth={2}
            />
          ))
          .reverse()}
      </g>
    );
  }
  return (
    <g>
      {series.map((s) => {
        const ys = s.values.map((v) => (v === null ? null : y(v)));
        // A lone value between gaps would be invisible as a line: a dot then.
        const lone = ys.flatMap((value, i) =>
          value !== null && ys[i - 1] == null && ys[i + 1] == null ? [i] : [],
        );
        return (
          <g key={s.name}>
            <path
              d={linePath(xs, ys)}
              fill="none"
              stroke={s.color}
              strokeWidth={2}
              strokeDasharray={s.dash}
              strokeLinejoin="round"
            />
            {lone.map((i) => (
              <circle key={i} cx={xs[i]} cy={ys[i] ?? 0} r={2.5} fill={s.color} />
            ))}
          </g>
        );
      })}
    </g>
  );
}

function Tooltip({
  point,
  series,
  index,
  format,
  at,
}: {
  point: ChartPoint;
  series: ChartSeries[];
  index: number;
  format: (value: number) => string;
  /** Where the point is, 0 (left) to 1 (right). */
  at: number;
}) {
  const side = at > 0.6 ? { right: `${(1 - at) * 100}%` } : { left: `${at * 100}%` };
  return (
    <div className="tp-chart-tooltip" style={side} aria-hidden="true">
      <Text size="xs" fw={600}>
        {point.title}
      </Text>
      {series.map((s) => (
        <Group key={s.name} gap={6} wrap="nowrap">
          <Swatch color={s.color} />
          <Text size="xs">
            {s.name}: {show(s.values[index], format)}
          </Text>
        </Group>
      ))}
    </div>
  );
}

/** The points as links over the drawing: Tab reaches the chart once, arrows move along it. */
function PointLinks({
  title,
  points,
  series,
  format,
  hint,
  geometry,
  onFocusPoint,
}: {
  title: string;
  points: ChartPoint[];
  series: ChartSeries[];
  format: (value: number) => string;
  hint: string;
  geometry: { left: number; slot: number; width: number; top: number; plotHeight: number; height: number };
  onFocusPoint: (index: number | null) => void;
}) {
  const firstWithData = points.findIndex((_, i) => series.some((s) => (s.values[i] ?? 0) > 0));
  const [current, setCurrent] = useState<number | null>(null);
  const tabbable = current ?? (firstWithData >= 0 ? firstWithData : 0);
  const refs = useRef<(HTMLAnchorElement | null)[]>([]);
  const { left, slot, width, top, plotHeight, height } = geometry;

  const move = (event: KeyboardEvent, from: number) => {
    const page = Math.max(1, Math.round(points.length / 10));
    const to =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? from + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? from - 1
          : event.key === 'PageDown'
            ? from + page
            : event.key === 'PageUp'
              ? from - page
              : event.key === 'Home'
                ? 0
                : event.key === 'End'
                  ? points.length - 1
                  : null;
    if (to === null) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(points.length - 1, to));
    setCurrent(next);
    refs.current[next]?.focus();
  };

  return (
    <fieldset
      className="tp-chart-points"
      aria-label={`${title}: one link per point, arrow keys move between them`}
    >
      {points.map((point, i) =>
        point.href === undefined ? null : (
          <Link
            key={point.title}
            ref={(element) => {
              refs.current[i] = element;
            }}
            to={point.href}
            className="tp-chart-point"
            tabIndex={i === tabbable ? 0 : -1}
            aria-label={`${point.title}: ${series.map((s) => `${s.name} ${show(s.values[i], format)}`).join(', ')}. ${hint}`}
            onKeyDown={(event) => move(event, i)}
            onFocus={() => {
              setCurrent(i);
              onFocusPoint(i);
            }}
            onBlur={() => onFocusPoint(null)}
            style={{
              left: `${((left + slot * i) / width) * 100}%`,
              width: `${(slot / width) * 100}%`,
              top: `${(top / height) * 100}%`,
              height: `${(plotHeight / height) * 100}%`,
            }}
          />
        ),
      )}
    </fieldset>
  );
}

function Legend({ series }: { series: ChartSeries[] }) {
  return (
    <Group
      component="ul"
      m={0}
      mt={4}
      p={0}
      style={{ listStyle: 'none', columnGap: 'var(--mantine-spacing-md)', rowGap: 2 }}
      aria-label="Legend"
    >
      {series.map((s) => (
        <Group component="li" key={s.name} gap={6} wrap="nowrap">
          <Swatch color={s.color} dash={s.dash} />
          <Text size="sm">{s.name}</Text>
        </Group>
      ))}
    </Group>
  );
}

function Swatch({ color, dash }: { color: string; dash?: string | undefined }) {
  return (
    <svg width="18" height="10" aria-hidden="true" style={{ flex: 'none' }}>
      <line x1="1" x2="17" y1="5" y2="5" stroke={color} strokeWidth="3" strokeDasharray={dash} />
    </svg>
  );
}

function defaultSummary(
  title: string,
  points: ChartPoint[],
  series: ChartSeries[],
  format: (value: number) => string,
): string {
  if (points.length === 0) return `${title}: no data.`;
  const span = `${points[0]?.title} to ${points.at(-1)?.title}`;
  const parts = series.map((s) => {
    let best = -1;
    s.values.forEach((value, i) => {
      if (value !== null && (best < 0 || value > (s.values[best] ?? 0))) best = i;
    });
    return best < 0
      ? `${s.name}: no data`
      : `${s.name} highest ${format(s.values[best] ?? 0)} (${points[best]?.title})`;
  });
  return `${title}, ${span}. ${parts.join('; ')}.`;
}
