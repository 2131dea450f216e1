// The busiest hours of the day and days of the week over the range, in the viewer's time zone.
import { SimpleGrid } from '@mantine/core';
import { ColumnChart } from '../../../ui/ColumnChart.tsx';
import { formatNumber } from '../../../ui/format.ts';
import { QueryView } from '../../../ui/states.tsx';
import { utcOffsetName, viewerUtcOffset } from '../../../ui/time-range.ts';
import { colors } from '../../../ui/traffic.ts';
import type { AnalyticsFilter, Busiest } from '../../api.ts';
import { useBusiest } from './queries.ts';
import { Section } from './Section.tsx';

const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const hh = (hour: number) => String(hour % 24).padStart(2, '0');

function busiestOf<T extends { requests: number }>(items: T[], name: (item: T) => string): string {
  const top = items.reduce<T | undefined>(
    (best, item) => (best && best.requests >= item.requests ? best : item),
    undefined,
  );
  return top && top.requests > 0 ? `busiest ${name(top)} with ${formatNumber(top.requests)}` : 'no requests';
}

export function BusiestTimes({ query }: { query: AnalyticsFilter }) {
  const offset = viewerUtcOffset();
  const busiest = useBusiest(query, offset);
  return (
    <Section
      id="busiest"
      title="Busiest times"
      description={`Requests in the range added up by hour of the day and by day of the week, in your time zone (${utcOffsetName(offset)}).`}
    >
      <QueryView query={busiest} loadingLabel="Loading busiest times…">
        {(data: Busiest) => (
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="xl">
            <ColumnChart
              title="Requests by hour of the day"
              pointName="Hour"
              integer
              points={data.hours.map((h) => ({
                label: hh(h.hour),
                title: `${hh(h.hour)}:00–${hh(h.hour + 1)}:00`,
              }))}
              series={[
                { name: 'Requests', color: colors.requests, values: data.hours.map((h) => h.requests) },
              ]}
              format={formatNumber}
              summary={`Requests by hour of the day: ${busiestOf(data.hours, (h) => `${hh(h.hour)}:00`)}.`}
              height={200}
            />
            <ColumnChart
              title="Requests by day of the week"
              pointName="Day"
              integer
              points={data.weekdays.map((d) => ({
                label: (weekdayNames[d.weekday - 1] ?? '').slice(0, 3),
                title: weekdayNames[d.weekday - 1] ?? String(d.weekday),
              }))}
              series={[
                { name: 'Requests', color: colors.requests, values: data.weekdays.map((d) => d.requests) },
              ]}
              format={formatNumber}
              summary={`Requests by day of the week: ${busiestOf(data.weekdays, (d) => weekdayNames[d.weekday - 1] ?? '')}.`}
              height={200}
            />
          </SimpleGrid>
        )}
      </QueryView>
    </Section>
  );
}
