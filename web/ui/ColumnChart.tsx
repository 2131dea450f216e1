// Values per category as columns (busiest hours, weekdays), stacked when there are several
// series; hover or focus a column for its numbers, follow its link when it has one (Chart.tsx).
import { Chart, type ChartProps } from './Chart.tsx';

export function ColumnChart(props: ChartProps) {
  return <Chart kind="bar" {...props} />;
}
