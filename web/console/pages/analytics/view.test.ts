import { describe, expect, it } from 'vitest';
import { dashboardHref, filtersFromParams, logFilterNames, requestLogHref } from './view.ts';

const range = { from: new Date('2026-05-04T10:00:00Z'), to: new Date('2026-05-04T11:00:00Z') };

describe('analytics views in the URL', () => {
  it('reads the filters it knows, and only those', () => {
    expect(
      filtersFromParams(new URLSearchParams('apiId=api_1&status=404&range=24h&other=x&planId=')),
    ).toEqual({
      apiId: 'api_1',
      status: '404',
    });
  });

  it('drills down to the request log of an exact range', () => {
    const href = requestLogHref(range, { applicationId: 'app_1', statusClass: '4xx' });
    const url = new URL(href, 'http://console.test');
    expect(url.pathname).toBe('/analytics/requests');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      range: 'custom',
      from: '2026-05-04T10:00:00.000Z',
      to: '2026-05-04T11:00:00.000Z',
      applicationId: 'app_1',
      statusClass: '4xx',
    });
  });

  it('drills down to an hour of the day, and drops it on the way back to the dashboard', () => {
    const filters = { apiId: 'api_1', hourOfDay: '14', utcOffsetMinutes: '120' };
    const url = new URL(requestLogHref(range, filters), 'http://console.test');
    expect(url.searchParams.get('hourOfDay')).toBe('14');
    expect(url.searchParams.get('utcOffsetMinutes')).toBe('120');
    expect(filtersFromParams(url.searchParams)).toEqual({ apiId: 'api_1' });
    expect(filtersFromParams(url.searchParams, logFilterNames)).toEqual(filters);
    expect(dashboardHref({ key: '7d', ...range }, filters)).toBe('/analytics?range=7d&apiId=api_1');
  });

  it('goes back to the dashboard with a preset kept as a preset', () => {
    expect(dashboardHref({ key: '7d', ...range }, { apiId: 'api_1' })).toBe(
      '/analytics?range=7d&apiId=api_1',
    );
  });
});
