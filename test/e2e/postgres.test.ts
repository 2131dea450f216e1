// The same core flow on PostgreSQL (TURNPIKE_DATABASE_URL): migrations by `turnpike migrate` and
// on start, the admin API, apply/export, a key at the gateway, a restart that keeps everything,
// and readable errors for a database that cannot be used.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  type RunningTurnpike,
  removeDir,
  runCli,
  startTurnpike,
  tempDir,
} from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const databases: TestDatabase[] = [];
const running: RunningTurnpike[] = [];
let dir = '';
// An upstream of the test's own that outlives restarts of turnpike (whose ports change).
let upstream: Server | undefined;
let upstreamUrl = '';

beforeAll(async () => {
  dir = tempDir('turnpike-e2e-pg-');
  upstream = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, path: req.url }));
  });
  await new Promise<void>((resolve) => upstream?.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const tp of running) {
    await tp.stop();
    removeDir(tp.dataDir);
  }
  for (const database of databases) await database.drop();
  if (dir) removeDir(dir);
  await new Promise((resolve) => upstream?.close(resolve));
});

async function database(): Promise<TestDatabase> {
  const created = await createTestDatabase();
  databases.push(created);
  return created;
}

async function start(url: string, env: Record<string, string> = {}): Promise<RunningTurnpike> {
  const tp = await startTurnpike({ env: { TURNPIKE_DATABASE_URL: url, ...env } });
  running.push(tp);
  return tp;
}

async function stop(tp: RunningTurnpike): Promise<void> {
  expect(await tp.stop()).toBe(0);
  running.splice(running.indexOf(tp), 1);
  removeDir(tp.dataDir);
}

async function query<T>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

const tables = (url: string) =>
  query<{ tablename: string }>(
    url,
    "select tablename from pg_tables where schemaname = 'public' order by 1",
  ).then((rows) => rows.map((r) => r.tablename));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A failure a person can act on: exit 1, `turnpike: …`, no stack trace. */
function expectReadableFailure(result: CliResult, message: RegExp): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^turnpike: /);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  expect(result.stdout).not.toContain('is running');
}

