// Webhook signatures: the header is `t=<seconds>,v1=<HMAC-SHA256(secret, "<t>.<body>")>`, checked
// here against an HMAC computed independently; verification refuses other bodies, other secrets,
// old times and malformed headers, and accepts any of several v1 values.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhookSignature } from './signing.ts';

const secret = 'whsec_0123456789abcdef';
const body = '{"id":"ale_x","type":"alert.firing","value":0.5}';
const now = Date.UTC(2026, 10, 22, 12, 0, 0);

describe('webhook signatures', () => {
  it('signs the time and the raw body with HMAC-SHA256', () => {
    const header = signWebhook(secret, body, now);
    const t = now / 1000;
    expect(header).toBe(`t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`);
  });

  it('verifies within the tolerance, and only the same body and secret', () => {
    const header = signWebhook(secret, body, now);
    expect(verifyWebhookSignature(header, body, secret, { now: now + 299_000 })).toEqual({
      ok: true,
      timestamp: now / 1000,
    });
    expect(verifyWebhookSignature(header, `${body} `, secret, { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(header, body, 'another-secret-000', { now })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(verifyWebhookSignature(header, body, secret, { now: now + 301_000 })).toEqual({
      ok: false,
      reason: 'too-old',
    });
    expect(
      verifyWebhookSignature(header, body, secret, { now: now + 3_600_000, toleranceSeconds: 3600 }).ok,
    ).toBe(true);
  });

  it('accepts any of several v1 values, and refuses malformed headers', () => {
    const valid = signWebhook(secret, body, now);
    const other = signWebhook('the-previous-secret', body, now).split(',')[1];
    expect(
      verifyWebhookSignature(`${valid.split(',')[0]},${other},${valid.split(',')[1]}`, body, secret, { now })
        .ok,
    ).toBe(true);
    for (const header of [undefined, '', 't=abc,v1=00', `v1=${'0'.repeat(64)}`, `t=${now / 1000}`])
      expect(verifyWebhookSignature(header, body, secret, { now })).toEqual({
        ok: false,
        reason: 'malformed',
      });
  });
});
