// The alert rules API on both stores: a rule's fields are checked for its kind (also after an
// update), bad input is a 400 naming the field that changes nothing, references must exist,
// webhook secrets go in and never come out (not in answers, lists, the audit trail or the
// export), the test call delivers a signed webhook, and rules make no configuration revision.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { type Chain, chain } from '../../../test/support/fixtures.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../alerts/testing.ts';

const secret = 'a-webhook-secret-of-some-length';

describe.each(storeKinds)('alert rules API on %s', (kind) => {
  let h: AdminHarness;
  let c: Chain;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    h = await startAdmin(kind);
    c = await chain(h, 'watched', '/watched');
    receiver = await startWebhookReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await h?.close();
  });

  const count = async () => (await h.call('GET', '/admin/v1/alerts?limit=200')).body.data.length;

  it('creates a rule with the defaults of its kind and never shows the secret', async () => {
    const revision = (await h.call('GET', '/admin/v1/status')).body.revision;
    const response = await h.call('POST', '/admin/v1/alerts', {
      name: 'checkout-errors',
      kind: 'error-rate',
      threshold: 0.05,
      scope: { apiId: c.apiId },
      channels: { webhooks: [{ url: receiver.url, secret }], emails: ['ops@example.com'] },
    });
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`/admin/v1/alerts/${response.body.id}`);
    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^alr_/),
      name: 'checkout-errors',
      description: '',
      enabled: true,
      kind: 'error-rate',
      windowMinutes: 5,
      threshold: 0.05,
      statusClass: '5xx',
      percentile: null,
      minRequests: 10,
      absoluteMinimum: null,
      repeatMinutes: null,
      scope: { apiId: c.apiId },
      channels: { webhooks: [{ url: receiver.url }], emails: ['ops@example.com'] },
      status: { state: 'unknown', firing: [] },
    });
    const byName = await h.call('GET', '/admin/v1/alerts/checkout-errors');
    const list = await h.call('GET', '/admin/v1/alerts?kind=error-rate');
    const audit = await h.call('GET', `/admin/v1/audit-events?objectId=${response.body.id}`);
    expect(audit.body.data).toEqual([
      expect.objectContaining({ action: 'create', objectType: 'alert-rule' }),
    ]);
    const exported = await h.call('GET', '/admin/v1/config');
    for (const shown of [response.body, byName.body, list.body, audit.body, exported.body])
      expect(JSON.stringify(shown)).not.toContain(secret);
    // Not gateway configuration.
    expect((await h.call('GET', '/admin/v1/status')).body.revision).toBe(revision);
  });

  it.each([
    [{ kind: 'error-rate' }, 'body.threshold'],
    [{ kind: 'error-rate', threshold: 1.5 }, 'body.threshold'],
    [{ kind: 'error-rate', threshold: 0.1, percentile: 'p99' }, 'body.percentile'],
    [{ kind: 'latency', threshold: 100, statusClass: '5xx' }, 'body.statusClass'],
    [{ kind: 'latency' }, 'body.threshold'],
    [{ kind: 'traffic-drop', windowMinutes: 30 }, 'body.threshold'],
    [{ kind: 'traffic-drop', threshold: 2 }, 'body.threshold'],
    [{ kind: 'quota', threshold: 0.8, windowMinutes: 60 }, 'body.windowMinutes'],
    [
      { kind: 'quota', threshold: 0.8, scope: { apiId: 'api_01jzzzzzzzzzzzzzzzzzzzzzzz' } },
      'body.scope.apiId',
    ],
    [{ kind: 'latency', threshold: 100, windowMinutes: 0 }, 'body.windowMinutes'],
    [{ kind: 'latency', threshold: 100, repeatMinutes: 1 }, 'body.repeatMinutes'],
    [{ kind: 'panic', threshold: 1 }, 'body.kind'],
    [
      { kind: 'latency', threshold: 100, channels: { webhooks: [{ url: 'ftp://example.com', secret }] } },
      'body.channels.webhooks[0].url',
    ],
    [
      {
        kind: 'latency',
        threshold: 100,
        channels: { webhooks: [{ url: 'https://u:p@example.com', secret }] },
      },
      'body.channels.webhooks[0].url',
    ],
    [
      {
        kind: 'latency',
        threshold: 100,
        channels: { webhooks: [{ url: 'https://example.com', secret: 'short' }] },
      },
      'body.channels.webhooks[0].secret',
    ],
    [
      { kind: 'latency', threshold: 100, channels: { webhooks: [{ url: 'https://example.com' }] } },
      'body.channels.webhooks[0].secret',
    ],
    [
      { kind: 'latency', threshold: 100, channels: { emails: ['not an address'] } },
      'body.channels.emails[0]',
    ],
    [
      { kind: 'latency', threshold: 100, channels: { emails: ['a@example.com', 'a@example.com'] } },
      'body.channels.emails[1]',
    ],
    [{ kind: 'latency', threshold: 100, colour: 'red' }, 'body'],
  ])('refuses %j naming %s, and creates nothing', async (body, path) => {
    const before = await count();
    const response = await h.call('POST', '/admin/v1/alerts', { name: 'bad', ...body });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.code).toBe('validation-failed');
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(await count()).toBe(before);
  });

  it('refuses a scope naming nothing (422), a taken name (409)', async () => {
    const missing = await h.call('POST', '/admin/v1/alerts', {
      name: 'ghost',
      kind: 'latency',
      threshold: 100,
      scope: { applicationId: 'app_01jzzzzzzzzzzzzzzzzzzzzzzz' },
    });
    expect([missing.status, missing.body.code]).toEqual([422, 'reference-not-found']);
    expect(missing.body.errors).toEqual([{ path: 'body.scope.applicationId', message: expect.any(String) }]);
    const taken = await h.call('POST', '/admin/v1/alerts', {
      name: 'checkout-errors',
      kind: 'latency',
      threshold: 1,
    });
    expect([taken.status, taken.body.code]).toEqual([409, 'conflict']);
  });

  it('updates: keeps a stored secret for a URL given without one, wants one for a new URL, checks the result', async () => {
    const path = '/admin/v1/alerts/checkout-errors';
    const renamed = await h.call('PATCH', path, {
      description: 'Checkout fails',
      channels: { webhooks: [{ url: receiver.url }] },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      description: 'Checkout fails',
      channels: { webhooks: [{ url: receiver.url }] },
    });
    // The kept secret still signs: a test call verifies with it.
    receiver.calls.length = 0;
    const test = await h.call('POST', `${path}/test`);
    expect(test.status).toBe(200);
    expect(test.body.deliveries).toEqual([
      expect.objectContaining({
        channel: 'webhook',
        target: receiver.url,
        state: 'delivered',
        statusCode: 200,
      }),
      // No mailer in an admin API alone.
      expect.objectContaining({ channel: 'email', target: 'ops@example.com', state: 'failed' }),
    ]);
    const [call] = await receiver.waitFor(1);
    const { t, v1 } = Object.fromEntries(
      String(call?.headers['turnpike-signature'])
        .split(',')
        .map((p) => p.split('=')),
    );
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${call?.body}`).digest('hex'));
    expect(JSON.parse(call?.body ?? '{}')).toMatchObject({
      id: test.body.id,
      type: 'alert.test',
      rule: { name: 'checkout-errors', kind: 'error-rate' },
    });
    expect(call?.headers['turnpike-event-id']).toBe(test.body.id);

    const newUrl = await h.call('PATCH', path, {
      channels: { webhooks: [{ url: 'https://hooks.example.com/x' }] },
    });
    expect(newUrl.status).toBe(400);
    expect(newUrl.body.errors).toEqual([
      { path: 'body.channels.webhooks[0].secret', message: 'required for a new webhook URL' },
    ]);
    // Another kind drops the old kind's fields; its own must then be given.
    const noThreshold = await h.call('PATCH', path, { kind: 'latency' });
    expect(noThreshold.body.errors?.map((e: { path: string }) => e.path)).toEqual(['body.threshold']);
    const wrongField = await h.call('PATCH', path, { percentile: 'p99' });
    expect(wrongField.body.errors?.map((e: { path: string }) => e.path)).toEqual(['body.percentile']);
    const unchanged = await h.call('GET', path);
    expect(unchanged.body).toMatchObject({
      kind: 'error-rate',
      threshold: 0.05,
      description: 'Checkout fails',
    });

    const latency = await h.call('PATCH', path, { kind: 'latency', threshold: 250, percentile: 'p99' });
    expect(latency.status).toBe(200);
    expect(latency.body).toMatchObject({
      kind: 'latency',
      threshold: 250,
      percentile: 'p99',
      statusClass: null,
      minRequests: 10,
      windowMinutes: 5,
    });
    const reset = await h.call('PATCH', path, { percentile: null, windowMinutes: 15, repeatMinutes: 60 });
    expect(reset.body).toMatchObject({ percentile: 'p95', windowMinutes: 15, repeatMinutes: 60 });
    const audit = await h.call('GET', `/admin/v1/audit-events?objectId=${latency.body.id}`);
    expect(JSON.stringify(audit.body)).not.toContain(secret);
  });

  it('test: a rule without channels answers no deliveries; an unknown rule is a 404', async () => {
    await h.call('POST', '/admin/v1/alerts', {
      name: 'quiet-rule',
      kind: 'traffic-drop',
      absoluteMinimum: 1,
    });
    expect((await h.call('POST', '/admin/v1/alerts/quiet-rule/test')).body.deliveries).toEqual([]);
    expect((await h.call('POST', '/admin/v1/alerts/nothing/test')).status).toBe(404);
  });

  it('deletes a rule; its history stays', async () => {
    expect((await h.call('DELETE', '/admin/v1/alerts/quiet-rule')).status).toBe(204);
    expect((await h.call('GET', '/admin/v1/alerts/quiet-rule')).status).toBe(404);
    expect((await h.call('GET', '/admin/v1/alert-events')).body).toEqual({ data: [], next: null });
    expect((await h.call('GET', '/admin/v1/alert-events/ale_01jzzzzzzzzzzzzzzzzzzzzzzz')).status).toBe(404);
  });

  it('is described in the OpenAPI document under Alerts', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/admin/v1/openapi.json' })).json();
    expect(doc.tags.map((t: { name: string }) => t.name)).toContain('Alerts');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/admin/v1/alerts',
        '/admin/v1/alerts/{alert}',
        '/admin/v1/alerts/{alert}/test',
        '/admin/v1/alert-events',
        '/admin/v1/alert-events/{event}',
      ]),
    );
    const schema = JSON.stringify(doc.components.schemas.AlertRule);
    expect(schema).not.toContain('secret"');
    // A resolved event says why when no measurement made it (disabled, deleted, changed).
    expect(doc.components.schemas.AlertEvent.properties.reason).toMatchObject({
      anyOf: expect.arrayContaining([expect.objectContaining({ enum: ['disabled', 'deleted', 'changed'] })]),
    });
  });
});
