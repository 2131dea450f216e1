// The evaluator on both stores, against rollups and usage stored the way gateways ship them:
// each kind fires on its condition over the last whole minutes and resolves when it ends, once
// per transition (reminders only when asked), the events and every delivery attempt are recorded,
// webhooks arrive signed (checked here with an HMAC computed independently), mails name the rule,
// a rule disabled, deleted (also by an apply with --prune) or changed in kind or scope resolves
// what it was firing about, and only one control plane evaluates at a time.
import { createHmac, randomUUID } from 'node:crypto';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type Chain, chain, created } from '../../../test/support/fixtures.ts';
import { AnalyticsCollector } from '../../gateway/analytics/collector.ts';
import { requestRecord } from '../../gateway/testing/fixtures.ts';
import * as schema from '../../store/schema/index.ts';
import type { Mail } from '../mail/mailer.ts';
import { listAlertEvents } from '../services/alert-events.ts';
import type { Db } from '../services/context.ts';
import { recordUsageBatch } from '../services/usage.ts';
import { AlertEvaluator, evaluateAlerts } from './evaluator.ts';
import { startWebhookReceiver, type WebhookReceiver } from './testing.ts';

const minuteMs = 60_000;
const hourMs = 3_600_000;
/** Two days ago, on the hour: recent enough that no rollup is pruned; each test takes its own hour. */
const base = Math.floor(Date.now() / hourMs) * hourMs - 48 * hourMs;
const secret = 'whsec-test-0123456789abcdef';

interface Calls {
  status?: number;
  durationMs?: number;
  count: number;
}

/** Independent of src/control/alerts/signing.ts: the documented recipe, done by hand. */
function checkSignature(header: string | undefined, body: string, key: string) {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.split('=') as [string, string]));
  const expected = createHmac('sha256', key).update(`${parts.t}.${body}`).digest('hex');
  return { t: Number(parts.t), valid: parts.v1 === expected };
}

