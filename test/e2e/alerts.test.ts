// User story: "Our checkout API starts failing: the upstream answers 500. Once that minute is
// over, our incident webhook is called, signed with the secret we gave, naming the rule and the
// error rate. When we switch the rule off, a second call says it resolved, and why, so our
// incident closes; the console's history shows both with their deliveries." The real
// `turnpike start`, a real upstream, a real receiver.
//
// Rules measure whole minutes, so the firing waits for the minute of the failures to end: up to
// a minute. A resolution by recovered traffic would wait for another whole minute; that path is
// covered, with its timestamps set, in src/control/alerts/evaluator.test.ts.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/control/alerts/testing.ts';
import { AdminClient, type ProvisionedApp, provisionApp } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { FaultyUpstream } from '../support/faulty-upstream.ts';
import { send, within } from '../support/http.ts';

const secret = 'incident-hook-secret-0123456789';

/** The receiver's recipe from docs/alerts.md, with node:crypto alone. */
function verify(header: string, body: string): boolean {
  const fields = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${fields.t}.${body}`).digest('hex');
  return fields.v1 === expected && Math.abs(Date.now() / 1000 - Number(fields.t)) < 300;
}

describe('alerts: an error-rate rule fires and its webhook arrives signed', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let upstream: FaultyUpstream;
  let receiver: WebhookReceiver;
  let app: ProvisionedApp;

  beforeAll(async () => {
    [tp, upstream, receiver] = await Promise.all([
      startTurnpike({ env: { TURNPIKE_USAGE_INTERVAL_MS: '200', TURNPIKE_ALERT_INTERVAL_MS: '500' } }),
      FaultyUpstream.start('checkout-backend'),
      startWebhookReceiver('/incidents'),
    ]);
    admin = new AdminClient(tp.admin, tp.token);
    const backend = await admin.create('/upstreams', {
      name: 'checkout-backend',
      targets: [{ url: upstream.url }],
    });
    const api = await admin.create('/apis', {
      name: 'checkout',
      basePath: '/checkout',
      upstreamId: backend.id,
    });
    const orders = await admin.create(`/apis/${api.id}/routes`, { name: 'orders', path: '/orders' });
    await admin.create(`/apis/${api.id}/routes`, { name: 'ping', path: '/ping' });
    const product = await admin.create('/products', { name: 'checkout', apiIds: [api.id] });
    const plan = await admin.create('/plans', { productId: product.id, name: 'standard' });
    app = await provisionApp(admin, 'shop', plan.id);
    await admin.create('/alerts', {
      name: 'checkout-errors',
      kind: 'error-rate',
      threshold: 0.5,
      windowMinutes: 5,
      minRequests: 10,
      scope: { apiId: api.id, routeId: orders.id },
      channels: { webhooks: [{ url: receiver.url, secret }] },
    });
  });

  afterAll(async () => {
    await tp?.stop();
    await Promise.all([upstream?.close(), receiver?.close()]);
    if (tp) removeDir(tp.dataDir);
  });

  const calls = async (count: number, status: number) => {
    for (let i = 0; i < count; i++) {
      const response = await send(`${tp.gateway}/checkout/orders`, { headers: { 'x-api-key': app.key } });
      expect(response.status).toBe(status);
    }
  };

  it('fires on 5xx traffic once its minute is over, with a signed webhook naming the rule and the value', async () => {
    // The key reaches the gateway with the next snapshot; calls to /ping are not the rule's.
    await within(
      5000,
      async () =>
        (await send(`${tp.gateway}/checkout/ping`, { headers: { 'x-api-key': app.key } })).status === 200,
    );
    await upstream.set({ kind: 'status', status: 500 });
    await calls(20, 500);
    // A whole-minute wait at most: the failures count once their minute has ended.
    const [call] = await receiver.waitFor(1, 75_000);
    expect(call?.headers['content-type']).toBe('application/json');
    expect(verify(String(call?.headers['turnpike-signature']), call?.body ?? '')).toBe(true);
    const body = JSON.parse(call?.body ?? '{}');
    expect(body).toMatchObject({
      id: call?.headers['turnpike-event-id'],
      type: 'alert.firing',
      rule: { name: 'checkout-errors', kind: 'error-rate' },
      value: 1,
      threshold: 0.5,
      window: { minutes: 5 },
      subject: null,
      reason: null,
    });
    // Whole minutes, ending at the start of the minute it was evaluated in.
    const to = Date.parse(body.window.to);
    expect(to % 60_000).toBe(0);
    expect(Date.parse(body.window.from)).toBe(to - 5 * 60_000);
    expect(Date.parse(body.at) - to).toBeLessThan(60_000);
    expect(body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/console\/alerts\/alr_/);
    // Still failing: no second call.
    await calls(5, 500);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(receiver.calls).toHaveLength(1);
  }, 90_000);

  it('resolves when the rule is switched off, saying so, and keeps the history', async () => {
    const switched = await admin.call('PATCH', '/alerts/checkout-errors', { enabled: false });
    expect(switched.status).toBe(200);
    const [, resolved] = await receiver.waitFor(2, 10_000);
    expect(verify(String(resolved?.headers['turnpike-signature']), resolved?.body ?? '')).toBe(true);
    const body = JSON.parse(resolved?.body ?? '{}');
    expect(body).toMatchObject({
      type: 'alert.resolved',
      rule: { name: 'checkout-errors' },
      value: null,
      threshold: 0.5,
      reason: 'disabled',
    });

    // Each attempt is written just after its answer arrives.
    let events: { state: string; reason: string | null; deliveries: { state: string }[] }[] = [];
    await within(5000, async () => {
      const history = await admin.call('GET', '/alert-events?rule=checkout-errors');
      events = history.status === 200 ? history.body.data : [];
      return events.length === 2 && events.every((e) => e.deliveries.every((d) => d.state !== 'pending'));
    });
    expect(events.map((e) => [e.state, e.reason])).toEqual([
      ['resolved', 'disabled'],
      ['firing', null],
    ]);
    for (const event of events)
      expect(event.deliveries).toEqual([
        expect.objectContaining({
          channel: 'webhook',
          target: receiver.url,
          state: 'delivered',
          attempts: 1,
          statusCode: 200,
        }),
      ]);
    const rule = await admin.call('GET', '/alerts/checkout-errors');
    expect(rule.body.status).toMatchObject({ state: 'disabled' });
    expect(JSON.stringify(rule.body)).not.toContain(secret);
  });
});
