// The collector adds requests into per-minute cells by API, route, consumer and status, hands
// them over once, caps waiting request-log entries, and travels in usage batches.
import { describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../policies/request-log-entry.ts';
import { latencyBucket, latencyPercentile } from '../../shared/latency-buckets.ts';
import { UsageOutbox } from '../metering/outbox.ts';
import { type UsageBatch, withAnalytics } from '../metering/usage-meter.ts';
import { requestRecord } from '../testing/fixtures.ts';
import { AnalyticsCollector, maxPendingRequestChars, maxPendingRequests } from './collector.ts';

const api = { id: 'api_a', name: 'a' };
const route = { id: 'rte_a', name: 'r', metric: 'hits' };
const consumer = { applicationId: 'app_a', accountId: 'acc_a', planId: 'pln_a' };
/** A request-log entry with what the collector's size estimate reads. */
const logged = (fields: Partial<RequestLogEntry> = {}) =>
  ({
    requestId: 'r',
    path: '/',
    query: '',
    host: 'h',
    endUser: null,
    requestBody: null,
    responseBody: null,
    requestHeaders: {},
    responseHeaders: {},
    ...fields,
  }) as RequestLogEntry;

describe('analytics collector', () => {
  it('keeps requests of different applications, plans and statuses apart when they alternate', () => {
    const collector = new AnalyticsCollector(() => Date.parse('2026-11-22T10:00:30Z'));
    const other = { applicationId: 'app_b', accountId: 'acc_b', planId: 'pln_b' };
    const otherPlan = { ...consumer, planId: 'pln_c' };
    for (let i = 0; i < 3; i++) {
      collector.count(requestRecord({ api, route, consumer }));
      collector.count(requestRecord({ api, route, consumer: other }));
      collector.count(requestRecord({ api, route, consumer: otherPlan }));
      collector.count(requestRecord({ api, route, consumer, status: 500 }));
      collector.count(requestRecord({ status: 404 }));
    }
    const { rollups } = collector.take() ?? { rollups: [] };
    const counts = rollups.map((r) => `${r.applicationId} ${r.planId} ${r.status} ${r.requests}`);
    expect(counts.sort()).toEqual([
      'app_a pln_a 200 3',
      'app_a pln_a 500 3',
      'app_a pln_c 200 3',
      'app_b pln_b 200 3',
      'null null 404 3',
    ]);
  });

  it('adds requests of one minute and status into one cell, and starts a new cell each minute', () => {
    let now = Date.parse('2026-11-22T10:00:30Z');
    const collector = new AnalyticsCollector(() => now);
    for (const durationMs of [1, 3, 12])
      collector.count(
        requestRecord({ api, route, consumer, durationMs, upstreamMs: durationMs / 2, bytesSent: 10 }),
      );
    collector.count(requestRecord({ api, route, consumer, status: 401, durationMs: 0.2 }));
    now += 60_000;
    collector.count(requestRecord({ status: 404 }));
    const { rollups } = collector.take() ?? { rollups: [] };
    expect(rollups).toEqual([
      expect.objectContaining({
        minute: '2026-11-22T10:00:00.000Z',
        apiId: 'api_a',
        applicationId: 'app_a',
        status: 200,
        requests: 3,
        latencyMsSum: 16,
        upstreamMsSum: 8,
        upstreamRequests: 3,
        bytesOut: 30,
      }),
      expect.objectContaining({
        minute: '2026-11-22T10:00:00.000Z',
        status: 401,
        requests: 1,
        upstreamRequests: 0,
      }),
      expect.objectContaining({
        minute: '2026-11-22T10:01:00.000Z',
        apiId: null,
        applicationId: null,
        status: 404,
      }),
    ]);
    const first = rollups[0]?.latency ?? [];
    expect(first[latencyBucket(1)]).toBe(1);
    expect(first[latencyBucket(12)]).toBe(1);
    expect(first.at(-1)).toBeGreaterThan(0); // trailing zeros trimmed
    expect(collector.take()).toBeUndefined();
  });

  it('keeps at most 10,000 log entries or 4 Mi characters between batches and counts the rest', () => {
    const collector = new AnalyticsCollector();
    for (let i = 0; i < maxPendingRequests + 5; i++) collector.add(logged());
    const kept = collector.take()?.requests.length ?? 0;
    expect(kept).toBeGreaterThan(8000);
    expect(kept).toBeLessThanOrEqual(maxPendingRequests);
    expect(kept + collector.dropped).toBe(maxPendingRequests + 5);
    // Large bodies fill the batch first: it stays far below what the control plane takes.
    const body = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 10; i++) collector.add(logged({ requestBody: body, responseBody: body }));
    expect(collector.take()?.requests.length).toBe(
      Math.floor(maxPendingRequestChars / (2 * body.length + 512 + 2)),
    );
  });

  it('rides in the usage batch, and merged batches keep rollups but drop log samples', async () => {
    const collector = new AnalyticsCollector(() => 0);
    collector.count(requestRecord());
    collector.add(logged());
    const batch = withAnalytics(undefined, collector.take());
    expect(batch).toMatchObject({
      entries: [],
      analytics: { rollups: [{ requests: 1 }], requests: [{ requestId: 'r' }] },
    });
    expect(withAnalytics(undefined, undefined)).toBeUndefined();

    const delivered: UsageBatch[] = [];
    let up = false;
    const outbox = new UsageOutbox(
      async (b) => {
        if (!up) throw new Error('control plane away');
        delivered.push(b);
      },
      { retryMs: 60_000 },
    );
    for (let i = 0; i < 3605; i++) outbox.add({ ...(batch as UsageBatch), id: `b${i}` });
    up = true;
    await outbox.flush(); // the attempt that was in flight, refused
    await outbox.flush();
    const requests = delivered
      .flatMap((b) => b.analytics?.rollups ?? [])
      .reduce((sum, r) => sum + r.requests, 0);
    const samples = delivered.reduce((sum, b) => sum + (b.analytics?.requests.length ?? 0), 0);
    expect(requests).toBe(3605); // every request counted, in fewer rows (merged cells add up)
    expect(delivered.length).toBeLessThanOrEqual(3600);
    expect(samples).toBeLessThanOrEqual(61); // samples kept for the head and the newest minute only
    await outbox.close();
  });

  it('reads percentiles within a bucket of the truth', () => {
    const histogram: number[] = [];
    for (let i = 0; i < 90; i++) histogram[latencyBucket(10)] = (histogram[latencyBucket(10)] ?? 0) + 1;
    for (let i = 0; i < 10; i++) histogram[latencyBucket(200)] = (histogram[latencyBucket(200)] ?? 0) + 1;
    for (let i = 0; i < histogram.length; i++) histogram[i] ??= 0;
    expect(latencyPercentile(histogram, 0.5)).toBeGreaterThan(7.5);
    expect(latencyPercentile(histogram, 0.5)).toBeLessThanOrEqual(10);
    expect(latencyPercentile(histogram, 0.99)).toBeGreaterThan(150);
    expect(latencyPercentile(histogram, 0.99)).toBeLessThanOrEqual(200);
    expect(latencyPercentile([], 0.5)).toBeNull();
    expect(latencyPercentile([...Array(48).fill(0), 3], 0.5)).toBe(60_000);
  });
});
