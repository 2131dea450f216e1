// Values over time as lines, or as areas stacked on one another (requests by status class):
// hover or focus a point for its numbers, follow its link for the drill-down (Chart.tsx).
import { Chart, type ChartProps } from './Chart.tsx';

export type { ChartPoint, ChartSeries } from './Chart.tsx';

export function LineChart({ stacked = false, ...props }: ChartProps & { stacked?: boolean }) {
  return <Chart kind={stacked ? 'area' : 'line'} {...props} />;
}
