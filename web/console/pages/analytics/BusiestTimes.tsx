// The busiest hours of the day and days of the week over the range, in the viewer's time zone;
// each bar opens the request log of that hour (or weekday) on every day of the range.
import { SimpleGrid } from '@mantine/core';
import { ColumnChart } from '../../../ui/ColumnChart.tsx';
import { formatNumber } from '../../../ui/format.ts';
import { QueryView } from '../../../ui/states.tsx';
import { hourSpan, utcOffsetName, viewerUtcOffset, weekdayNames } from '../../../ui/time-range.ts';
import { colors } from '../../../ui/traffic.ts';
import type { Busiest } from '../../api.ts';
import { useBusiest } from './queries.ts';
import { Section } from './Section.tsx';
import { type AnalyticsView, requestLogHref } from './view.ts';

const hh = (hour: number) => String(hour % 24).padStart(2, '0');
const hint = 'Show these requests';

function busiestOf<T extends { requests: number }>(items: T[], name: (item: T) => string): string {
  const top = items.reduce<T | undefined>(
    (best, item) => (best && best.requests >= item.requests ? best : item),
    undefined,
  );
  return top && top.requests > 0 ? `busiest ${name(top)} with ${formatNumber(top.requests)}` : 'no requests';
}

export function BusiestTimes({ view }: { view: AnalyticsView }) {
  const offset = viewerUtcOffset();
  const busiest = useBusiest(view.query, offset);
  // The request log of the hour or weekday on every day of the range, read in the same offset.
  const drill = (filter: 'hourOfDay' | 'weekday', value: number) =>
    requestLogHref(view.range, {
      ...view.filters,
      [filter]: String(value),
      utcOffsetMinutes: String(offset),
    });
  return (
    <Section
      id="busiest"
      title="Busiest times"
      description={`Requests in the range added up by hour of the day and by day of the week, in your time zone (${utcOffsetName(offset)}). Select a bar to see its requests in the request log.`}
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
                title: hourSpan(h.hour),
                href: drill('hourOfDay', h.hour),
              }))}
              series={[
                { name: 'Requests', color: colors.requests, values: data.hours.map((h) => h.requests) },
              ]}
              format={formatNumber}
              summary={`Requests by hour of the day: ${busiestOf(data.hours, (h) => `${hh(h.hour)}:00`)}.`}
              linkHint={hint}
              height={200}
            />
            <ColumnChart
              title="Requests by day of the week"
              pointName="Day"
              integer
              points={data.weekdays.map((d) => ({
                label: (weekdayNames[d.weekday - 1] ?? '').slice(0, 3),
                title: weekdayNames[d.weekday - 1] ?? String(d.weekday),
                href: drill('weekday', d.weekday),
              }))}
              series={[
                { name: 'Requests', color: colors.requests, values: data.weekdays.map((d) => d.requests) },
              ]}
              format={formatNumber}
              summary={`Requests by day of the week: ${busiestOf(data.weekdays, (d) => weekdayNames[d.weekday - 1] ?? '')}.`}
              linkHint={hint}
              height={200}
            />
          </SimpleGrid>
        )}
      </QueryView>
    </Section>
  );
}
