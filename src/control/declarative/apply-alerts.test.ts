// Alert rules in declarative files, on both stores: applied with scopes by name, exported with
// webhook secrets sealed (never in the clear), apply → export → apply changes nothing and makes
// no revision; the list is left alone when absent, exact with --prune; bad entries are refused at
// their path and change nothing.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestStore, resetStore, storeKinds } from '../../../test/support/databases.ts';
import { seal } from '../../shared/sealed.ts';
import type { Store } from '../../store/db.ts';
import { alertEvents, alertRules } from '../../store/schema/index.ts';
import { unsealedWebhooks } from '../services/alert-webhooks.ts';
import { findAlertRuleRow } from '../services/alerts.ts';
import { currentRevision } from '../services/write.ts';
import { applyDocument } from './apply.ts';
import { type ConfigDocument, configDocument } from './document.ts';
import { exportDocument } from './export.ts';

const secret = 'whsec-declarative-0123456789';

function example(): ConfigDocument {
  return {
    upstreams: [{ name: 'backend', targets: [{ url: 'http://127.0.0.1:9' }] }],
    apis: [
      {
        name: 'weather',
        basePath: '/weather',
        upstream: 'backend',
        routes: [{ name: 'forecast', path: '/forecast' }],
      },
    ],
    products: [
      {
        name: 'weather',
        apis: ['weather'],
        plans: [{ name: 'trial', limits: [{ metric: 'hits', period: 'month', max: 100 }] }],
      },
    ],
    accounts: [{ name: 'acme', applications: [{ name: 'acme-app' }] }],
    alerts: [
      {
        name: 'forecast-errors',
        description: 'Forecasts failing',
        kind: 'error-rate',
        threshold: 0.05,
        statusClass: 'errors',
        scope: { api: 'weather', route: 'forecast' },
        channels: {
          webhooks: [{ url: 'https://hooks.example.com/turnpike', secret }],
          emails: ['ops@example.com'],
        },
      },
      { name: 'trial-quota', kind: 'quota', threshold: 0.8, scope: { product: 'weather', plan: 'trial' } },
      {
        name: 'acme-quiet',
        kind: 'traffic-drop',
        absoluteMinimum: 10,
        windowMinutes: 60,
        repeatMinutes: 120,
        enabled: false,
        scope: { account: 'acme', application: 'acme-app' },
      },
    ],
  };
}

