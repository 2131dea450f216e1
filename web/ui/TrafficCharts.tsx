// The charts of a traffic series, shared by the console's dashboard and overview and the
// portal's usage tab: requests by outcome, error rate, latency percentiles, and where the time
// goes (upstream or gateway). `drill` links each bucket to its requests, where there is a log.
import { formatNumber } from './format.ts';
import { LineChart } from './LineChart.tsx';
import {
  chartPoints,
  colors,
  formatCompact,
  formatMs,
  formatPercent,
  successes,
  type TrafficSeries,
} from './traffic.ts';

export type Drill = (bucket: { from: Date; to: Date }) => string;

interface Props {
  series: TrafficSeries;
  drill?: Drill | undefined;
  /** `Calls` in the portal, `Requests` in the console. */
  noun?: string;
  height?: number;
}

const hint = 'Show these requests';
const per = (series: TrafficSeries) => series.interval;

export function RequestsChart({ series, drill, noun = 'Requests', height }: Props) {
  const total = series.points.reduce((sum, p) => sum + p.requests, 0);
  const errors = series.points.reduce((sum, p) => sum + p.clientErrors + p.serverErrors, 0);
  const peak = Math.max(0, ...series.points.map((p) => p.requests));
  return (
    <LineChart
      stacked
      integer
      title={`${noun} per ${per(series)}`}
      points={chartPoints(series, drill)}
      series={[
        { name: 'Successful (below 400)', color: colors.success, values: series.points.map(successes) },
        {
          name: 'Client errors (4xx)',
          color: colors.clientError,
          values: series.points.map((p) => p.clientErrors),
        },
        {
          name: 'Server errors (5xx)',
          color: colors.serverError,
          values: series.points.map((p) => p.serverErrors),
        },
      ]}
      format={formatCompact}
      summary={`${noun} per ${per(series)}: ${formatNumber(total)} in total, ${formatNumber(errors)} of them errors, at most ${formatNumber(peak)} in one ${per(series)}.`}
      linkHint={hint}
      {...(height && { height })}
    />
  );
}

export function ErrorRateChart({ series, drill, height }: Props) {
  const rates = series.points.map((p) => (p.requests === 0 ? null : p.errorRate));
  const worst = Math.max(0, ...rates.map((r) => r ?? 0));
  return (
    <LineChart
      title={`Error rate per ${per(series)}`}
      points={chartPoints(series, drill)}
      series={[{ name: 'Error rate (4xx and 5xx)', color: colors.errors, values: rates }]}
      format={formatPercent}
      summary={`Error rate per ${per(series)}: at worst ${formatPercent(worst)} of the requests in one ${per(series)} were answered with a 4xx or 5xx status.`}
      linkHint={hint}
      {...(height && { height })}
    />
  );
}

export function LatencyChart({
  series,
  drill,
  height,
  percentiles = ['p50', 'p95', 'p99'],
}: Props & { percentiles?: ('p50' | 'p95' | 'p99')[] }) {
  const values = {
    p50: series.points.map((p) => p.latencyP50Ms),
    p95: series.points.map((p) => p.latencyP95Ms),
    p99: series.points.map((p) => p.latencyP99Ms),
  };
  const dashes = { p50: undefined, p95: '6 3', p99: '2 3' };
  const worst = Math.max(0, ...values[percentiles.at(-1) ?? 'p95'].map((v) => v ?? 0));
  return (
    <LineChart
      title={`Latency per ${per(series)}`}
      points={chartPoints(series, drill)}
      series={percentiles.map((name) => ({
        name,
        color: colors[name],
        values: values[name],
        ...(dashes[name] && { dash: dashes[name] }),
      }))}
      format={formatMs}
      summary={`Latency per ${per(series)}, from request to response (${percentiles.join(', ')}): the ${percentiles.at(-1)} was at most ${formatMs(worst)}.`}
      linkHint={hint}
      {...(height && { height })}
    />
  );
}

export function TimeSplitChart({ series, drill, height }: Props) {
  return (
    <LineChart
      title={`Upstream and gateway time per ${per(series)}`}
      points={chartPoints(series, drill)}
      series={[
        {
          name: 'Upstream (average)',
          color: colors.upstream,
          values: series.points.map((p) => p.upstreamAvgMs),
        },
        {
          name: 'Gateway (average)',
          color: colors.gateway,
          values: series.points.map((p) => p.gatewayAvgMs),
          dash: '6 3',
        },
      ]}
      format={formatMs}
      summary={`Upstream and gateway time per ${per(series)}: on average the upstream took at most ${formatMs(Math.max(0, ...series.points.map((p) => p.upstreamAvgMs ?? 0)))} and the gateway at most ${formatMs(Math.max(0, ...series.points.map((p) => p.gatewayAvgMs ?? 0)))} in one ${per(series)}.`}
      linkHint={hint}
      {...(height && { height })}
    />
  );
}