describe.each(storeKinds)('alert evaluation on %s', (kind) => {
  let h: AdminHarness;
  let c: Chain;
  let receiver: WebhookReceiver;
  let evaluator: AlertEvaluator;
  const mails: Mail[] = [];

  beforeAll(async () => {
    h = await startAdmin(kind);
    c = await chain(h, 'alerted', '/alerted');
    receiver = await startWebhookReceiver();
    evaluator = new AlertEvaluator(h.store.db, {
      retryDelaysMs: [0, 30, 60],
      timeoutMs: 2000,
      sendMail: async (mail) => void mails.push(mail),
      consoleUrl: () => 'http://127.0.0.1:8001/console',
    });
  });
  afterAll(async () => {
    await evaluator?.close();
    await receiver?.close();
    await h?.close();
  });
  // Rules deleted at the end of a test may resolve: their calls arrive before the next test.
  afterEach(() => evaluator.dispatcher.idle());

  /** Calls of the chain's application in the minute of `at`, stored as one batch. */
  async function traffic(at: number, ...groups: Calls[]) {
    const collector = new AnalyticsCollector(() => at);
    const consumer = { applicationId: c.applicationId, accountId: c.accountId, planId: c.planId };
    for (const { status = 200, durationMs = 10, count } of groups)
      for (let i = 0; i < count; i++)
        collector.count(
          requestRecord({ status, durationMs, api: { id: c.apiId, name: 'alerted' } as never, consumer }),
        );
    await recordUsageBatch(h.store.db, { id: randomUUID(), entries: [], analytics: collector.take() });
  }

  async function rule(body: Record<string, unknown>) {
    return created(h, '/admin/v1/alerts', {
      scope: { applicationId: c.applicationId },
      channels: { webhooks: [{ url: receiver.url, secret }] },
      ...body,
    });
  }

  const tick = async (at: number) => {
    const result = await evaluator.tick(new Date(at));
    await evaluator.dispatcher.idle();
    return result;
  };
  const eventsOf = async (ruleId: string) =>
    (await listAlertEvents(h.store.db, { rule: ruleId }, { limit: 50 })).data;

  it('error rate: fires once with a signed webhook and a mail, then resolves when the errors are diluted', async () => {
    const at = base;
    const r = await rule({
      name: 'errors',
      kind: 'error-rate',
      threshold: 0.2,
      windowMinutes: 5,
      channels: { webhooks: [{ url: receiver.url, secret }], emails: ['ops@example.com'] },
    });
    receiver.calls.length = 0;
    await traffic(at + 10_000, { status: 200, count: 10 }, { status: 500, count: 10 });

    // Once that minute is over, it is in the window.
    const first = await tick(at + minuteMs + 30_000);
    expect(first.evaluated).toBe(true);
    const [call] = await receiver.waitFor(1);
    const signature = checkSignature(call?.headers['turnpike-signature'] as string, call?.body ?? '', secret);
    expect(signature.valid).toBe(true);
    expect(Math.abs(signature.t - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(call?.body ?? '{}');
    expect(body).toMatchObject({
      type: 'alert.firing',
      rule: { id: r.id, name: 'errors', kind: 'error-rate' },
      value: 0.5,
      threshold: 0.2,
      window: {
        minutes: 5,
        from: new Date(at - 4 * minuteMs).toISOString(),
        to: new Date(at + minuteMs).toISOString(),
      },
      subject: null,
      url: `http://127.0.0.1:8001/console/alerts/${r.id}`,
    });
    expect(call?.headers['turnpike-event-id']).toBe(body.id);
    expect(call?.headers['content-type']).toBe('application/json');
    // The same secret in a wrong order or another secret does not verify.
    expect(
      checkSignature(call?.headers['turnpike-signature'] as string, call?.body ?? '', 'other-secret-000000')
        .valid,
    ).toBe(false);
    const mail = mails.find((m) => m.subject.includes('errors'));
    expect(mail?.to).toBe('ops@example.com');
    expect(mail?.subject).toBe('[Turnpike] FIRING: errors (50 %, threshold 20 %)');
    expect(mail?.text).toContain(`In the console: http://127.0.0.1:8001/console/alerts/${r.id}`);

    // Still failing later: no second notification.
    await tick(at + minuteMs + 50_000);
    expect(receiver.calls).toHaveLength(1);
    const firing = (await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status;
    expect(firing).toMatchObject({
      state: 'firing',
      value: 0.5,
      since: new Date(at + minuteMs + 30_000).toISOString(),
    });

    // 190 good calls in the next minute: 10 of 210 failed, under 20 %.
    await traffic(at + minuteMs + 5_000, { status: 200, count: 190 });
    await tick(at + 2 * minuteMs + 30_000);
    const [, resolved] = await receiver.waitFor(2);
    expect(
      checkSignature(resolved?.headers['turnpike-signature'] as string, resolved?.body ?? '', secret).valid,
    ).toBe(true);
    expect(JSON.parse(resolved?.body ?? '{}')).toMatchObject({
      type: 'alert.resolved',
      value: 0.0476,
      reason: null,
    });
    expect(mails.at(-1)?.subject).toMatch(/^\[Turnpike\] RESOLVED: errors/);

    const history = await eventsOf(r.id);
    expect(history.map((e) => e.state)).toEqual(['resolved', 'firing']);
    expect(history[1]?.deliveries).toEqual([
      expect.objectContaining({
        channel: 'webhook',
        target: receiver.url,
        state: 'delivered',
        attempts: 1,
        statusCode: 200,
      }),
      expect.objectContaining({
        channel: 'email',
        target: 'ops@example.com',
        state: 'delivered',
        attempts: 1,
      }),
    ]);
    const listed = await h.call('GET', `/admin/v1/alert-events?rule=errors&limit=1`);
    expect(listed.body.data[0]).toMatchObject({ id: history[0]?.id, state: 'resolved' });
    expect(listed.body.next).toEqual(expect.any(String));
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('error rate: fewer calls than minRequests count as fine; 4xx count only with statusClass errors', async () => {
    const at = base + hourMs;
    const fivexx = await rule({ name: 'few-5xx', kind: 'error-rate', threshold: 0.5, minRequests: 30 });
    const all = await rule({ name: 'all-errors', kind: 'error-rate', threshold: 0.5, statusClass: 'errors' });
    await traffic(at, { status: 404, count: 15 }, { status: 500, count: 5 }, { status: 200, count: 5 });
    await tick(at + minuteMs + 10_000);
    expect(await eventsOf(fivexx.id)).toEqual([]);
    expect(await eventsOf(all.id)).toEqual([expect.objectContaining({ state: 'firing', value: 0.8 })]);
    await h.call('DELETE', `/admin/v1/alerts/${fivexx.id}`);
    await h.call('DELETE', `/admin/v1/alerts/${all.id}`);
  });

  it('latency: fires when the percentile reaches the threshold, with reminders when asked', async () => {
    const at = base + 2 * hourMs;
    const r = await rule({
      name: 'slow',
      kind: 'latency',
      percentile: 'p95',
      threshold: 400,
      windowMinutes: 10,
      repeatMinutes: 5,
    });
    await traffic(at, { durationMs: 20, count: 10 }, { durationMs: 900, count: 10 });
    await tick(at + minuteMs + 10_000);
    await tick(at + 5 * minuteMs); // still firing, no reminder yet
    await tick(at + 6 * minuteMs + 10_000); // five minutes after the first: a reminder
    const history = await eventsOf(r.id);
    expect(history.map((e) => [e.state, e.repeat])).toEqual([
      ['firing', true],
      ['firing', false],
    ]);
    expect(history[1]?.value).toBeGreaterThanOrEqual(400);
    // The window passes with no calls: nothing measured, so it resolves.
    await tick(at + 20 * minuteMs);
    expect((await eventsOf(r.id))[0]).toMatchObject({ state: 'resolved', value: null });
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('traffic drop: against the same window a week earlier, or under an absolute minimum', async () => {
    const at = base + 3 * hourMs + 30 * minuteMs;
    // A week earlier: 600 calls in that hour, 100 per ten minutes.
    await traffic(at - 7 * 86_400_000, { count: 600 });
    const relative = await rule({ name: 'quiet', kind: 'traffic-drop', threshold: 0.5, windowMinutes: 10 });
    const absolute = await rule({
      name: 'silent',
      kind: 'traffic-drop',
      absoluteMinimum: 5,
      windowMinutes: 10,
    });
    await traffic(at - 5 * minuteMs, { count: 40 });
    await tick(at + 10_000);
    expect(await eventsOf(relative.id)).toEqual([
      expect.objectContaining({ state: 'firing', value: 40, threshold: 50 }),
    ]);
    expect(await eventsOf(absolute.id)).toEqual([]);
    // Back to normal: 70 calls in the window, over half of last week's 100.
    await traffic(at + minuteMs, { count: 30 });
    await tick(at + 2 * minuteMs + 10_000);
    expect((await eventsOf(relative.id))[0]).toMatchObject({ state: 'resolved', value: 70 });
    // Twenty minutes later nothing at all: under the absolute minimum too.
    await tick(at + 25 * minuteMs);
    expect(await eventsOf(absolute.id)).toEqual([
      expect.objectContaining({ state: 'firing', value: 0, threshold: 5 }),
    ]);
    await h.call('DELETE', `/admin/v1/alerts/${relative.id}`);
    await h.call('DELETE', `/admin/v1/alerts/${absolute.id}`);
  });

  it('quota: fires per subscription at 80 % of a monthly limit, and resolves when it is cancelled', async () => {
    const plan = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'monthly',
      limits: [
        { metric: 'hits', period: 'month', max: 100 },
        { metric: 'hits', period: 'minute', max: 10 },
      ],
    });
    const app = await created(h, '/admin/v1/applications', { accountId: c.accountId, name: 'quota-app' });
    const sub = await created(h, '/admin/v1/subscriptions', { applicationId: app.id, planId: plan.id });
    const r = await created(h, '/admin/v1/alerts', {
      name: 'quota-80',
      kind: 'quota',
      threshold: 0.8,
      scope: { planId: plan.id },
      channels: { webhooks: [{ url: receiver.url, secret }] },
    });
    receiver.calls.length = 0;
    const now = Date.now();
    const hour = new Date(Math.floor(now / hourMs) * hourMs).toISOString();
    const use = (units: number) =>
      recordUsageBatch(h.store.db, {
        id: randomUUID(),
        entries: [{ subscriptionId: sub.id, metric: 'hits', hour, units }],
      });
    await use(79);
    await tick(now);
    expect(await eventsOf(r.id)).toEqual([]);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({
      state: 'ok',
      value: 0.79,
    });

    await use(1);
    await tick(now + 1000);
    const [call] = await receiver.waitFor(1);
    expect(
      checkSignature(call?.headers['turnpike-signature'] as string, call?.body ?? '', secret).valid,
    ).toBe(true);
    const month = new Date(now);
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      type: 'alert.firing',
      rule: { name: 'quota-80', kind: 'quota' },
      value: 0.8,
      threshold: 0.8,
      window: {
        minutes: null,
        from: new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1)).toISOString(),
      },
      subject: {
        subscriptionId: sub.id,
        applicationId: app.id,
        accountId: c.accountId,
        planId: plan.id,
        metric: 'hits',
        period: 'month',
        used: 80,
        max: 100,
      },
    });
    const status = (await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status;
    expect(status).toMatchObject({ state: 'firing', firing: [{ subject: sub.id, value: 0.8 }] });

    await h.call('PATCH', `/admin/v1/subscriptions/${sub.id}`, { state: 'cancelled' });
    await tick(now + 2000);
    const history = await eventsOf(r.id);
    expect(history.map((e) => [e.state, e.subject?.subscriptionId])).toEqual([
      ['resolved', sub.id],
      ['firing', sub.id],
    ]);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({
      state: 'ok',
      firing: [],
    });
    expect((await h.call('GET', `/admin/v1/alert-events?subject=${sub.id}`)).body.data).toHaveLength(2);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('webhooks: a failed call is tried again and each attempt recorded; an unreachable one ends failed', async () => {
    const at = base + 4 * hourMs;
    const dead = 'http://127.0.0.1:9/unreachable';
    const r = await rule({
      name: 'retried',
      kind: 'error-rate',
      threshold: 0.1,
      minRequests: 1,
      channels: {
        webhooks: [
          { url: receiver.url, secret },
          { url: dead, secret },
        ],
      },
    });
    receiver.calls.length = 0;
    receiver.answer(503, 500);
    await traffic(at, { status: 500, count: 3 });
    await tick(at + minuteMs + 5_000);
    await receiver.waitFor(3);
    const ids = new Set(receiver.calls.map((call) => call.headers['turnpike-event-id']));
    expect(ids.size).toBe(1); // the same event each time
    for (const call of receiver.calls)
      expect(checkSignature(call.headers['turnpike-signature'] as string, call.body, secret).valid).toBe(
        true,
      );
    const [event] = await eventsOf(r.id);
    expect(event?.deliveries).toEqual([
      expect.objectContaining({
        target: receiver.url,
        state: 'delivered',
        attempts: 3,
        statusCode: 200,
        error: null,
      }),
      expect.objectContaining({
        target: dead,
        state: 'failed',
        attempts: 3,
        statusCode: null,
        error: expect.stringContaining('ECONNREFUSED'),
        deliveredAt: null,
      }),
    ]);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('the window is the last whole minutes, not the minute under way', async () => {
    const at = base + 6 * hourMs;
    const r = await rule({
      name: 'one-minute',
      kind: 'error-rate',
      threshold: 0.5,
      windowMinutes: 1,
      minRequests: 5,
    });
    // A healthy minute, then a few failures in the first seconds of the next.
    await traffic(at + 30_000, { status: 200, count: 20 });
    await traffic(at + minuteMs + 2_000, { status: 500, count: 6 });
    // Five seconds into that minute, the window is the minute before it, whole: nothing failed.
    await tick(at + minuteMs + 5_000);
    expect(await eventsOf(r.id)).toEqual([]);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({
      state: 'ok',
      value: 0,
    });
    // Once it is over, that minute is the window: 6 of 6 failed.
    await tick(at + 2 * minuteMs + 1_000);
    expect(await eventsOf(r.id)).toEqual([
      expect.objectContaining({
        state: 'firing',
        value: 1,
        window: {
          minutes: 1,
          from: new Date(at + minuteMs).toISOString(),
          to: new Date(at + 2 * minuteMs).toISOString(),
        },
      }),
    ]);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('disabling a firing rule resolves it (reason disabled); it is not evaluated, and starts afresh when enabled', async () => {
    const at = base + 5 * hourMs;
    const r = await rule({
      name: 'paused',
      kind: 'error-rate',
      threshold: 0.1,
      minRequests: 1,
      channels: { webhooks: [{ url: receiver.url, secret }], emails: ['ops@example.com'] },
    });
    receiver.calls.length = 0;
    await traffic(at, { status: 500, count: 2 });
    await tick(at + minuteMs + 1000);
    expect(await eventsOf(r.id)).toHaveLength(1);
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { enabled: false });
    const [, resolved] = await receiver.waitFor(2);
    expect(
      checkSignature(resolved?.headers['turnpike-signature'] as string, resolved?.body ?? '', secret).valid,
    ).toBe(true);
    expect(JSON.parse(resolved?.body ?? '{}')).toMatchObject({
      type: 'alert.resolved',
      rule: { id: r.id, name: 'paused' },
      value: null,
      threshold: 0.1,
      subject: null,
      reason: 'disabled',
    });
    await evaluator.dispatcher.idle();
    expect(mails.at(-1)?.subject).toBe('[Turnpike] RESOLVED (disabled): paused (no data, threshold 10 %)');
    const history = await h.call('GET', `/admin/v1/alert-events?rule=${r.id}`);
    expect(history.body.data[0]).toMatchObject({
      state: 'resolved',
      reason: 'disabled',
      subject: null,
      deliveries: [
        expect.objectContaining({ channel: 'webhook', state: 'delivered' }),
        expect.objectContaining({ channel: 'email', state: 'delivered' }),
      ],
    });
    expect(history.body.data[1]).toMatchObject({ state: 'firing', reason: null });

    await tick(at + minuteMs + 2000);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({
      state: 'disabled',
    });
    expect(receiver.calls).toHaveLength(2);
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { enabled: true });
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({ state: 'unknown' });
    await tick(at + minuteMs + 3000);
    // It starts afresh: the breach is new to it, so it fires again.
    expect((await eventsOf(r.id)).map((e) => e.state)).toEqual(['firing', 'resolved', 'firing']);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('deleting a firing rule resolves it (reason deleted), to the channels it had', async () => {
    const at = base + 7 * hourMs;
    const r = await rule({
      name: 'doomed',
      kind: 'error-rate',
      threshold: 0.1,
      minRequests: 1,
      channels: { webhooks: [{ url: receiver.url, secret }], emails: ['doomed@example.com'] },
    });
    receiver.calls.length = 0;
    await traffic(at, { status: 500, count: 2 });
    await tick(at + minuteMs + 1000);
    await receiver.waitFor(1);
    expect((await h.call('DELETE', `/admin/v1/alerts/${r.id}`)).status).toBe(204);
    const [, resolved] = await receiver.waitFor(2);
    expect(
      checkSignature(resolved?.headers['turnpike-signature'] as string, resolved?.body ?? '', secret).valid,
    ).toBe(true);
    expect(JSON.parse(resolved?.body ?? '{}')).toMatchObject({
      type: 'alert.resolved',
      rule: { id: r.id, name: 'doomed', kind: 'error-rate' },
      reason: 'deleted',
    });
    await evaluator.dispatcher.idle();
    expect(mails.filter((m) => m.to === 'doomed@example.com').map((m) => m.subject)).toEqual([
      '[Turnpike] FIRING: doomed (100 %, threshold 10 %)',
      '[Turnpike] RESOLVED (deleted): doomed (no data, threshold 10 %)',
    ]);
    expect(mails.at(-1)?.text).toContain('the rule was deleted');
    // The history keeps both, by the rule's name too.
    const history = await h.call('GET', '/admin/v1/alert-events?rule=doomed');
    expect(
      history.body.data.map((e: { state: string; reason: string | null }) => [e.state, e.reason]),
    ).toEqual([
      ['resolved', 'deleted'],
      ['firing', null],
    ]);
    expect(history.body.data[0].deliveries).toEqual([
      expect.objectContaining({ channel: 'webhook', target: receiver.url, state: 'delivered' }),
      expect.objectContaining({ channel: 'email', target: 'doomed@example.com', state: 'delivered' }),
    ]);
  });

  it('a rule that is not firing is disabled or deleted without an event', async () => {
    const at = base + 8 * hourMs;
    const r = await rule({ name: 'calm', kind: 'error-rate', threshold: 0.5, minRequests: 1 });
    await traffic(at, { status: 200, count: 2 });
    await tick(at + minuteMs + 1000);
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { enabled: false });
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { enabled: true, scope: {} });
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
    await evaluator.dispatcher.idle();
    expect(await eventsOf(r.id)).toEqual([]);
  });

  it("changing a firing rule's kind resolves it (reason changed); it starts afresh under the new one", async () => {
    const at = base + 9 * hourMs;
    const r = await rule({ name: 'shifting', kind: 'error-rate', threshold: 0.1, minRequests: 1 });
    receiver.calls.length = 0;
    await traffic(at, { status: 500, count: 2, durationMs: 50 });
    await tick(at + minuteMs + 1000);
    // A new threshold alone keeps where it stands.
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { threshold: 0.2 });
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({ state: 'firing' });
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { kind: 'latency', threshold: 1000 });
    const [, resolved] = await receiver.waitFor(2);
    expect(JSON.parse(resolved?.body ?? '{}')).toMatchObject({
      type: 'alert.resolved',
      // As it was when it fired.
      rule: { kind: 'error-rate' },
      threshold: 0.1,
      reason: 'changed',
    });
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({ state: 'unknown' });
    await tick(at + minuteMs + 2000);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({ state: 'ok' });
    expect((await eventsOf(r.id)).map((e) => [e.state, e.reason])).toEqual([
      ['resolved', 'changed'],
      ['firing', null],
    ]);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('quota: a scope change resolves each firing subscription (reason changed) and clears their rows; disabling does too', async () => {
    const plan = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'daily',
      limits: [{ metric: 'hits', period: 'day', max: 10 }],
    });
    const subs = [];
    for (const name of ['scoped-a', 'scoped-b']) {
      const app = await created(h, '/admin/v1/applications', { accountId: c.accountId, name });
      subs.push(await created(h, '/admin/v1/subscriptions', { applicationId: app.id, planId: plan.id }));
    }
    const r = await created(h, '/admin/v1/alerts', {
      name: 'daily-90',
      kind: 'quota',
      threshold: 0.9,
      scope: { planId: plan.id },
      channels: { webhooks: [{ url: receiver.url, secret }] },
    });
    receiver.calls.length = 0;
    const now = Date.now();
    const hour = new Date(Math.floor(now / hourMs) * hourMs).toISOString();
    await recordUsageBatch(h.store.db, {
      id: randomUUID(),
      entries: subs.map((sub) => ({ subscriptionId: sub.id, metric: 'hits', hour, units: 9 })),
    });
    await tick(now);
    await receiver.waitFor(2);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status.firing).toHaveLength(2);

    // The same plan, by account now: another scope, so both resolve and the rule starts afresh.
    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { scope: { planId: plan.id, accountId: c.accountId } });
    const calls = await receiver.waitFor(4);
    const resolved = calls.slice(2).map((call) => JSON.parse(call.body));
    expect(resolved.map((b) => [b.type, b.reason, b.value, b.subject.subscriptionId]).sort()).toEqual(
      subs.map((sub) => ['alert.resolved', 'changed', null, sub.id]).sort(),
    );
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({
      state: 'unknown',
      firing: [],
    });
    // Still over the threshold under the new scope: each fires again, as new.
    await tick(now + 1000);
    await receiver.waitFor(6);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status.firing).toHaveLength(2);

    await h.call('PATCH', `/admin/v1/alerts/${r.id}`, { enabled: false });
    const all = await receiver.waitFor(8);
    expect(all.slice(6).map((call) => JSON.parse(call.body).reason)).toEqual(['disabled', 'disabled']);
    const history = await h.call('GET', `/admin/v1/alert-events?rule=${r.id}&subject=${subs[0]?.id}`);
    expect(
      history.body.data.map((e: { state: string; reason: string | null }) => [e.state, e.reason]),
    ).toEqual([
      ['resolved', 'disabled'],
      ['firing', null],
      ['resolved', 'changed'],
      ['firing', null],
    ]);
    expect(history.body.data[0].subject).toEqual({ subscriptionId: subs[0]?.id });
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('an apply with --prune resolves the rules it deletes; a dry run sends nothing', async () => {
    const at = base + 10 * hourMs;
    const r = await rule({ name: 'pruned', kind: 'error-rate', threshold: 0.1, minRequests: 1 });
    receiver.calls.length = 0;
    await traffic(at, { status: 500, count: 2 });
    await tick(at + minuteMs + 1000);
    await receiver.waitFor(1);
    const doc = (await h.call('GET', '/admin/v1/config')).body;
    doc.alerts = doc.alerts.filter((a: { name: string }) => a.name !== 'pruned');

    const dry = await h.call('POST', '/admin/v1/config?prune=true&dryRun=true', doc);
    expect(dry.body.changes).toContainEqual(expect.objectContaining({ action: 'delete', name: 'pruned' }));
    await evaluator.dispatcher.idle();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.calls).toHaveLength(1);
    expect((await h.call('GET', `/admin/v1/alerts/${r.id}`)).body.status).toMatchObject({ state: 'firing' });
    expect(await eventsOf(r.id)).toHaveLength(1);

    const applied = await h.call('POST', '/admin/v1/config?prune=true', doc);
    expect(applied.body.applied).toBe(true);
    const [, resolved] = await receiver.waitFor(2);
    expect(JSON.parse(resolved?.body ?? '{}')).toMatchObject({
      type: 'alert.resolved',
      rule: { name: 'pruned' },
      reason: 'deleted',
    });
    expect((await eventsOf(r.id)).map((e) => [e.state, e.reason])).toEqual([
      ['resolved', 'deleted'],
      ['firing', null],
    ]);
  });

  it('an evaluation older than the one recorded is dropped (control planes measuring at once)', async () => {
    const at = base + 11 * hourMs;
    const r = await rule({ name: 'raced', kind: 'error-rate', threshold: 0.1, minRequests: 1 });
    await traffic(at, { status: 500, count: 2 });
    await tick(at + minuteMs + 2000);
    // Another control plane measured earlier (before the failures) and got the lock second: what
    // it saw is older than what is recorded, so it does not resolve the alert.
    const older = await evaluateAlerts(h.store.db, new Date(at - 30_000));
    expect(older).toEqual({ evaluated: true, notifications: [] });
    expect(await eventsOf(r.id)).toEqual([expect.objectContaining({ state: 'firing' })]);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it('quota: the usage of all of a rule’s subscriptions is read in one query', async () => {
    const plan = await created(h, '/admin/v1/plans', {
      productId: c.productId,
      name: 'hourly',
      limits: [{ metric: 'hits', period: 'hour', max: 10 }],
    });
    const subs = [];
    for (const name of ['many-a', 'many-b', 'many-c']) {
      const app = await created(h, '/admin/v1/applications', { accountId: c.accountId, name });
      subs.push(await created(h, '/admin/v1/subscriptions', { applicationId: app.id, planId: plan.id }));
    }
    const r = await created(h, '/admin/v1/alerts', {
      name: 'hourly-50',
      kind: 'quota',
      threshold: 0.5,
      scope: { planId: plan.id },
    });
    const now = Date.now();
    const hour = new Date(Math.floor(now / hourMs) * hourMs).toISOString();
    await recordUsageBatch(h.store.db, {
      id: randomUUID(),
      entries: subs.map((sub, i) => ({ subscriptionId: sub.id, metric: 'hits', hour, units: 4 + i })),
    });
    // The same store through a drizzle that counts what reads usage_counts.
    const statements: string[] = [];
    const logger = { logQuery: (query: string) => void statements.push(query) };
    const client = (h.store.db as unknown as { $client: never }).$client;
    const counting = (kind === 'pglite'
      ? drizzlePglite(client, { schema, logger })
      : drizzlePg(client, { schema, logger })) as unknown as Db;
    await evaluateAlerts(counting, new Date(now));
    expect(statements.filter((q) => q.includes('"usage_counts"'))).toHaveLength(1);
    // 5 and 6 of 10 used: two fire.
    expect(
      (await eventsOf(r.id)).map((e) => [e.subject?.subscriptionId, e.value, e.subject?.used]).sort(),
    ).toEqual([
      [subs[1]?.id, 0.5, 5],
      [subs[2]?.id, 0.6, 6],
    ]);
    await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
  });

  it.runIf(kind === 'postgres')(
    'measuring holds no lock; only recording what was measured does',
    async () => {
      const at = base + 12 * hourMs;
      const r = await rule({ name: 'unhurried', kind: 'error-rate', threshold: 0.1, minRequests: 1 });
      await traffic(at, { status: 500, count: 2 });
      // Another session makes reading the rollups wait, so the evaluation stops while measuring.
      const holder = new pg.Client({ connectionString: h.store.location });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('lock table analytics_minutes in access exclusive mode');
        const evaluation = evaluateAlerts(h.store.db, new Date(at + minuteMs + 1000));
        const here = 'database = (select oid from pg_database where datname = current_database())';
        const count = async (where: string) =>
          Number(
            (await holder.query(`select count(*) as n from pg_locks where ${here} and ${where}`)).rows[0].n,
          );
        const deadline = Date.now() + 10_000;
        while ((await count(`not granted and relation = 'analytics_minutes'::regclass`)) === 0) {
          if (Date.now() > deadline) throw new Error('the evaluation never read the rollups');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Waiting there, it has not taken the evaluators' lock: that comes with the short
        // transaction that records what it measured.
        expect(await count(`locktype = 'advisory'`)).toBe(0);
        await holder.query('commit');
        expect((await evaluation).evaluated).toBe(true);
      } finally {
        await holder.end();
      }
      expect(await eventsOf(r.id)).toEqual([expect.objectContaining({ state: 'firing' })]);
      await h.call('DELETE', `/admin/v1/alerts/${r.id}`);
    },
  );

  it.runIf(kind === 'postgres')('only one control plane evaluates at a time', async () => {
    // Another control plane holds the lock (the store's location is its URL; the test server
    // has no password to redact): this one skips the round.
    const holder = new pg.Client({ connectionString: h.store.location });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock(7310226002)');
      expect(await evaluateAlerts(h.store.db, new Date())).toEqual({ evaluated: false, notifications: [] });
      await holder.query('commit');
      expect((await evaluateAlerts(h.store.db, new Date())).evaluated).toBe(true);
    } finally {
      await holder.end();
    }
  });
});
