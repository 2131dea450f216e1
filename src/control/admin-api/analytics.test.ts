// Analytics on both stores, through the admin API: rollups a gateway's collector produced are
// stored once per batch and read back as series, totals, percentiles, top lists, busiest times
// and CSV; the request log pages newest first; bad ranges are refused; retention prunes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin, testAdminToken } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { AnalyticsCollector } from '../../gateway/analytics/collector.ts';
import { requestRecord } from '../../gateway/testing/fixtures.ts';
import type { RequestLogEntry } from '../../policies/request-log-entry.ts';
import { pruneAnalytics } from '../services/analytics-ingest.ts';
import { recordUsageBatch } from '../services/usage.ts';

// Yesterday, 10:15 UTC: recent enough that storing prunes none of it.
const hourMs = 3_600_000;
const day = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;
const minute = day + 10 * hourMs + 15 * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
/** ISO weekday of that day, 1 Monday … 7 Sunday. */
const weekday = ((new Date(day).getUTCDay() + 6) % 7) + 1;
const api = { id: 'api_weather', name: 'weather' };
const route = { id: 'rte_forecast', name: 'forecast', metric: 'forecast' };
const consumer = (applicationId: string) => ({ applicationId, accountId: 'acc_acme', planId: 'pln_gold' });

/** 100 calls in one minute: 50 × 10 ms and 40 × 100 ms answered 200, 5 × 30 ms 404, 5 × 1 s 502. */
function knownTraffic(at: number): AnalyticsCollector {
  const collector = new AnalyticsCollector(() => at + 5_000);
  const call = (status: number, durationMs: number, applicationId: string, upstreamMs?: number) =>
    collector.count(
      requestRecord({
        status,
        durationMs,
        upstreamMs,
        api,
        route,
        consumer: consumer(applicationId),
        bytesSent: 100,
        bytesReceived: 10,
      }),
    );
  for (let i = 0; i < 50; i++) call(200, 10, 'app_one', 8);
  for (let i = 0; i < 40; i++) call(200, 100, 'app_two', 95);
  for (let i = 0; i < 5; i++) call(404, 30, 'app_two');
  for (let i = 0; i < 5; i++) call(502, 1000, 'app_one', 999);
  return collector;
}

function logEntry(time: string, status: number, requestId: string): RequestLogEntry {
  return {
    time,
    requestId,
    method: 'GET',
    host: 'api.example.com',
    path: '/weather/v1/forecast',
    query: 'city=Oslo',
    status,
    durationMs: 12.5,
    upstreamMs: 10,
    bytesIn: 0,
    bytesOut: 120,
    clientIp: '203.0.113.7',
    apiId: api.id,
    routeId: route.id,
    metric: 'forecast',
    applicationId: 'app_one',
    accountId: 'acc_acme',
    planId: 'pln_gold',
    subscriptionId: 'sub_one',
    endUser: null,
    requestHeaders: { 'x-api-key': '[redacted]', accept: 'application/json' },
    responseHeaders: { 'content-type': 'application/json' },
    requestBody: null,
    responseBody: '{"temperature":',
    retentionDays: 7,
  };
}

