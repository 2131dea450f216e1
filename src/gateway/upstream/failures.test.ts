// What the client gets when a target fails, over real sockets with the fault-injecting upstream:
// the upstream's own timeouts as 504, refused and reset connections as 502, every one a problem
// with the request id, and a connection that answered garbage is never used again.
import { afterEach, describe, expect, it } from 'vitest';
import { blackhole, FaultyUpstream } from '../../../test/support/faulty-upstream.ts';
import { api, route } from '../testing/fixtures.ts';
import { call, closeAll, gatewayFor, later, upstreamSnapshot } from './testing.ts';

afterEach(closeAll);

function expectProblem(answer: Awaited<ReturnType<typeof call>>, status: number, code: string): void {
  expect(answer.status).toBe(status);
  expect(answer.headers['content-type']).toBe('application/problem+json');
  expect(answer.body.code).toBe(code);
  expect(answer.body.requestId).toBe(answer.headers['x-request-id']);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const result = await work();
  return [result, performance.now() - started];
}

describe('timeouts', () => {
  it('answers 504 when connecting takes longer than connectMs', async () => {
    const hole = later(await blackhole());
    const gw = await gatewayFor(upstreamSnapshot([hole.url], { timeouts: { connectMs: 150 } }));
    const [answer, ms] = await timed(() => call(gw, '/x', { headers: { 'x-request-id': 'connect-1' } }));
    expectProblem(answer, 504, 'upstream-timeout');
    expect(answer.body.requestId).toBe('connect-1');
    // undici checks connect timeouts on a clock that ticks every 0.5 s, so they fire up to ~1 s late.
    expect(ms).toBeGreaterThanOrEqual(140);
    expect(ms).toBeLessThan(2500);
  });

  it('answers 504 when the response head takes longer than responseMs', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'slow', headMs: 1600 });
    const gw = await gatewayFor(upstreamSnapshot([upstream.url], { timeouts: { responseMs: 200 } }));
    const [answer, ms] = await timed(() => call(gw, '/x'));
    // Like connect timeouts, undici's response and idle timeouts may fire up to ~1 s late.
    expectProblem(answer, 504, 'upstream-timeout');
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1500);
  });

  it('keeps a slow answer that is within responseMs', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'slow', headMs: 100 });
    const gw = await gatewayFor(upstreamSnapshot([upstream.url], { timeouts: { responseMs: 1000 } }));
    expect((await call(gw, '/x')).status).toBe(200);
  });

  it('cuts the client connection when the body pauses longer than idleMs', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'slow', chunkMs: 1600, chunks: 2 });
    const gw = await gatewayFor(upstreamSnapshot([upstream.url], { timeouts: { idleMs: 200 } }));
    const started = performance.now();
    await expect(call(gw, '/x')).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it('gives each upstream its own timeouts, even on a shared origin', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'slow', headMs: 1600 });
    const input = upstreamSnapshot([upstream.url], { timeouts: { responseMs: 150 } });
    const patient = {
      ...(input.upstreams[0] as (typeof input.upstreams)[0]),
      id: 'ups_patient',
      name: 'patient',
    };
    patient.timeouts = { ...patient.timeouts, responseMs: 5000 };
    input.upstreams.push(patient);
    input.apis = [
      api({ id: 'api_quick', basePath: '/quick', routes: [route('/*', [], 'quick')] }),
      api({
        id: 'api_patient',
        basePath: '/patient',
        upstreamId: 'ups_patient',
        routes: [route('/*', [], 'patient')],
      }),
    ];
    const gw = await gatewayFor(input);
    const [quick, patientAnswer] = await Promise.all([call(gw, '/quick/x'), call(gw, '/patient/x')]);
    expectProblem(quick, 504, 'upstream-timeout');
    expect(patientAnswer.status).toBe(200);
  });
});

describe('unreachable targets', () => {
  it('answers 502 when the connection is refused', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'refuse' });
    const gw = await gatewayFor(upstreamSnapshot([upstream.url]));
    expectProblem(await call(gw, '/x'), 502, 'upstream-unavailable');
  });

  it('answers 502 when the upstream resets the connection', async () => {
    const upstream = later(await FaultyUpstream.start());
    await upstream.set({ kind: 'reset' });
    const gw = await gatewayFor(upstreamSnapshot([upstream.url]));
    expectProblem(await call(gw, '/x'), 502, 'upstream-unavailable');
    expect(upstream.hits()).toBe(1);
  });

  it('passes an upstream’s own 502, 503 and 504 on unchanged', async () => {
    const upstream = later(await FaultyUpstream.start());
    const gw = await gatewayFor(upstreamSnapshot([upstream.url]));
    for (const status of [502, 503, 504]) {
      await upstream.set({ kind: 'status', status });
      const answer = await call(gw, '/x');
      expect(answer.status).toBe(status);
      expect(answer.headers['content-type']).toBe('application/json');
      expect(answer.body.upstream).toBe('faulty');
    }
  });
});

describe('malformed responses', () => {
  it('answers 502 and never reuses the connection that carried one', async () => {
    const upstream = later(await FaultyUpstream.start());
    const gw = await gatewayFor(upstreamSnapshot([upstream.url]));
    const first = await call(gw, '/warm');
    expect(first.status).toBe(200);
    const again = await call(gw, '/warm');
    expect(again.body.connection).toBe(first.body.connection); // keep-alive works

    await upstream.set({ kind: 'malformed' }, '/bad');
    expectProblem(await call(gw, '/bad'), 502, 'upstream-unavailable');
    const bad = upstream.requests.at(-1);
    expect(bad?.connection).toBe(first.body.connection); // it went over the warm connection

    const next = await call(gw, '/after');
    expect(next.status).toBe(200);
    expect(next.body.connection).not.toBe(first.body.connection);
    expect(upstream.connections).toBe(2);
  });
});
