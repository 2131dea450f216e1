// The analytics reads of the console, as TanStack queries under ['admin', 'analytics', …], so
// that Refresh reads them all again. A new range keeps the old numbers up until the new ones come.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import {
  api,
  type Busiest,
  type TopDimension,
  type TopList,
  type TrafficSeries,
  type TrafficSummary,
} from '../../api.ts';

type Query = Record<string, string | number | undefined>;

function useAnalytics<T>(what: string, query: Query) {
  return useQuery({
    queryKey: ['admin', 'analytics', what, query],
    queryFn: () => api.get<T>(`/analytics/${what}`, query),
    placeholderData: keepPreviousData,
  });
}

export const useTraffic = (query: Query) => useAnalytics<TrafficSeries>('traffic', query);
export const useSummary = (query: Query) => useAnalytics<TrafficSummary>('summary', query);
export const useTop = (query: Query, by: TopDimension, limit = 10) =>
  useAnalytics<TopList>('top', { ...query, by, limit });
export const useBusiest = (query: Query, utcOffsetMinutes: number) =>
  useAnalytics<Busiest>('busiest', { ...query, utcOffsetMinutes });
