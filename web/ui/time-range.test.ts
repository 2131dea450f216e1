import { describe, expect, it } from 'vitest';
import { autoInterval, endOfMinute, rangeFromParams, rangeToParams, utcOffsetName } from './time-range.ts';

const now = Date.parse('2026-05-04T10:15:30Z');

describe('time ranges in the URL', () => {
  it('counts a preset back from the end of the current minute', () => {
    const range = rangeFromParams(new URLSearchParams('range=6h'), now);
    expect(range).toEqual({
      key: '6h',
      from: new Date('2026-05-04T04:16:00Z'),
      to: new Date('2026-05-04T10:16:00Z'),
    });
    expect(endOfMinute(Date.parse('2026-05-04T10:15:00Z'))).toBe(Date.parse('2026-05-04T10:15:00Z'));
  });

  it('reads a custom range, and falls back to the default when it makes no sense', () => {
    const custom = new URLSearchParams('range=custom&from=2026-05-01T00:00:00Z&to=2026-05-02T00:00:00Z');
    expect(rangeFromParams(custom, now)).toMatchObject({
      key: 'custom',
      from: new Date('2026-05-01T00:00:00Z'),
    });
    const backwards = new URLSearchParams('range=custom&from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z');
    expect(rangeFromParams(backwards, now).key).toBe('24h');
    expect(rangeFromParams(new URLSearchParams('range=1y'), now, { fallback: '7d' }).key).toBe('7d');
    expect(rangeFromParams(new URLSearchParams('range=1h'), now, { allowed: ['24h', '7d'] }).key).toBe('24h');
  });

  it('writes a range into the params, keeping the filters', () => {
    const params = rangeToParams(new URLSearchParams('apiId=api_1&from=x&to=y'), { key: '7d' });
    expect(params.toString()).toBe('apiId=api_1&range=7d');
    const custom = rangeToParams(params, {
      key: 'custom',
      from: new Date('2026-05-01T00:00:00Z'),
      to: new Date('2026-05-02T00:00:00Z'),
    });
    expect(custom.get('from')).toBe('2026-05-01T00:00:00.000Z');
  });

  it('picks the grain the API picks', () => {
    const at = (hours: number) => autoInterval(new Date(0), new Date(hours * 3_600_000));
    expect([at(1), at(6), at(24), at(168), at(720)]).toEqual(['minute', 'minute', 'hour', 'hour', 'day']);
  });

  it('names offsets from UTC', () => {
    expect([utcOffsetName(120), utcOffsetName(-330), utcOffsetName(0)]).toEqual([
      'UTC+02:00',
      'UTC−05:30',
      'UTC+00:00',
    ]);
  });
});
