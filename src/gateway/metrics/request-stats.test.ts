import { describe, expect, it } from 'vitest';
import { requestRecord } from '../testing/fixtures.ts';
import { LatencyHistogram, latencyBuckets, RequestStats, statusClasses } from './request-stats.ts';

describe('LatencyHistogram', () => {
  it('counts a value equal to a bound in that bound\'s bucket (le is "less or equal")', () => {
    const h = new LatencyHistogram();
    h.observe(0.001);
    h.observe(0.0010001);
    h.observe(0);
    h.observe(31);
    expect(h.counts[0]).toBe(2);
    expect(h.counts[1]).toBe(1);
    expect(h.counts[latencyBuckets.length]).toBe(1); // above the last bound
    expect(h.count).toBe(4);
  });
});

describe('RequestStats', () => {
  const base = requestRecord({ requestId: 'r', clientIp: '' });

  it('files statuses by their first digit, and anything odd under "other"', () => {
    const stats = new RequestStats();
    for (const status of [100, 204, 299, 301, 404, 503, 0, 99]) stats.record({ ...base, status });
    const [only] = [...stats.routes()];
    const counts = Object.fromEntries(statusClasses.map((c, i) => [c, only?.requests[i]]));
    expect(counts).toMatchObject({ other: 2, '1xx': 1, '2xx': 2, '3xx': 1, '4xx': 1, '5xx': 1 });
  });

  it('observes upstream time only for requests that reached an upstream', () => {
    const stats = new RequestStats();
    stats.record({ ...base, status: 200, upstreamMs: 2 });
    stats.record({ ...base, status: 404 });
    const [only] = [...stats.routes()];
    expect(only?.duration.count).toBe(2);
    expect(only?.upstream.count).toBe(1);
  });

  it('counts requests the client abandoned', () => {
    const stats = new RequestStats();
    stats.record({ ...base, status: 200, aborted: true });
    stats.record({ ...base, status: 200 });
    const [only] = [...stats.routes()];
    expect(only?.aborted).toBe(1);
    expect(only?.requests[2]).toBe(2);
  });
});
