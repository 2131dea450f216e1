// GET /metrics on the admin port, on both stores: it takes an admin token of any role, answers
// the Prometheus text format, and counts the admin and portal requests (by route template),
// usage batches, mails, the configuration revision and the snapshot being distributed.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminHarness, startAdmin, testAdminToken } from '../../../test/support/admin.ts';
import { storeKinds } from '../../../test/support/databases.ts';
import { chain, created } from '../../../test/support/fixtures.ts';
import { type PortalHarness, startPortal } from '../../../test/support/portal.ts';
import { createAdminApi } from '../admin-api/server.ts';
import { createMailer } from '../mail/mailer.ts';
import { parseExposition, sampleValue } from './exposition-reader.ts';

describe.each(storeKinds)('GET /metrics on %s', (kind) => {
  let h: AdminHarness;
  let portal: PortalHarness;
  const tokens = { viewer: '', gateway: '' };

  beforeAll(async () => {
    h = await startAdmin(kind);
    portal = await startPortal(h);
    for (const role of ['viewer', 'gateway'] as const)
      tokens[role] = (await created(h, '/admin/v1/tokens', { name: `metrics-${role}`, role }))
        .token as string;
  });
  afterAll(async () => {
    await portal.close();
    await h.close();
  });

  const scrape = async (token = testAdminToken) => {
    const response = await h.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    return parseExposition(response.body);
  };

  it('needs an admin token: 401 problem+json without one or with a wrong one', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer tp_admin_not-a-token' },
      { authorization: 'Basic eDp5' },
    ]) {
      const response = await h.app.inject({ method: 'GET', url: '/metrics', headers });
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="turnpike-admin"');
      expect(response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
      expect(response.body).not.toContain('turnpike_control');
    }
  });

  it('takes a token of any role, and answers the text format 0.0.4 with HELP and TYPE for every family', async () => {
    for (const token of [testAdminToken, tokens.viewer, tokens.gateway]) {
      const response = await h.app.inject({
        method: 'GET',
        url: '/metrics',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      const metrics = parseExposition(response.body);
      expect(metrics.types.get('turnpike_control_http_requests_total')).toBe('counter');
      expect(metrics.types.get('turnpike_control_http_request_duration_seconds')).toBe('histogram');
      expect(metrics.types.get('turnpike_control_config_revision')).toBe('gauge');
      // prom-client's default metrics, unprefixed as on the gateway's status port.
      expect(metrics.types.get('process_cpu_seconds_total')).toBe('counter');
      expect(metrics.types.get('nodejs_heap_size_used_bytes')).toBe('gauge');
    }
  });

  it('counts admin requests by method, route template and status class, never by URL', async () => {
    const before = await scrape();
    const upstream = await created(h, '/admin/v1/upstreams', {
      name: 'metrics-up',
      targets: [{ url: 'http://127.0.0.1:9' }],
    });
    expect((await h.call('GET', `/admin/v1/upstreams/${upstream.id}`)).status).toBe(200);
    expect((await h.call('GET', `/admin/v1/upstreams/${upstream.id}`)).status).toBe(200);
    expect((await h.call('GET', '/admin/v1/upstreams/ups_00000000000000000000000000')).status).toBe(404);
    const bad = await h.app.inject({ method: 'GET', url: '/admin/v1/upstreams' });
    expect(bad.statusCode).toBe(401);

    const after = await scrape();
    const delta = (labels: Record<string, string>, name = 'turnpike_control_http_requests_total') =>
      (sampleValue(after, name, labels) ?? 0) - (sampleValue(before, name, labels) ?? 0);
    const item = { server: 'admin', route: '/admin/v1/upstreams/:upstream' };
    expect(delta({ ...item, method: 'GET', status_class: '2xx' })).toBe(2);
    expect(delta({ ...item, method: 'GET', status_class: '4xx' })).toBe(1);
    expect(
      delta({ server: 'admin', method: 'POST', route: '/admin/v1/upstreams', status_class: '2xx' }),
    ).toBe(1);
    expect(delta({ server: 'admin', method: 'GET', route: '/admin/v1/upstreams', status_class: '4xx' })).toBe(
      1,
    );
    // The histogram has the same requests, by method and route.
    const duration = 'turnpike_control_http_request_duration_seconds_count';
    expect(delta({ ...item, method: 'GET' }, duration)).toBe(3);
    const inf = sampleValue(after, 'turnpike_control_http_request_duration_seconds_bucket', {
      ...item,
      method: 'GET',
      le: '+Inf',
    });
    expect(inf).toBe(sampleValue(after, duration, { ...item, method: 'GET' }));
    // No id, and no label but these.
    expect(after.samples.some((s) => Object.values(s.labels).some((v) => v.includes(upstream.id)))).toBe(
      false,
    );
    for (const s of after.samples.filter((s) => s.name === 'turnpike_control_http_requests_total'))
      expect(Object.keys(s.labels).sort()).toEqual(['method', 'route', 'server', 'status_class']);
    // The scrape counts itself like any request.
    expect(
      sampleValue(after, 'turnpike_control_http_requests_total', {
        server: 'admin',
        method: 'GET',
        route: '/metrics',
        status_class: '2xx',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts portal requests under server="portal"', async () => {
    const before = await scrape();
    const browser = portal.browser();
    const answer = await browser.call('GET', '/portal/v1/apis');
    const after = await scrape();
    const labels = {
      server: 'portal',
      method: 'GET',
      route: '/portal/v1/apis',
      status_class: `${Math.floor(answer.status / 100)}xx`,
    };
    const count = (m: typeof after) => sampleValue(m, 'turnpike_control_http_requests_total', labels) ?? 0;
    expect(count(after) - count(before)).toBe(1);
  });

  it('counts usage batches stored and duplicate, with their entries', async () => {
    const c = await chain(h, 'metered', '/metered');
    const subscription = await created(h, '/admin/v1/subscriptions', {
      applicationId: c.applicationId,
      planId: c.planId,
    });
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000).toISOString();
    const batch = {
      id: randomUUID(),
      entries: [
        { subscriptionId: subscription.id, metric: 'hits', hour, units: 3 },
        { subscriptionId: subscription.id, metric: 'hits', hour, units: 4 },
      ],
    };
    const send = () =>
      h.app.inject({
        method: 'POST',
        url: '/admin/v1/sync/usage',
        headers: { authorization: `Bearer ${tokens.gateway}` },
        payload: batch,
      });
    expect((await send()).json()).toEqual({ stored: true });
    expect((await send()).json()).toEqual({ stored: false });
    const metrics = await scrape();
    const usage = { kind: 'usage', source: 'node' };
    expect(
      sampleValue(metrics, 'turnpike_control_ingest_batches_total', { ...usage, result: 'stored' }),
    ).toBe(1);
    expect(
      sampleValue(metrics, 'turnpike_control_ingest_batches_total', { ...usage, result: 'duplicate' }),
    ).toBe(1);
    expect(
      sampleValue(metrics, 'turnpike_control_ingest_entries_total', { ...usage, result: 'stored' }),
    ).toBe(2);
    expect(
      sampleValue(metrics, 'turnpike_control_ingest_entries_total', { ...usage, result: 'duplicate' }),
    ).toBe(2);
    // The other series are there from the start, at 0.
    for (const [source, result] of [
      ['node', 'refused'],
      ['node', 'failed'],
      ['local', 'stored'],
    ] as const)
      expect(
        sampleValue(metrics, 'turnpike_control_ingest_batches_total', { kind: 'usage', source, result }),
      ).toBe(0);
  });

  it('counts mails sent and failed, into the outbox and through SMTP', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'turnpike-metrics-mail-'));
    try {
      const logger = pino({ level: 'silent' });
      const mail = { to: 'dev@example.com', subject: 'Hello', text: 'Hello' };
      const outbox = createMailer({ smtpUrl: undefined, from: 'a@example.com' }, { dataDir, logger });
      await outbox.send(mail);
      // A file where the outbox folder should be: writing fails.
      const blocked = join(dataDir, 'blocked');
      writeFileSync(blocked, '');
      const broken = createMailer(
        { smtpUrl: undefined, from: 'a@example.com' },
        { dataDir: blocked, logger },
      );
      await expect(broken.send(mail)).rejects.toThrow();
      // Nothing listens on port 1.
      const smtp = createMailer(
        { smtpUrl: 'smtp://127.0.0.1:1', from: 'a@example.com' },
        { dataDir, logger },
      );
      await expect(smtp.send(mail)).rejects.toThrow();
      await smtp.close();

      const metrics = await scrape();
      const mails = 'turnpike_control_mails_total';
      expect(sampleValue(metrics, mails, { transport: 'outbox', result: 'sent' })).toBe(1);
      expect(sampleValue(metrics, mails, { transport: 'outbox', result: 'failed' })).toBe(1);
      expect(sampleValue(metrics, mails, { transport: 'smtp', result: 'failed' })).toBe(1);
      expect(sampleValue(metrics, mails, { transport: 'smtp', result: 'sent' })).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reads the configuration revision, the store and its pool at scrape time', async () => {
    const revision = (await h.call('GET', '/admin/v1/status')).body.revision as number;
    expect(revision).toBeGreaterThan(0);
    const metrics = await scrape();
    expect(sampleValue(metrics, 'turnpike_control_config_revision')).toBe(revision);
    expect(sampleValue(metrics, 'turnpike_control_store_up')).toBe(1);
    expect(sampleValue(metrics, 'turnpike_control_info', { store: kind })).toBe(1);
    const pool = sampleValue(metrics, 'turnpike_control_db_pool_connections', { state: 'idle' });
    if (kind === 'postgres') {
      expect(pool).toBeGreaterThanOrEqual(0);
      expect(sampleValue(metrics, 'turnpike_control_db_pool_waiting_queries')).toBe(0);
    } else expect(pool).toBeUndefined();
    // The admin server built by the harness has no distributor: no snapshot gauges.
    expect(metrics.types.has('turnpike_control_snapshot_version')).toBe(false);
  });

  it('is left out of the OpenAPI document, like the port’s other paths outside /admin/v1', async () => {
    const document = (await h.call('GET', '/admin/v1/openapi.json')).body as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(document.paths)).not.toContain('/metrics');
    expect(Object.keys(document.paths).every((path) => path.startsWith('/admin/v1/'))).toBe(true);
  });

  it('with a distributor: the snapshot distributed, when it was built, and the long polls waiting', async () => {
    // A second admin server on the same store, given the harness's distributor as the control plane does.
    const app = await createAdminApi({
      db: h.store.db,
      logger: pino({ level: 'silent' }),
      store: h.store.kind,
      envTokenHash: undefined,
      changed: () => h.distributor.changed(),
      snapshotVersion: () => h.distributor.latest?.version,
      distributor: h.distributor,
    });
    try {
      const read = async () => {
        const response = await app.inject({
          method: 'GET',
          url: '/metrics',
          headers: { authorization: `Bearer ${tokens.viewer}` },
        });
        return parseExposition(response.body);
      };
      await h.distributor.changed();
      const latest = h.distributor.latest;
      if (!latest) throw new Error('no snapshot');
      let metrics = await read();
      expect(sampleValue(metrics, 'turnpike_control_snapshot_version')).toBe(latest.version);
      expect(sampleValue(metrics, 'turnpike_control_snapshot_timestamp_seconds')).toBe(
        Date.parse(latest.createdAt) / 1000,
      );
      expect(sampleValue(metrics, 'turnpike_control_sync_waiting_requests')).toBe(0);

      // A data-plane node's long poll waits for a change.
      const poll = app.inject({
        method: 'GET',
        url: `/admin/v1/sync?version=${latest.version}&wait=10000`,
        headers: { authorization: `Bearer ${tokens.gateway}` },
      });
      await expect
        .poll(async () => sampleValue(await read(), 'turnpike_control_sync_waiting_requests'))
        .toBe(1);
      await created(h, '/admin/v1/upstreams', {
        name: 'metrics-poll',
        targets: [{ url: 'http://127.0.0.1:9' }],
      });
      expect((await poll).statusCode).toBe(200);
      metrics = await read();
      expect(sampleValue(metrics, 'turnpike_control_sync_waiting_requests')).toBe(0);
      expect(sampleValue(metrics, 'turnpike_control_snapshot_version')).toBe(latest.version + 1);
      expect(
        sampleValue(metrics, 'turnpike_control_http_request_duration_seconds_count', {
          server: 'admin',
          method: 'GET',
          route: '/admin/v1/sync',
        }),
      ).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
    }
  });
});
