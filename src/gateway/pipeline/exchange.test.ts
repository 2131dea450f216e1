import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { CompiledRoute } from '../snapshot/compile.ts';
import { CredentialIndex } from '../snapshot/credentials.ts';
import { Exchange } from './exchange.ts';

function exchange(query: string, headers: Record<string, string> = {}, upstream: string[] = []): Exchange {
  const req = { method: 'GET', headers } as unknown as IncomingMessage;
  const credentials = CredentialIndex.compile(
    { version: 1, createdAt: '', upstreams: [], apis: [], applications: [], keys: [] },
    new Set(),
    [],
  );
  return new Exchange(
    req,
    {} as ServerResponse,
    'req-1',
    '/p',
    query,
    'h',
    {} as CompiledRoute,
    credentials,
    upstream,
    { trustedProxies: [] },
    0,
  );
}

describe('Exchange', () => {
  it('reads query parameters decoded', () => {
    expect(exchange('?api_key=a%2Bb&x=1').queryParam('api_key')).toBe('a+b');
    expect(exchange('').queryParam('x')).toBeUndefined();
  });

  it('removes a query parameter without re-encoding the others', () => {
    const ex = exchange('?a=%20x&api_key=secret&b=c+d&api_key=again');
    ex.removeUpstreamQueryParam('api_key');
    expect(ex.query).toBe('?a=%20x&b=c+d');
    const only = exchange('?api_key=secret');
    only.removeUpstreamQueryParam('api_key');
    expect(only.query).toBe('');
  });

  it('edits upstream headers in place, replacing every incoming value', () => {
    const ex = exchange('', {}, ['x-a', '1', 'x-a', '2', 'x-b', '3']);
    ex.setUpstreamHeader('X-A', 'new');
    ex.removeUpstreamHeader('x-b');
    expect(ex.upstreamHeaders).toEqual(['x-a', 'new']);
  });

  it('refuses an upstream header that could split the request, and keeps the headers as they were', () => {
    const ex = exchange('', {}, ['x-a', '1']);
    expect(() => ex.setUpstreamHeader('x-b', 'v\r\nx-injected: 1')).toThrow(/may not be sent/);
    expect(() => ex.setUpstreamHeader('x b', 'v')).toThrow(/invalid header name/);
    expect(() => ex.setUpstreamHeader('x-c', 'nul\u0000')).toThrow(/may not be sent/);
    expect(ex.upstreamHeaders).toEqual(['x-a', '1']);
  });

  it('applies response header edits in order', () => {
    const ex = exchange('');
    ex.setResponseHeader('RateLimit', 'limit=10');
    ex.removeResponseHeader('server');
    const flat = ['server', 'upstream', 'ratelimit', 'old', 'content-type', 'text/plain'];
    ex.applyResponseEdits(flat);
    expect(flat).toEqual(['content-type', 'text/plain', 'ratelimit', 'limit=10']);
  });

  it('adds to the upstream Vary instead of replacing it, once', () => {
    const ex = exchange('');
    ex.appendResponseHeader('vary', 'Origin');
    ex.appendResponseHeader('Vary', 'origin');
    const flat = ['vary', 'Accept-Encoding', 'content-type', 'text/plain'];
    ex.applyResponseEdits(flat);
    expect(flat).toEqual(['content-type', 'text/plain', 'vary', 'Accept-Encoding, Origin']);
  });

  it('tracks the consumer and its plan', () => {
    const ex = exchange('');
    expect(ex.consumer).toBeUndefined();
    ex.setConsumer({ id: 'app_1', accountId: 'acc_1', tier: 'standard', active: true, grants: new Map() });
    ex.setPlan('pln_1');
    expect(ex.consumer).toMatchObject({
      applicationId: 'app_1',
      accountId: 'acc_1',
      tier: 'standard',
      planId: 'pln_1',
    });
  });

  it('joins repeated request headers', () => {
    expect(exchange('', { 'x-api-key': 'k' }).header('x-api-key')).toBe('k');
  });
});