describe('turnpike migrate', () => {
  it('migrates an empty database, and running it again changes nothing', async () => {
    const db = await database();
    expect(await tables(db.url)).toEqual([]);
    const first = await runCli(['migrate', '--database-url', db.url]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^The database is up to date \(postgres: /);
    const after = await tables(db.url);
    expect(after).toEqual(
      expect.arrayContaining(['upstreams', 'apis', 'routes', 'products', 'plans', 'accounts']),
    );
    expect(after).toEqual(expect.arrayContaining(['applications', 'api_keys', 'subscriptions']));

    const second = await runCli(['migrate'], { TURNPIKE_DATABASE_URL: db.url });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^The database is up to date/);
    expect(await tables(db.url)).toEqual(after);
  });

  it('runs from several processes at once without tripping over each other', async () => {
    const db = await database();
    const results = await Promise.all([1, 2, 3].map(() => runCli(['migrate', '--database-url', db.url])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
  });

  it('does not print the password of the URL', async () => {
    const db = await database();
    const url = new URL(db.url);
    url.password = 'sekret-pw-123';
    // The development server trusts local connections, so any password is accepted.
    const result = await runCli(['migrate', '--database-url', url.toString()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout + result.stderr).not.toContain('sekret-pw-123');
  });
});

describe('turnpike start on PostgreSQL', () => {
  const token = 'e2e-postgres-token-0123456789';
  let db: TestDatabase;
  let tp: RunningTurnpike;
  let base = '';
  let adminKey = '';
  let fileKey = '';
  let exported = '';

  // biome-ignore lint/suspicious/noExplicitAny: tests read response bodies of many shapes.
  async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }

  // biome-ignore lint/suspicious/noExplicitAny: created resources have many shapes.
  async function create(path: string, body: unknown): Promise<any> {
    const r = await call('POST', path, body);
    expect(r.status, `POST ${path}: ${JSON.stringify(r.body)}`).toBe(201);
    return r.body;
  }

  const cli = (args: string[], input?: string) =>
    runCli([...args, '--admin-url', tp.admin, '--token', token], {}, input);

  beforeAll(async () => {
    db = await database();
    // No `turnpike migrate` first: start runs the migrations itself.
    tp = await start(db.url, { TURNPIKE_ADMIN_TOKEN: token });
    base = `${tp.admin}/admin/v1`;
  });

  it('starts on a fresh database, migrating it, and says it uses PostgreSQL', async () => {
    expect(tp.output()).toMatch(/is running \(PostgreSQL: postgres:\/\//);
    expect(await tables(db.url)).toEqual(expect.arrayContaining(['upstreams', 'api_keys', 'subscriptions']));
    const status = await call('GET', '/status');
    expect(status.status).toBe(200);
    expect(status.body.store).toBe('postgres');
  });

  it('the admin API creates, reads, updates, lists and deletes', async () => {
    const upstream = await create('/upstreams', { name: 'pg-echo', targets: [{ url: upstreamUrl }] });
    const api = await create('/apis', { name: 'pg-api', basePath: '/pg', upstreamId: upstream.id });
    await create(`/apis/${api.id}/routes`, { name: 'all', path: '/*' });
    const product = await create('/products', { name: 'pg-prod', apiIds: [api.id] });
    const plan = await create('/plans', { productId: product.id, name: 'pg-plan' });
    const account = await create('/accounts', { name: 'pg-acc' });
    const app = await create('/applications', { accountId: account.id, name: 'pg-app' });
    const sub = await create('/subscriptions', { applicationId: app.id, planId: plan.id });
    expect(sub.state).toBe('active');
    const key = await create(`/applications/${app.id}/keys`, { label: 'pg' });
    adminKey = key.key;

    expect((await call('GET', '/apis/pg-api')).body).toEqual(api);
    const patched = await call('PATCH', `/upstreams/${upstream.id}`, { description: 'on postgres' });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe('on postgres');

    for (const name of ['a', 'b', 'c', 'd'])
      await create(`/apis/${api.id}/routes`, { name, path: `/${name}` });
    const page1 = await call('GET', `/apis/${api.id}/routes?limit=3`);
    expect(page1.body.data.map((r: { name: string }) => r.name)).toEqual(['all', 'a', 'b']);
    const page2 = await call('GET', `/apis/${api.id}/routes?limit=3&cursor=${page1.body.next}`);
    expect(page2.body.data.map((r: { name: string }) => r.name)).toEqual(['c', 'd']);
    expect(page2.body.next).toBeNull();
    expect((await call('DELETE', `/apis/${api.id}/routes/d`)).status).toBe(204);

    expect((await call('POST', '/accounts', { name: 'pg-acc' })).status).toBe(409);
    expect((await call('DELETE', `/upstreams/${upstream.id}`)).status).toBe(409);
    const missingRef = await call('POST', '/apis', {
      name: 'x',
      basePath: '/x',
      upstreamId: 'ups_00000000000000000000000000',
    });
    expect(missingRef.status).toBe(422);
    expect(missingRef.body.code).toBe('reference-not-found');

    // The key is stored as its hash only.
    const rows = await query<{ hash: string; prefix: string }>(db.url, 'select hash, prefix from api_keys');
    expect(rows).toEqual([{ hash: sha256(adminKey), prefix: adminKey.slice(0, 12) }]);
  });

  it('a key made through the admin API works at the gateway', async () => {
    const ok = await fetch(`${tp.gateway}/pg/hello`, { headers: { 'x-api-key': adminKey } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ path: '/hello' });
    expect((await fetch(`${tp.gateway}/pg/hello`)).status).toBe(401);
  });

  it('apply → export → apply gives "No changes", and the key in the file works at the gateway', async () => {
    fileKey = (await runCli(['keygen', '--test'])).stdout.trim();
    const file = join(dir, 'pg.yaml');
    writeFileSync(
      file,
      `upstreams: [{ name: echo, targets: [{ url: "${upstreamUrl}", weight: 100 }] }]
apis:
  - name: weather
    basePath: /weather/v1
    upstream: echo
    routes: [{ name: forecast, methods: [GET], path: /forecast, metric: forecast }]
products:
  - name: weather
    apis: [weather]
    plans:
      - name: trial
        default: true
        limits: [{ metric: hits, period: minute, max: 10 }, { metric: hits, period: month, max: 100 }]
accounts:
  - name: acme
    applications:
      - name: acme-app
        subscriptions: [{ product: weather, plan: trial }]
        keys: [{ key: "${fileKey}" }]
`,
    );
    const applied = await cli(['apply', '-f', file]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`Applied ${file}: 9 changes.`);

    const exportResult = await cli(['export']);
    expect(exportResult.code, exportResult.stderr).toBe(0);
    exported = exportResult.stdout;
    expect(exported).toContain(sha256(fileKey));
    expect(exported).not.toContain(fileKey);

    const again = await cli(['apply', '-f', '-'], exported);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe('No changes: the configuration already matches standard input.');

    const call = await fetch(`${tp.gateway}/weather/v1/forecast`, { headers: { 'x-api-key': fileKey } });
    expect(call.status).toBe(200);
  });

  it('an invalid file changes nothing on PostgreSQL either', async () => {
    const before = await cli(['export']);
    const result = await cli(
      ['apply', '-f', '-'],
      'apis:\n  - name: late\n    basePath: /late\n    upstream: echo\n    routes: [{ name: r, path: "/a/{" }]\n',
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/apis\[0\]\.routes\[0\]\.path \(line 5\)/);
    expect((await cli(['export'])).stdout).toBe(before.stdout);
  });

  it('a restart keeps everything', async () => {
    await stop(tp);
    tp = await start(db.url, { TURNPIKE_ADMIN_TOKEN: token });
    base = `${tp.admin}/admin/v1`;
    const after = await cli(['export']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe(exported);
    for (const [path, key] of [
      ['/weather/v1/forecast', fileKey],
      ['/pg/hello', adminKey],
    ] as const) {
      const response = await fetch(`${tp.gateway}${path}`, { headers: { 'x-api-key': key } });
      expect(response.status, path).toBe(200);
    }
  });
});

describe('a generated admin token on PostgreSQL', () => {
  it('is printed once, stored as a hash, and still works after a restart', async () => {
    const db = await database();
    const first = await start(db.url);
    expect(first.token).toMatch(/^tpa_/);
    const rows = await query<{ hash: string }>(db.url, 'select hash from admin_tokens');
    expect(rows).toEqual([{ hash: sha256(first.token) }]);
    await stop(first);

    const second = await start(db.url);
    expect(second.output()).not.toContain(first.token);
    expect(second.output()).not.toMatch(/export TURNPIKE_ADMIN_TOKEN=/);
    const response = await fetch(`${second.admin}/admin/v1/status`, {
      headers: { authorization: `Bearer ${first.token}` },
    });
    expect(response.status).toBe(200);
    await stop(second);
  });
});

describe('a database that cannot be used', () => {
  const ports = ['--gateway-port', '0', '--admin-port', '0', '--portal-port', '0', '--status-port', '0'];
  const startWith = (url: string) =>
    runCli(['start', ...ports, '--data-dir', join(dir, 'unused')], { TURNPIKE_DATABASE_URL: url });

  it.each([
    ['nothing listening', 'postgres://127.0.0.1:1/x', /127\.0\.0\.1:1|ECONNREFUSED|connect/],
    [
      'a database that does not exist',
      'postgres://postgres@127.0.0.1:5432/turnpike_e2e_no_such_db',
      /turnpike_e2e_no_such_db/,
    ],
    [
      'a role that does not exist',
      'postgres://turnpike_e2e_nobody@127.0.0.1:5432/postgres',
      /turnpike_e2e_nobody/,
    ],
    [
      'a host that does not exist',
      'postgres://postgres@no-such-host.invalid:5432/x',
      /no-such-host\.invalid/,
    ],
    ['a malformed URL', 'postgres://postgres@127.0.0.1:99999/x', /URL|99999/],
  ])('%s: start and migrate fail with a readable message', async (_what, url, message) => {
    const [started, migrated] = await Promise.all([
      startWith(url),
      runCli(['migrate', '--database-url', url]),
    ]);
    expectReadableFailure(started, message);
    expectReadableFailure(migrated, message);
  });
});
