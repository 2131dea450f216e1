// How numbers, times and plan limits read on the pages.

const numberFormat = new Intl.NumberFormat('en');

export const formatNumber = (value: number) => numberFormat.format(value);

const dateTimeFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export interface Limit {
  metric: string;
  period: string;
  max: number;
  per?: string;
}

/** `100 hits per month`, `10 search calls per day per end user`, `unlimited forever`. */
export function formatLimit(limit: Limit): string {
  const period = limit.period === 'eternity' ? 'in total' : `per ${limit.period}`;
  const per = limit.per === 'end-user' ? ' per end user' : '';
  const what = limit.metric === 'hits' ? 'calls' : `${limit.metric} calls`;
  return `${formatNumber(limit.max)} ${what} ${period}${per}`;
}