describe.each(storeKinds)('alert rules in declarative files on %s', (kind) => {
  let store: Store;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  beforeEach(async () => {
    await store.db.delete(alertRules);
    await store.db.delete(alertEvents);
    await resetStore(store);
  });
  afterAll(() => store.close());

  const apply = async (doc: ConfigDocument, options = {}) => {
    const result = await applyDocument(store.db, doc, options);
    if (!result.ok) throw new Error(result.problem.detail);
    return result.value.changes.filter((c) => c.kind === 'alert-rule').map((c) => `${c.action} ${c.name}`);
  };
  const refused = async (doc: unknown) => {
    const parsed = configDocument.safeParse(doc);
    if (!parsed.success) return parsed.error.issues.map((i) => i.path.join('.'));
    const result = await applyDocument(store.db, parsed.data);
    if (result.ok) throw new Error('applied');
    return (result.problem.errors ?? []).map((e) => e.path);
  };

  it('applies rules with scopes by name; the export seals secrets; re-applying it changes nothing', async () => {
    expect(await apply(example())).toEqual([
      'create forecast-errors',
      'create trial-quota',
      'create acme-quiet',
    ]);
    const exported = await exportDocument(store.db);
    expect(JSON.stringify(exported)).not.toContain(secret);
    expect(exported.alerts).toEqual([
      {
        name: 'acme-quiet',
        enabled: false,
        kind: 'traffic-drop',
        windowMinutes: 60,
        absoluteMinimum: 10,
        repeatMinutes: 120,
        scope: { account: 'acme', application: 'acme-app' },
      },
      {
        name: 'forecast-errors',
        description: 'Forecasts failing',
        kind: 'error-rate',
        threshold: 0.05,
        statusClass: 'errors',
        scope: { api: 'weather', route: 'forecast' },
        channels: {
          webhooks: [
            { url: 'https://hooks.example.com/turnpike', sealedSecret: expect.stringMatching(/^v1\./) },
          ],
          emails: ['ops@example.com'],
        },
      },
      { name: 'trial-quota', kind: 'quota', threshold: 0.8, scope: { product: 'weather', plan: 'trial' } },
    ]);
    expect(configDocument.safeParse(exported).success).toBe(true);
    const revision = await currentRevision(store.db);
    expect(await apply(exported)).toEqual([]);
    // The plaintext again is the same secret: no change either.
    expect(await apply(example())).toEqual([]);
    expect(await currentRevision(store.db)).toBe(revision);
  });

  it('updates a rule whose file entry differs, a new secret too; changing only rules makes no revision', async () => {
    await apply(example());
    const revision = await currentRevision(store.db);
    const doc = example();
    const rule = doc.alerts?.[0];
    if (rule?.channels?.webhooks?.[0]) {
      rule.channels.webhooks[0].secret = 'another-secret-0123456789';
      rule.threshold = 0.1;
    }
    expect(await apply(doc)).toEqual(['update forecast-errors']);
    const row = await findAlertRuleRow(store.db, 'forecast-errors');
    expect(row).toMatchObject({ threshold: 0.1, statusClass: 'errors' });
    expect(await unsealedWebhooks(store.db, row?.webhooks ?? [])).toEqual([
      { url: 'https://hooks.example.com/turnpike', secret: 'another-secret-0123456789' },
    ]);
    // Fields left out go back to their defaults.
    const plain = example();
    plain.alerts = [{ name: 'forecast-errors', kind: 'error-rate', threshold: 0.1 }];
    expect(await apply(plain)).toEqual(['update forecast-errors']);
    expect(await findAlertRuleRow(store.db, 'forecast-errors')).toMatchObject({
      description: '',
      statusClass: '5xx',
      scope: {},
      webhooks: [],
      emails: [],
    });
    expect(await currentRevision(store.db)).toBe(revision);
  });

  it('leaves the rules alone without `alerts`, even with --prune; with the list and --prune, deletes the others', async () => {
    await apply(example());
    const { alerts: _alerts, ...withoutAlerts } = example();
    expect(await apply(withoutAlerts, { prune: true })).toEqual([]);
    const one = example();
    one.alerts = one.alerts?.slice(1, 2);
    expect(await apply(one)).toEqual([]);
    expect(await apply(one, { prune: true })).toEqual(['delete acme-quiet', 'delete forecast-errors']);
  });

  it('refuses bad entries at their path, and changes nothing', async () => {
    const base = example();
    const entry = (alert: Record<string, unknown>) => ({ ...base, alerts: [alert] });
    expect(await refused(entry({ name: 'x', kind: 'latency', threshold: 10, statusClass: '5xx' }))).toEqual([
      'alerts.0.statusClass',
    ]);
    expect(
      await refused(entry({ name: 'x', kind: 'quota', threshold: 0.8, scope: { api: 'weather' } })),
    ).toEqual(['alerts.0.scope.api']);
    expect(
      await refused(entry({ name: 'x', kind: 'latency', threshold: 10, scope: { route: 'forecast' } })),
    ).toEqual(['alerts.0.scope.route']);
    expect(
      await refused(
        entry({
          name: 'x',
          kind: 'latency',
          threshold: 10,
          channels: { webhooks: [{ url: 'https://h.example.com' }] },
        }),
      ),
    ).toEqual(['alerts.0.channels.webhooks.0']);
    expect(
      await refused(entry({ name: 'x', kind: 'latency', threshold: 10, scope: { api: 'nope' } })),
    ).toEqual(['alerts[0].scope.api']);
    expect(
      await refused(
        entry({ name: 'x', kind: 'latency', threshold: 10, scope: { api: 'weather', route: 'nope' } }),
      ),
    ).toEqual(['alerts[0].scope.route']);
    const foreign = seal(secret, 'another installation’s key');
    expect(
      await refused(
        entry({
          name: 'x',
          kind: 'latency',
          threshold: 10,
          channels: { webhooks: [{ url: 'https://h.example.com', sealedSecret: foreign }] },
        }),
      ),
    ).toEqual(['alerts[0].channels.webhooks[0].sealedSecret']);
    expect(await refused({ ...base, alerts: [base.alerts?.[1], base.alerts?.[1]] })).toEqual([
      'alerts[1].name',
    ]);
    expect(await store.db.select().from(alertRules)).toEqual([]);
  });
});
