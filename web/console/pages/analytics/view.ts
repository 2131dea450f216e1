// What an analytics page shows, read from its URL: the time range and the filters, as the admin
// API's query parameters; and the links of the drill-down into the request log.
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { RangeChoice } from '../../../ui/TimeRangePicker.tsx';
import { type RangeKey, rangeFromParams, rangeToParams, type TimeRange } from '../../../ui/time-range.ts';
import type { AnalyticsFilter } from '../../../ui/traffic.ts';

/** The filters a page keeps in its URL, by their query parameter. */
export const filterNames = [
  'apiId',
  'routeId',
  'applicationId',
  'accountId',
  'planId',
  'status',
  'statusClass',
] as const;
/**
 * Filters of the request log alone, which the busiest hours and weekdays drill down with: an hour
 * of the day, a day of the week, and the offset from UTC both are read in. The dashboard's
 * numbers are not narrowed so, and going back to it drops them.
 */
export const timeOfWeekNames = ['hourOfDay', 'weekday', 'utcOffsetMinutes'] as const;
export const logFilterNames = [...filterNames, ...timeOfWeekNames] as const;
export type FilterName = (typeof logFilterNames)[number];
export type Filters = Partial<Record<FilterName, string>>;

export function filtersFromParams(
  params: URLSearchParams,
  names: readonly FilterName[] = filterNames,
): Filters {
  const filters: Filters = {};
  for (const name of names) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

/** The request log of an exact range and some filters: where every drill-down leads. */
export function requestLogHref(range: { from: Date; to: Date }, filters: Filters): string {
  const params = new URLSearchParams({
    range: 'custom',
    from: range.from.toISOString(),
    to: range.to.toISOString(),
  });
  for (const name of logFilterNames) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return `/analytics/requests?${params}`;
}

/** The dashboard with the same range and filters (from the request log, back). */
export function dashboardHref(range: { key: RangeKey; from: Date; to: Date }, filters: Filters): string {
  const params = rangeToParams(new URLSearchParams(), range);
  for (const name of filterNames) {
    const value = filters[name];
    if (value) params.set(name, value);
  }
  return `/analytics?${params}`;
}

export interface AnalyticsView {
  range: TimeRange;
  filters: Filters;
  /** `from`, `to` and the filters, as the API takes them. */
  query: AnalyticsFilter & Filters;
  setRange(choice: RangeChoice): void;
  setFilter(name: FilterName, value: string | null): void;
  /** Reads everything again, a preset range counted back from now. */
  refresh(): void;
}

/** The page's range and filters; the request log reads the `logFilterNames`, the dashboard fewer. */
export function useAnalyticsView(names: readonly FilterName[] = filterNames): AnalyticsView {
  const [params, setParams] = useSearchParams();
  const client = useQueryClient();
  // A preset counts back from the moment the page opened or was refreshed, not from each render.
  const [now, setNow] = useState(() => Date.now());
  const range = useMemo(() => rangeFromParams(params, now), [params, now]);
  const filters = useMemo(() => filtersFromParams(params, names), [params, names]);
  const query = useMemo(
    () => ({ from: range.from.toISOString(), to: range.to.toISOString(), ...filters }),
    [range, filters],
  );
  const setRange = useCallback(
    (choice: RangeChoice) => {
      setNow(Date.now());
      setParams((current) => rangeToParams(current, choice));
    },
    [setParams],
  );
  const setFilter = useCallback(
    (name: FilterName, value: string | null) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        // A status code and a status class together would say the same twice, or nothing.
        if (name === 'status' && value) next.delete('statusClass');
        if (name === 'statusClass' && value) next.delete('status');
        // The offset means nothing once neither the hour nor the weekday is left.
        if (!next.has('hourOfDay') && !next.has('weekday')) next.delete('utcOffsetMinutes');
        return next;
      }),
    [setParams],
  );
  const refresh = useCallback(() => {
    setNow(Date.now());
    void client.invalidateQueries({ queryKey: ['admin', 'analytics'] });
  }, [client]);
  return { range, filters, query, setRange, setFilter, refresh };
}
