import { describe, expect, it } from 'vitest';
import { testContext } from '../test-context.ts';
import { upstreamSecret } from './policy.ts';

const secret = 'kq3V9x-7TzLm2pWcR8sYbN4d';

function run(config: unknown, headers: Record<string, string> = {}) {
  const ctx = testContext({ headers });
  const outcome = upstreamSecret.create(upstreamSecret.schema.parse(config))(ctx);
  return { ctx, outcome };
}

describe('upstream-secret', () => {
  it('sets the secret header on the upstream request', () => {
    const { ctx, outcome } = run({ secret });
    expect(outcome).toBeUndefined();
    expect(Object.fromEntries(ctx.upstreamHeaders)).toEqual({ 'x-gateway-secret': secret });
  });

  it('replaces a copy the client sent', () => {
    const { ctx } = run({ secret }, { 'X-Gateway-Secret': 'guessed-by-the-client' });
    expect(ctx.upstreamHeaders.get('x-gateway-secret')).toBe(secret);
  });

  it('uses a configured header', () => {
    const { ctx } = run({ header: 'X-Origin-Verify', secret }, { 'X-Origin-Verify': 'guessed' });
    expect(Object.fromEntries(ctx.upstreamHeaders)).toEqual({ 'x-origin-verify': secret });
  });

  it('only removes the client copy when no secret is set', () => {
    const { ctx, outcome } = run({}, { 'X-Gateway-Secret': 'guessed-by-the-client' });
    expect(outcome).toBeUndefined();
    expect(Object.fromEntries(ctx.upstreamHeaders)).toEqual({ 'x-gateway-secret': null });
  });

  it('refuses bad header names', () => {
    for (const header of ['X Secret', 'X-Secret:', '', 'Host', 'content-length']) {
      expect(upstreamSecret.schema.safeParse({ header, secret }).success, header).toBe(false);
    }
  });

  it('refuses secrets that are short, long or not a plain header value', () => {
    for (const bad of ['too-short', 'x'.repeat(513), `${secret} with spaces`, `${secret}\r\nX-Evil: 1`]) {
      expect(upstreamSecret.schema.safeParse({ secret: bad }).success).toBe(false);
    }
    expect(upstreamSecret.schema.safeParse({ scret: secret }).success).toBe(false);
  });
});
