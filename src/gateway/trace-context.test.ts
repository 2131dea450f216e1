import { describe, expect, it } from 'vitest';
import { addTraceContext, isValidTraceparent, newTraceparent } from './trace-context.ts';

const valid = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

describe('trace context', () => {
  it.each([
    valid,
    '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00',
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra',
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  ])('accepts %s', (value) => {
    expect(isValidTraceparent(value)).toBe(true);
  });

  it.each([
    '',
    '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // zero trace-id
    '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // zero parent-id
    'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // forbidden version
    `${valid}-extra`, // version 00 has exactly four fields
    '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01extra',
    '00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01', // short trace-id
    `${valid}, ${valid}`, // two headers, joined
  ])('refuses %j', (value) => {
    expect(isValidTraceparent(value)).toBe(false);
  });

  it('makes valid, sampled, distinct traceparents', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const value = newTraceparent();
      expect(isValidTraceparent(value)).toBe(true);
      expect(value).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      seen.add(value.slice(3, 35));
    }
    expect(seen.size).toBe(1_000);
  });

  it('keeps a valid traceparent and its tracestate, once each', () => {
    const headers = ['accept', '*/*', 'traceparent', valid, 'tracestate', 'a=1', 'tracestate', 'b=2'];
    addTraceContext({ traceparent: valid, tracestate: 'a=1, b=2' }, headers);
    expect(headers).toEqual(['accept', '*/*', 'traceparent', valid, 'tracestate', 'a=1, b=2']);
  });

  it('replaces an invalid traceparent and drops its tracestate', () => {
    const headers = ['traceparent', 'garbage', 'tracestate', 'a=1', 'accept', '*/*'];
    addTraceContext({ traceparent: 'garbage', tracestate: 'a=1' }, headers);
    expect(headers.slice(0, 2)).toEqual(['accept', '*/*']);
    expect(headers[2]).toBe('traceparent');
    expect(isValidTraceparent(headers[3] as string)).toBe(true);
    expect(headers).toHaveLength(4);
  });

  it('starts a trace when none comes in, dropping a stray tracestate', () => {
    const headers = ['tracestate', 'a=1'];
    addTraceContext({ tracestate: 'a=1' }, headers);
    expect(headers[0]).toBe('traceparent');
    expect(headers).toHaveLength(2);
  });
});
