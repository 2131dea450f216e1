// Time ranges of the analytics pages: the presets (last hour … last 30 days) and a custom
// from/to, kept in the URL's search params (`range`, `from`, `to`) so a view can be shared and
// survives a reload; and how a bucket of a series reads (`14:05`, `Jan 3, 14:00`, `Jan 3`).

export type Interval = 'minute' | 'hour' | 'day';

export const presets = [
  { key: '1h', label: '1 h', description: 'Last hour', ms: 3_600_000 },
  { key: '6h', label: '6 h', description: 'Last 6 hours', ms: 6 * 3_600_000 },
  { key: '24h', label: '24 h', description: 'Last 24 hours', ms: 24 * 3_600_000 },
  { key: '7d', label: '7 d', description: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: '30 d', description: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type PresetKey = (typeof presets)[number]['key'];
export type RangeKey = PresetKey | 'custom';

export interface TimeRange {
  key: RangeKey;
  from: Date;
  to: Date;
}

export const intervalMs: Record<Interval, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

const minuteMs = 60_000;

/** `now`, rounded up to the next whole minute: the newest minute counts, and keys stay stable. */
export const endOfMinute = (now: number) => Math.ceil(now / minuteMs) * minuteMs;

const validDate = (text: string | null): Date | undefined => {
  if (!text) return undefined;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
};

/**
 * The range the search params ask for; a preset counts back from `now`. Anything unreadable
 * falls back to `fallback` (a preset among `allowed`).
 */
export function rangeFromParams(
  params: URLSearchParams,
  now: number,
  options: { fallback?: PresetKey; allowed?: readonly PresetKey[] } = {},
): TimeRange {
  const fallback = options.fallback ?? '24h';
  const allowed = options.allowed ?? presets.map((p) => p.key);
  const key = params.get('range');
  const from = validDate(params.get('from'));
  const to = validDate(params.get('to'));
  if ((key === 'custom' || key === null) && from && to && from < to) return { key: 'custom', from, to };
  const preset =
    presets.find((p) => p.key === key && allowed.includes(p.key)) ??
    presets.find((p) => p.key === fallback) ??
    presets[2];
  const end = endOfMinute(now);
  return { key: preset.key, from: new Date(end - preset.ms), to: new Date(end) };
}

/** The search params for `range`, the other params left as they are. */
export function rangeToParams(params: URLSearchParams, range: { key: RangeKey; from?: Date; to?: Date }) {
  const next = new URLSearchParams(params);
  next.set('range', range.key);
  if (range.key === 'custom' && range.from && range.to) {
    next.set('from', range.from.toISOString());
    next.set('to', range.to.toISOString());
  } else {
    next.delete('from');
    next.delete('to');
  }
  return next;
}

/** The grain the API picks for a range: minutes up to 6 hours, hours up to 7 days, else days. */
export function autoInterval(from: Date, to: Date): Interval {
  const span = to.getTime() - from.getTime();
  return span <= 6 * 3_600_000 ? 'minute' : span <= 7 * 86_400_000 ? 'hour' : 'day';
}

const time = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
const dayTime = new Intl.DateTimeFormat('en', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
// Day buckets are UTC days: named in UTC, or a viewer west of Greenwich would see yesterday.
const utcDay = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const localDay = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });

/** Short, for an axis: `14:05` within a day, `Jan 3, 14:00` across days, `Jan 3` per day. */
export function bucketLabel(start: Date, interval: Interval, spansDays: boolean): string {
  if (interval === 'day') return utcDay.format(start);
  return spansDays ? dayTime.format(start) : time.format(start);
}

/** In full, for a tooltip or a table: `Jan 3, 14:05–14:06`, `Jan 3 (UTC)`. */
export function bucketTitle(start: Date, interval: Interval): string {
  if (interval === 'day') return `${utcDay.format(start)} (UTC day)`;
  const end = new Date(start.getTime() + intervalMs[interval]);
  return `${dayTime.format(start)}–${time.format(end)}`;
}

/** `Jan 3, 14:00 – Jan 4, 14:00`: the range in words. */
export function rangeTitle(range: { from: Date; to: Date }): string {
  const sameDay = localDay.format(range.from) === localDay.format(range.to);
  return sameDay
    ? `${dayTime.format(range.from)} – ${time.format(range.to)}`
    : `${dayTime.format(range.from)} – ${dayTime.format(range.to)}`;
}

/** `Last 24 hours`, or the dates of a custom range. */
export function rangeName(range: TimeRange): string {
  return presets.find((p) => p.key === range.key)?.description ?? rangeTitle(range);
}

/** `Last 24 hours (Nov 21, 03:49 – Nov 22, 03:49)`, or only the dates of a custom range. */
export function rangeWords(range: TimeRange): string {
  const name = rangeName(range);
  const dates = rangeTitle(range);
  return name === dates ? dates : `${name} (${dates})`;
}

/** `UTC+02:00`: the viewer's offset, as the busiest-times charts name it. */
export function utcOffsetName(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '−' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `UTC${sign}${hh}:${mm}`;
}

/** The viewer's offset from UTC in minutes, east positive (60 in CET), as the API takes it. */
export const viewerUtcOffset = () => -new Date().getTimezoneOffset();

/** ISO weekdays by number less one: 1 Monday … 7 Sunday, as the API counts them. */
export const weekdayNames = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** `14:00–15:00`: an hour of the day, as the busiest-hours chart and its drill-down name it. */
export function hourSpan(hour: number): string {
  const hh = (h: number) => String(h % 24).padStart(2, '0');
  return `${hh(hour)}:00–${hh(hour + 1)}:00`;
}

/** `2026-05-01T14:00` in local time, for `<input type="datetime-local">`. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