describe.each(storeKinds)('analytics on %s', (kind) => {
  let h: AdminHarness;
  beforeAll(async () => {
    h = await startAdmin(kind);
    const payload = knownTraffic(minute).take();
    const batch = { id: randomUUID(), entries: [], analytics: payload };
    expect(await recordUsageBatch(h.store.db, batch)).toEqual({ stored: true });
    // The same batch again (a retry after a lost answer) adds nothing.
    expect(await recordUsageBatch(h.store.db, batch)).toEqual({ stored: false });
    // The next minute: 10 more calls of app_one.
    const later = new AnalyticsCollector(() => minute + 65_000);
    for (let i = 0; i < 10; i++)
      later.count(requestRecord({ status: 200, durationMs: 20, api, route, consumer: consumer('app_one') }));
    for (const [i, status] of [200, 500, 200].entries())
      later.add(logEntry(new Date(minute + 61_000 + i * 1000).toISOString(), status, `r${i}`));
    await recordUsageBatch(h.store.db, { id: randomUUID(), entries: [], analytics: later.take() });
  });
  afterAll(() => h.close());

  const range = `from=${iso(day + 10 * hourMs)}&to=${iso(day + 11 * hourMs)}`;

  it('reads the traffic per minute: counts, errors, percentiles, upstream and gateway time', async () => {
    const { status, body } = await h.call('GET', `/admin/v1/analytics/traffic?${range}&interval=minute`);
    expect(status).toBe(200);
    expect(body.points).toHaveLength(60);
    const busy = body.points.find((p: { start: string }) => p.start === iso(minute));
    expect(busy).toMatchObject({ requests: 100, clientErrors: 5, serverErrors: 5, errorRate: 0.1 });
    expect(busy.latencyP50Ms).toBe(10);
    expect(busy.latencyP95Ms).toBe(100);
    expect(busy.latencyP99Ms).toBe(950);
    expect(busy.latencyAvgMs).toBeCloseTo((50 * 10 + 40 * 100 + 5 * 30 + 5 * 1000) / 100, 3);
    expect(busy.upstreamAvgMs).toBeCloseTo((50 * 8 + 40 * 95 + 5 * 999) / 95, 3);
    expect(busy).toMatchObject({ bytesIn: 1000, bytesOut: 10_000 });
    expect(body.points[16]).toMatchObject({ start: iso(minute + 60_000), requests: 10 });
    expect(body.points[0]).toMatchObject({ requests: 0, latencyP50Ms: null });
  });

  it('adds minutes into hours and days when storing', async () => {
    const hours = await h.call('GET', `/admin/v1/analytics/traffic?${range}&interval=hour`);
    expect(hours.body.points).toEqual([expect.objectContaining({ requests: 110, serverErrors: 5 })]);
    const days = await h.call(
      'GET',
      `/admin/v1/analytics/traffic?from=${iso(day - 86_400_000)}&to=${iso(day + 2 * 86_400_000)}&interval=day`,
    );
    expect(days.body.points.map((p: { requests: number }) => p.requests)).toEqual([0, 110, 0]);
    expect(days.body.points[1].latencyP95Ms).toBeCloseTo(75 + (25 * 39.5) / 40, 2); // 110 calls now
  });

  it('filters by application and status class, and sums the range', async () => {
    const two = await h.call('GET', `/admin/v1/analytics/summary?${range}&applicationId=app_two`);
    expect(two.body).toMatchObject({ requests: 45, clientErrors: 5, serverErrors: 0 });
    const errors = await h.call('GET', `/admin/v1/analytics/summary?${range}&statusClass=5xx`);
    expect(errors.body).toMatchObject({ requests: 5, serverErrors: 5, errorRate: 1 });
  });

  it('ranks applications and breaks down status codes', async () => {
    const apps = await h.call('GET', `/admin/v1/analytics/top?${range}&by=application`);
    expect(apps.body.items.map((i: { id: string; requests: number }) => [i.id, i.requests])).toEqual([
      ['app_one', 65],
      ['app_two', 45],
    ]);
    expect(apps.body.items[0].name).toBeNull(); // no such application in this store
    const statuses = await h.call('GET', `/admin/v1/analytics/top?${range}&by=status`);
    expect(statuses.body.items.map((i: { name: string; requests: number }) => [i.name, i.requests])).toEqual([
      ['200 OK', 100],
      ['404 Not Found', 5],
      ['502 Bad Gateway', 5],
    ]);
  });

  it('finds the busiest hour and weekday in the viewer’s time zone', async () => {
    const utc = await h.call('GET', `/admin/v1/analytics/busiest?${range}`);
    expect(utc.body.hours[10].requests).toBe(110);
    expect(utc.body.weekdays[weekday - 1]).toEqual({ weekday, requests: 110 });
    const tokyo = await h.call('GET', `/admin/v1/analytics/busiest?${range}&utcOffsetMinutes=540`);
    expect(tokyo.body.hours[19].requests).toBe(110);
  });

  it('narrows the request log to an hour of the day and a weekday, in the viewer’s time zone', async () => {
    const ids = async (query: string) => {
      const { status, body } = await h.call('GET', `/admin/v1/analytics/requests?${range}&${query}`);
      expect(status).toBe(200);
      return body.items.map((i: { requestId: string }) => i.requestId);
    };
    // The entries were logged at 10:16 UTC: 19:16 in Tokyo (+9 h).
    expect(await ids('hourOfDay=10')).toEqual(['r2', 'r1', 'r0']);
    expect(await ids('hourOfDay=11')).toEqual([]);
    expect(await ids('hourOfDay=19&utcOffsetMinutes=540')).toEqual(['r2', 'r1', 'r0']);
    expect(await ids('hourOfDay=10&utcOffsetMinutes=540')).toEqual([]);
    expect(await ids(`weekday=${weekday}`)).toEqual(['r2', 'r1', 'r0']);
    expect(await ids(`weekday=${(weekday % 7) + 1}`)).toEqual([]);
    // −11 h takes 10:16 back to 23:16 the day before.
    const before = ((weekday + 5) % 7) + 1;
    expect(await ids(`weekday=${before}&utcOffsetMinutes=-660`)).toEqual(['r2', 'r1', 'r0']);
    expect(await ids(`weekday=${weekday}&utcOffsetMinutes=-660`)).toEqual([]);
    expect(await ids(`weekday=${before}&hourOfDay=23&utcOffsetMinutes=-660&statusClass=5xx`)).toEqual(['r1']);
    const out = await h.call('GET', '/admin/v1/analytics/requests?hourOfDay=24');
    expect(out).toMatchObject({ status: 400, body: { code: 'validation-failed' } });
  });

  it('exports CSV', async () => {
    const response = await h.app.inject({
      method: 'GET',
      url: `/admin/v1/analytics/top?${range}&by=application&format=csv`,
      headers: { authorization: `Bearer ${testAdminToken}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/csv/);
    const lines = response.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,name,requests,clientErrors,serverErrors,errorRate,latencyAvgMs,latencyP95Ms');
    expect(lines[1]).toMatch(/^app_one,,65,0,5,/);
  });

  it('pages the request log newest first, filtered by status', async () => {
    const first = await h.call('GET', `/admin/v1/analytics/requests?${range}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(['r2', 'r1']);
    expect(first.body.items[0].requestHeaders).toEqual({
      'x-api-key': '[redacted]',
      accept: 'application/json',
    });
    const second = await h.call(
      'GET',
      `/admin/v1/analytics/requests?${range}&limit=2&cursor=${first.body.next}`,
    );
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ requestId: 'r0' })], next: null });
    const failed = await h.call('GET', `/admin/v1/analytics/requests?${range}&statusClass=5xx`);
    expect(failed.body.items.map((i: { requestId: string }) => i.requestId)).toEqual(['r1']);
    const one = await h.call('GET', `/admin/v1/analytics/requests/${failed.body.items[0].id}`);
    expect(one.body).toMatchObject({ status: 500, responseBody: '{"temperature":' });
    expect(one.body.expiresAt).toBe(iso(minute + 62_000 + 7 * 86_400_000));
  });

  it('refuses an empty range, too many points and a made-up cursor, as problem+json', async () => {
    const backwards = await h.call(
      'GET',
      '/admin/v1/analytics/traffic?from=2026-03-02T11:00:00Z&to=2026-03-02T10:00:00Z',
    );
    expect(backwards).toMatchObject({ status: 400, body: { code: 'validation-failed' } });
    const tooMany = await h.call(
      'GET',
      '/admin/v1/analytics/traffic?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z&interval=minute',
    );
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.detail).toMatch(/at most 2000 points/);
    const cursor = await h.call('GET', '/admin/v1/analytics/requests?cursor=nonsense');
    expect(cursor.status).toBe(400);
    const bad = await h.call('GET', '/admin/v1/analytics/top?by=weather');
    expect(bad.status).toBe(400);
  });

  it('never lets analytics cost a batch its usage: malformed or refused analytics are dropped', async () => {
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const usage = [{ subscriptionId: 'sub_kept', metric: 'hits', hour, units: 3 }];
    const malformed = { rollups: [{ minute: 'yesterday' }], requests: [] };
    expect(
      await recordUsageBatch(h.store.db, { id: randomUUID(), entries: usage, analytics: malformed } as never),
    ).toEqual({ stored: true });
    const units = await h.call('GET', '/admin/v1/usage?subscriptionId=sub_kept&granularity=hour');
    expect(units.body.data).toEqual([expect.objectContaining({ units: 3 })]);
    // Over HTTP too: a node's batch is not refused for its analytics.
    const viaNode = await h.call('POST', '/admin/v1/sync/usage', {
      id: randomUUID(),
      entries: usage,
      analytics: malformed,
    });
    expect(viaNode).toMatchObject({ status: 200, body: { stored: true } });
  });

  it('stores thousands of request-log entries in one batch, and NUL characters as U+FFFD', async () => {
    const at = iso(minute + 30 * 60_000);
    const many = Array.from({ length: 2600 }, (_, i) => logEntry(at, 200, `bulk-${i}`));
    many[0] = { ...many[0], responseBody: 'binary\u0000data', endUser: 'a\u0000b' } as RequestLogEntry;
    expect(
      await recordUsageBatch(h.store.db, {
        id: randomUUID(),
        entries: [],
        analytics: { rollups: [], requests: many },
      }),
    ).toEqual({ stored: true });
    const page = await h.call('GET', `/admin/v1/analytics/requests?from=${at}&limit=1000`);
    expect(page.body.items).toHaveLength(1000);
    const first = await h.call('GET', `/admin/v1/analytics/requests?from=${at}&limit=1&statusClass=2xx`);
    expect(first.status).toBe(200);
    const all = await h.call(
      'GET',
      `/admin/v1/analytics/requests?from=${at}&limit=1000&cursor=${page.body.next}`,
    );
    const rest = await h.call(
      'GET',
      `/admin/v1/analytics/requests?from=${at}&limit=1000&cursor=${all.body.next}`,
    );
    expect(page.body.items.length + all.body.items.length + rest.body.items.length).toBe(2600);
    const nul = [...page.body.items, ...all.body.items, ...rest.body.items].find(
      (i: { requestId: string }) => i.requestId === 'bulk-0',
    );
    expect(nul).toMatchObject({ responseBody: 'binary\uFFFDdata', endUser: 'a\uFFFDb' });
  });

  it('prunes minutes after 3 days and request-log entries when they expire', async () => {
    const pruned = await pruneAnalytics(h.store.db, new Date(day + 8 * 86_400_000));
    expect(pruned).toBeGreaterThan(0);
    const minutes = await h.call('GET', `/admin/v1/analytics/summary?${range}`);
    expect(minutes.body.requests).toBe(0); // a 1-hour range reads minutes: gone
    const hours = await h.call('GET', `/admin/v1/analytics/traffic?${range}&interval=hour`);
    expect(hours.body.points[0].requests).toBe(110); // hours stay 90 days
    const log = await h.call('GET', `/admin/v1/analytics/requests?${range}`);
    expect(log.body.items).toEqual([]);
  });
});
