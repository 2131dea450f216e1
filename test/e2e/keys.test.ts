// User story: "I create an API key for an application; I see it once, it starts with tp_live_
// and carries a checksum; Turnpike keeps only its hash. The gateway rejects a mistyped key before
// looking it up, an unknown or expired one with its own code, and a deleted key at once."
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../src/shared/secrets.ts';
import { AdminClient, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, runCli, startTurnpike } from '../support/cli.ts';
import { foundInFiles, readAllRows } from '../support/data-dir.ts';
import { expectProblem, send, within } from '../support/http.ts';
import { sha256 } from '../support/upstream.ts';

const keyShape = /^tp_live_[0-9A-Za-z]{36}$/;
const base62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The key with the character at `index` replaced by another base62 character. */
function changeOneChar(key: string, index: number): string {
  const old = key[index] ?? '0';
  const next = base62[(base62.indexOf(old) + 1) % base62.length] ?? '0';
  return key.slice(0, index) + next + key.slice(index + 1);
}

describe('API keys', () => {
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let applicationId = '';
  /** Keys shown by the admin API during the test; none may reach the disk. */
  const plaintexts: string[] = [];
  let kept: { id: string; key: string } = { id: '', key: '' };
  /** Keys deleted during the test: their rows are gone. */
  const deleted: string[] = [];

  const call = (key: string | undefined) =>
    send(`${tp.gateway}/keys/v1/whoami`, { headers: key === undefined ? {} : { 'x-api-key': key } });

  const keyPath = (id: string) => `/applications/${applicationId}/keys/${id}`;
  /** Every one of `n` calls (spread over both workers) answers `status`. */
  async function allAnswer(key: string, status: number, n = 20) {
    const statuses = await Promise.all(Array.from({ length: n }, async () => (await call(key)).status));
    expect(statuses).toEqual(Array(n).fill(status));
  }

  beforeAll(async () => {
    // Two workers: a revocation must reach each of them.
    tp = await startTurnpike({ args: ['--workers', '2'], env: { TURNPIKE_KEY_USAGE_INTERVAL_MS: '200' } });
    admin = new AdminClient(tp.admin, tp.token);
    const upstream = await admin.create('/upstreams', {
      name: 'echo',
      targets: [{ url: `${tp.status}/echo` }],
    });
    const api = await admin.create('/apis', { name: 'keys', basePath: '/keys/v1', upstreamId: upstream.id });
    await admin.create(`/apis/${api.id}/routes`, { name: 'whoami', methods: ['GET'], path: '/whoami' });
    const planId = await provisionPlan(admin, 'keys', [api.id]);
    const account = await admin.create('/accounts', { name: 'acme' });
    const application = await admin.create('/applications', { accountId: account.id, name: 'acme-app' });
    applicationId = application.id;
    await admin.create('/subscriptions', { applicationId, planId });
  });

  afterAll(async () => {
    await tp?.stop();
    if (tp) removeDir(tp.dataDir);
  });

  it('shows a new key once, as tp_live_ with a 12-character prefix, and never again', async () => {
    const created = await admin.call('POST', `/applications/${applicationId}/keys`, { label: 'ci' });
    expect(created.status).toBe(201);
    const { key, id, prefix } = created.body;
    expect(key).toMatch(keyShape);
    expect(id).toMatch(/^key_[0-9a-z]{26}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(created.body).toMatchObject({ applicationId, label: 'ci', expiresAt: null });
    expect(created.headers.get('location')).toBe(`/admin/v1/applications/${applicationId}/keys/${id}`);
    plaintexts.push(key);
    kept = { id, key };

    const one = await admin.call('GET', `/applications/${applicationId}/keys/${id}`);
    expect(one.status).toBe(200);
    expect(one.body).toEqual({
      id,
      applicationId,
      prefix: key.slice(0, 12),
      label: 'ci',
      status: 'active',
      expiresAt: null,
      revokedAt: null,
      lastUsedAt: null,
      rotatedFrom: null,
      createdAt: expect.any(String),
    });
    const list = await admin.call('GET', `/applications/${applicationId}/keys`);
    const config = await admin.call('GET', '/config');
    for (const response of [one, list, config]) {
      expect(JSON.stringify(response.body)).not.toContain(key);
      expect(JSON.stringify(response.body)).not.toContain(key.slice(12));
    }
    // The export names the key by its hash.
    expect(JSON.stringify(config.body)).toContain(sha256(key));
  });

  it('lets the new key through the gateway at once', async () => {
    const response = await call(kept.key);
    expect(response.status, response.text).toBe(200);
    expect(response.json().headers['x-consumer-application']).toBe(applicationId);
  });

  it('records when a key was last used, from what the gateway workers report', async () => {
    const unused = await admin.create(`/applications/${applicationId}/keys`, { label: 'unused' });
    plaintexts.push(unused.key);
    const before = Date.now();
    await allAnswer(kept.key, 200);
    await within(3000, async () => (await admin.call('GET', keyPath(kept.id))).body.lastUsedAt !== null);
    const lastUsed = Date.parse((await admin.call('GET', keyPath(kept.id))).body.lastUsedAt);
    expect(lastUsed).toBeGreaterThanOrEqual(before - 1000);
    expect(lastUsed).toBeLessThanOrEqual(Date.now());
    expect((await admin.call('GET', keyPath(unused.id))).body.lastUsedAt).toBeNull();
  });

  it('refuses malformed keys with 401 key-malformed', async () => {
    const key = kept.key;
    const malformed = [
      changeOneChar(key, 20), // a typo in the body: the checksum no longer holds
      changeOneChar(key, key.length - 1), // a typo in the checksum
      `tp_prod_${key.slice(8)}`, // an unknown prefix
      `TP_LIVE_${key.slice(8)}`,
      key.slice(0, -1), // too short
      `${key}0`, // too long
      'tp_live_',
      'secret',
      ` ${key}`.slice(0, 44), // shifted by a space
    ];
    for (const candidate of malformed) {
      const response = await call(candidate);
      expectProblem(response, 401, 'key-malformed');
      expect(response.headers['www-authenticate']).toBe('Key header="X-API-Key"');
    }
  });

  it('refuses an unknown well-formed key with 401 key-invalid, and a missing one with key-missing', async () => {
    expectProblem(await call(generateApiKey()), 401, 'key-invalid');
    expectProblem(await call(generateApiKey('test')), 401, 'key-invalid');
    // The same body under the test prefix is well-formed but a different key.
    expectProblem(await call(`tp_test_${kept.key.slice(8)}`), 401, 'key-invalid');
    expectProblem(await call(undefined), 401, 'key-missing');
    expectProblem(await call(''), 401, 'key-missing');
  });

  it('refuses an expired key with 401 key-expired, and takes it back when the expiry is lifted', async () => {
    const created = await admin.create(`/applications/${applicationId}/keys`, { label: 'expiring' });
    plaintexts.push(created.key);
    expect((await call(created.key)).status).toBe(200);

    const past = new Date(Date.now() - 60_000).toISOString();
    const changed = await admin.update(`/applications/${applicationId}/keys/${created.id}`, {
      expiresAt: past,
    });
    expect(changed.expiresAt).toBe(past);
    expectProblem(await call(created.key), 401, 'key-expired');

    await admin.update(`/applications/${applicationId}/keys/${created.id}`, { expiresAt: null });
    expect((await call(created.key)).status).toBe(200);

    // A key created with an expiry a moment ahead stops working once it passes, without any change.
    const soon = new Date(Date.now() + 2500).toISOString();
    const shortLived = await admin.create(`/applications/${applicationId}/keys`, { expiresAt: soon });
    plaintexts.push(shortLived.key);
    expect((await call(shortLived.key)).status).toBe(200);
    await within(8000, async () => (await call(shortLived.key)).status === 401);
    expectProblem(await call(shortLived.key), 401, 'key-expired');
  });

  it('refuses a deleted key within one second of the DELETE', async () => {
    const created = await admin.create(`/applications/${applicationId}/keys`, { label: 'doomed' });
    plaintexts.push(created.key);
    expect((await call(created.key)).status).toBe(200);
    const response = await admin.call('DELETE', `/applications/${applicationId}/keys/${created.id}`);
    expect(response.status).toBe(204);
    deleted.push(created.key);
    const took = await within(1000, async () => (await call(created.key)).status === 401);
    expect(took).toBeLessThan(1000);
    expectProblem(await call(created.key), 401, 'key-invalid');
    expect((await admin.call('GET', `/applications/${applicationId}/keys/${created.id}`)).status).toBe(404);
    // Other keys of the application are untouched.
    expect((await call(kept.key)).status).toBe(200);
  });

  it('rotates a key: both work during the grace period, then only the new one', async () => {
    const old = await admin.create(`/applications/${applicationId}/keys`, { label: 'rotating' });
    plaintexts.push(old.key);
    const rotated = await admin.call('POST', `${keyPath(old.id)}/rotate`, { gracePeriodSeconds: 2 });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(201);
    const fresh = rotated.body;
    plaintexts.push(fresh.key);
    expect(fresh).toMatchObject({
      label: 'rotating',
      status: 'active',
      rotatedFrom: old.id,
      expiresAt: null,
    });
    expect(fresh.key).toMatch(keyShape);
    expect(rotated.headers.get('location')).toBe(`/admin/v1${keyPath(fresh.id)}`);
    const oldNow = (await admin.call('GET', keyPath(old.id))).body;
    expect(oldNow.status).toBe('active');
    expect(Math.abs(Date.parse(oldNow.expiresAt) - (Date.now() + 2000))).toBeLessThan(1500);
    await allAnswer(old.key, 200);
    await allAnswer(fresh.key, 200);
    await within(5000, async () => (await call(old.key)).status === 401);
    expectProblem(await call(old.key), 401, 'key-expired');
    await allAnswer(fresh.key, 200);
    expect((await admin.call('GET', keyPath(old.id))).body.status).toBe('expired');
  });

  it('rotates with no grace period: the old key is refused within a second', async () => {
    const old = await admin.create(`/applications/${applicationId}/keys`, { label: 'leaked' });
    plaintexts.push(old.key);
    const rotated = await admin.call('POST', `${keyPath(old.id)}/rotate`, {
      gracePeriodSeconds: 0,
      label: 'replacement',
    });
    plaintexts.push(rotated.body.key);
    expect(rotated.body.label).toBe('replacement');
    expect(await within(1000, async () => (await call(old.key)).status === 401)).toBeLessThan(1000);
    await allAnswer(old.key, 401);
    await allAnswer(rotated.body.key, 200);
  });

  it('rotates a key from the command line with turnpike admin, and reports a refusal readably', async () => {
    const old = await admin.create(`/applications/${applicationId}/keys`, { label: 'from-cli' });
    plaintexts.push(old.key);
    const flags = ['--admin-url', tp.admin, '--token', tp.token];
    const body = JSON.stringify({ gracePeriodSeconds: 0, label: 'cli-replacement' });
    const rotated = await runCli(['admin', 'POST', `${keyPath(old.id)}/rotate`, '-d', body, ...flags]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const issued = JSON.parse(rotated.stdout);
    plaintexts.push(issued.key);
    expect(issued).toMatchObject({ label: 'cli-replacement', rotatedFrom: old.id });
    await within(1000, async () => (await call(old.key)).status === 401);
    await allAnswer(issued.key, 200);
    const revoked = await runCli(['admin', 'POST', `${keyPath(issued.id)}/revoke`, ...flags]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(JSON.parse(revoked.stdout)).toMatchObject({ status: 'revoked' });
    const again = await runCli(['admin', 'POST', `${keyPath(issued.id)}/revoke`, ...flags]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/State change not allowed/);
    const audit = await admin.call('GET', `/audit-events?objectId=${old.id}&action=rotate`);
    expect(audit.body.data[0]).toMatchObject({ via: 'cli' });
  });

  it('a rotation never lengthens the old key’s life', async () => {
    const soon = new Date(Date.now() + 60_000).toISOString();
    const old = await admin.create(`/applications/${applicationId}/keys`, { expiresAt: soon });
    plaintexts.push(old.key);
    const rotated = await admin.call('POST', `${keyPath(old.id)}/rotate`, { gracePeriodSeconds: 86_400 });
    plaintexts.push(rotated.body.key);
    expect((await admin.call('GET', keyPath(old.id))).body.expiresAt).toBe(soon);
    const bad = await admin.call('POST', `${keyPath(old.id)}/rotate`, { gracePeriodSeconds: -1 });
    expect([bad.status, bad.body.errors?.[0]?.path]).toEqual([400, 'body.gracePeriodSeconds']);
  });

  it('revokes a key: every worker refuses it within a second; it stays listed, and revocation is final', async () => {
    const created = await admin.create(`/applications/${applicationId}/keys`, { label: 'revoked' });
    plaintexts.push(created.key);
    await allAnswer(created.key, 200);
    const revoked = await admin.call('POST', `${keyPath(created.id)}/revoke`);
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const took = await within(1000, async () => (await call(created.key)).status === 401);
    expect(took).toBeLessThan(1000);
    await allAnswer(created.key, 401);
    expectProblem(await call(created.key), 401, 'key-invalid');
    const listed = (await admin.call('GET', `/applications/${applicationId}/keys?limit=200`)).body.data;
    expect(listed.find((k: { id: string }) => k.id === created.id).status).toBe('revoked');
    for (const [method, suffix, body] of [
      ['POST', '/revoke', undefined],
      ['POST', '/rotate', {}],
      ['PATCH', '', { expiresAt: null }],
    ] as const) {
      const refused = await admin.call(method, `${keyPath(created.id)}${suffix}`, body);
      expect([method + suffix, refused.status, refused.body.code]).toEqual([
        method + suffix,
        409,
        'invalid-transition',
      ]);
    }
    // The export marks it revoked, and applying the export changes nothing.
    const exported = (await admin.call('GET', '/config')).body;
    const inFile = exported.accounts[0].applications[0].keys.find(
      (k: { hash: string }) => k.hash === sha256(created.key),
    );
    expect(inFile).toMatchObject({ revoked: true, label: 'revoked' });
    const again = await admin.call('POST', '/config', exported);
    expect(again.body).toEqual({ applied: false, changes: [] });
    // A file that would bring it back is refused, naming the field.
    delete inFile.revoked;
    const reinstate = await admin.call('POST', '/config', exported);
    expect(reinstate.status).toBe(400);
    expect(reinstate.body.errors[0].path).toMatch(/^accounts\[0\]\.applications\[0\]\.keys\[\d+\]\.revoked$/);
    await allAnswer(created.key, 401);
  });

  it('rejects a malformed key given to the admin API, and registers nothing', async () => {
    const before = await admin.call('GET', `/applications/${applicationId}/keys`);
    const bad = await admin.call('POST', `/applications/${applicationId}/keys`, {
      key: changeOneChar(kept.key, 20),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('validation-failed');
    expect(bad.body.errors).toEqual([expect.objectContaining({ path: 'body.key' })]);
    const duplicate = await admin.call('POST', `/applications/${applicationId}/keys`, { key: kept.key });
    expect(duplicate.status).toBe(409);
    const after = await admin.call('GET', `/applications/${applicationId}/keys`);
    // Same keys (their last-used times may move meanwhile: the gateways report use).
    const ids = (page: { body: { data: { id: string }[] } }) => page.body.data.map((k) => k.id);
    expect(ids(after)).toEqual(ids(before));
  });

  it('stored only the SHA-256 hash and the prefix of each key, nowhere the key itself', async () => {
    expect(await tp.stop()).toBe(0);
    const rows = await readAllRows(tp.dataDir);
    const row = rows.api_keys?.find((r) => r.id === kept.id);
    expect(row).toMatchObject({ hash: sha256(kept.key), prefix: kept.key.slice(0, 12), label: 'ci' });
    expect(row?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows.api_keys?.map((r) => r.hash).sort()).toEqual(
      plaintexts
        .filter((key) => !deleted.includes(key))
        .map(sha256)
        .sort(),
    );
    const everything = JSON.stringify(rows);
    const secrets = plaintexts.flatMap((key) => [key, key.slice(12)]); // also the secret part alone
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The raw database files: a stored value is found (so the search works), no key is.
    const found = foundInFiles(tp.dataDir, [sha256(kept.key), ...secrets]);
    expect(found).toEqual([sha256(kept.key)]);
  });
});
