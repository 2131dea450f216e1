// User story: "I clone Turnpike, run `npm install && npm start`, and it runs: a gateway, an admin
// API, a portal and a status port on one machine, with an embedded database in a data dir and an
// admin token I am shown once." Also `npm start -- --demo` and `npx turnpike start --demo`
// exactly as a newcomer types them.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient } from '../support/admin-client.ts';
import { binPath, type RunningTurnpike, removeDir, runCli, startTurnpike, tempDir } from '../support/cli.ts';
import { foundInFiles, readAllRows } from '../support/data-dir.ts';
import { expectProblem, send } from '../support/http.ts';
import { ephemeralPorts, type Spawned, spawnUntilBanner, userEnv } from '../support/spawn.ts';
import { sha256 } from '../support/upstream.ts';

const tokenShape = /^tpa_[0-9A-Za-z]{36}$/;

async function adminStatus(admin: string, token: string | undefined) {
  return send(`${admin}/admin/v1/status`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
}

describe('first start on an empty data dir', () => {
  let first: RunningTurnpike;
  let second: RunningTurnpike | undefined;
  let token = '';

  beforeAll(async () => {
    first = await startTurnpike();
    token = first.token;
  });

  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    if (first) removeDir(first.dataDir);
  });

  it('prints the gateway, admin API, portal and status URLs, and each answers', async () => {
    const out = first.output();
    expect(out).toMatch(/^Turnpike \d+\.\d+\.\d+ is running \(embedded database: .+pgdata\)$/m);
    expect(out).toContain(`embedded database: ${join(first.dataDir, 'pgdata')}`);
    for (const url of [first.gateway, first.admin, first.portal, first.status]) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    }
    expect(out).toContain(
      `admin API  ${first.admin}/admin/v1   (OpenAPI: ${first.admin}/admin/v1/openapi.json)`,
    );
    expect(out).toContain(`status     ${first.status}/ready`);

    // The gateway has a (still empty) configuration: an unknown path is a 404 problem, not a hang.
    expectProblem(await send(`${first.gateway}/anything`), 404, 'route-not-found');
    const openapi = await send(`${first.admin}/admin/v1/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(openapi.json().openapi).toBe('3.1.0');
    expect((await send(first.portal)).status).toBe(200);
    expect((await send(`${first.status}/health`)).status).toBe(200);
  });

  it('answers /health and /ready (with the configuration version) on the status port', async () => {
    const health = await send(`${first.status}/health`);
    expect(health.status).toBe(200);
    expect(health.headers['content-type']).toBe('application/json');
    expect(health.json()).toEqual({ status: 'ok' });

    const ready = await send(`${first.status}/ready`);
    expect(ready.status).toBe(200);
    const body = ready.json();
    expect(body.status).toBe('ready');
    expect(Number.isInteger(body.version)).toBe(true);
    const status = await adminStatus(first.admin, token);
    expect(body.version).toBe(status.json().revision);
  });

  it('serves the developer portal and the console, built by npm install', async () => {
    const portal = await send(first.portal);
    expect(portal.status).toBe(200);
    expect(portal.headers['content-type']).toMatch(/^text\/html/);
    expect(portal.text).toContain('<title>Turnpike developer portal</title>');
    const console = await send(`${first.admin}/console/`);
    expect(console.status).toBe(200);
    expect(console.text).toContain('<title>Turnpike console</title>');
    expect(first.output()).toContain(`console    ${first.admin}/console/`);
  });

  it('prints a generated admin token once, and the admin API accepts it', async () => {
    expect(token).toMatch(tokenShape);
    const out = first.output();
    expect(out).toContain('Admin token, shown this once (only its hash is stored):');
    expect(out).toContain(`export TURNPIKE_ADMIN_TOKEN=${token}`);
    const status = await adminStatus(first.admin, token);
    expect(status.status).toBe(200);
    expect(status.json()).toMatchObject({ store: 'pglite', version: expect.any(String) });
  });

  it('refuses a missing, wrong or malformed admin token with 401 problem+json', async () => {
    const wrongChar = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
    for (const candidate of [undefined, wrongChar, 'not-a-token', `Basic ${token}`]) {
      const response = await adminStatus(first.admin, candidate);
      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="turnpike-admin"');
    }
    // The token in another header is not a token.
    const misplaced = await send(`${first.admin}/admin/v1/status`, { headers: { 'x-admin-token': token } });
    expectProblem(misplaced, 401, 'unauthorized');
  });

  it('refuses a second process on the same data dir with a readable message, leaving the first alone', async () => {
    const lockFile = join(first.dataDir, 'turnpike.lock');
    expect(readFileSync(lockFile, 'utf8')).toBe(String(first.process.pid));
    const started = performance.now();
    const result = await runCli(['start', ...ephemeralPorts, '--data-dir', first.dataDir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `turnpike: the data directory ${first.dataDir} is in use by another Turnpike process (pid ${first.process.pid})`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /); // a sentence, not a stack trace
    expect(performance.now() - started).toBeLessThan(10_000);
    // The first one still owns its lock and still works.
    expect(readFileSync(lockFile, 'utf8')).toBe(String(first.process.pid));
    expect((await adminStatus(first.admin, token)).status).toBe(200);
  });

  it('stops on SIGTERM with exit code 0 after saying it stopped', async () => {
    const code = await first.stop();
    expect(code).toBe(0);
    const out = first.output();
    expect(out).toContain('Turnpike is stopping (SIGTERM): finishing requests in flight…');
    expect(out.trimEnd()).toMatch(/Turnpike stopped\.$/);
    expect(existsSync(join(first.dataDir, 'turnpike.lock'))).toBe(false);
  });

  it('stored only the SHA-256 of the admin token, nowhere the token itself', async () => {
    const rows = await readAllRows(first.dataDir);
    expect(rows.admin_tokens).toHaveLength(1);
    expect(rows.admin_tokens?.[0]?.hash).toBe(sha256(token));
    expect(rows.admin_tokens?.[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(JSON.stringify(rows)).not.toContain(token.slice(4)); // nor its body without the prefix
    // The raw database files: the hash is there (so the search works), the token is not.
    expect(foundInFiles(first.dataDir, [sha256(token), token, token.slice(4)])).toEqual([sha256(token)]);
  });

  it('does not print a token on the next start, and the first token still works', async () => {
    second = await startTurnpike({ dataDir: first.dataDir });
    const out = second.output();
    expect(out).not.toMatch(/tpa_/);
    expect(out).toContain(
      'Admin API: use the admin token printed on the first start (or set TURNPIKE_ADMIN_TOKEN).',
    );
    expect((await adminStatus(second.admin, token)).status).toBe(200);
    expectProblem(await adminStatus(second.admin, undefined), 401, 'unauthorized');
    expect(await second.stop()).toBe(0);
    const rows = await readAllRows(first.dataDir);
    expect(rows.admin_tokens).toHaveLength(1); // no second token was made
  });
});

describe('settings that make no sense', () => {
  it('refuses a too-short TURNPIKE_ADMIN_TOKEN with a readable message and starts nothing', async () => {
    const dir = tempDir();
    try {
      const result = await runCli(['start', ...ephemeralPorts, '--data-dir', dir], {
        TURNPIKE_ADMIN_TOKEN: 'short',
      });
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe('turnpike: TURNPIKE_ADMIN_TOKEN must be at least 16 characters long');
      expect(existsSync(join(dir, 'pgdata'))).toBe(false);
    } finally {
      removeDir(dir);
    }
  });

  it('refuses a port that is not a number, naming the setting at fault, and starts nothing', async () => {
    const result = await runCli(['start', '--data-dir', '/nonexistent/never-created'], {
      TURNPIKE_GATEWAY_PORT: 'eighty',
    });
    expect(result.code).toBe(1);
    const message = result.stderr.trim();
    expect(message).toMatch(
      /^turnpike: .*TURNPIKE_GATEWAY_PORT.* must be a number from 0 to 65535, not "eighty"$/,
    );
    expect(message.split('\n')).toHaveLength(1);
    expect(existsSync('/nonexistent/never-created')).toBe(false);
  });
});

/** True when nothing listens on the port (so the default ports can be tried). */
function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

const defaultsFree = (
  await Promise.all([
    portFree(8000, '0.0.0.0'),
    portFree(8001, '127.0.0.1'),
    portFree(8002, '0.0.0.0'),
    portFree(8100, '127.0.0.1'),
  ])
).every(Boolean);

/** Runs the printed curl command through a shell, exactly as printed, and adds only the status. */
function runPrintedCurl(command: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', `${command} -sS -w '\\n%{http_code}'`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`curl exited with ${code}: ${err}`));
      const cut = out.lastIndexOf('\n');
      resolve({ status: Number(out.slice(cut + 1)), body: out.slice(0, cut) });
    });
  });
}

async function expectDemoCurlWorks(running: Spawned): Promise<void> {
  const { banner } = running;
  expect(banner.curl).toMatch(
    new RegExp(`^curl -H 'X-API-Key: tp_live_[0-9A-Za-z]{36}' ${banner.gateway}/demo/v1/hello$`),
  );
  const result = await runPrintedCurl(banner.curl ?? '');
  expect(result.status, result.body).toBe(200);
  const echoed = JSON.parse(result.body);
  expect(echoed).toMatchObject({ method: 'GET', path: '/hello' });
  expect(echoed.headers['x-consumer-application']).toMatch(/^app_[0-9a-z]{26}$/);
  expect(echoed.headers['x-consumer-account']).toMatch(/^acc_[0-9a-z]{26}$/);
  expect(echoed.headers['x-consumer-plan']).toMatch(/^pln_[0-9a-z]{26}$/);
  expect(echoed.headers['x-api-key']).toBeUndefined();
}

// Independent processes, each on its own fresh data dir: started side by side to save time.
describe.concurrent('started the ways people start it', () => {
  it('`npm start -- --demo`, and later `npx turnpike start --demo`, print a curl command that answers 200', async () => {
    const dataDir = tempDir();
    let running: Spawned | undefined;
    try {
      running = await spawnUntilBanner(
        'npm',
        ['start', '--', '--demo', ...ephemeralPorts],
        userEnv({ TURNPIKE_DATA_DIR: dataDir }),
      );
      expect(running.banner.database).toBe(join(dataDir, 'pgdata'));
      const token = running.banner.token ?? '';
      expect(token).toMatch(tokenShape);
      await expectDemoCurlWorks(running);
      await running.stop();
      expect(running.output()).toContain('Turnpike stopped.');

      // The same data dir (so no boot from scratch), the other way of starting it.
      running = await spawnUntilBanner(
        'npx',
        ['turnpike', 'start', '--demo', ...ephemeralPorts],
        userEnv({ TURNPIKE_DATA_DIR: dataDir }),
      );
      expect(running.banner.database).toBe(join(dataDir, 'pgdata'));
      await expectDemoCurlWorks(running);
      // The admin token printed by the first start manages it.
      expect((await new AdminClient(running.banner.admin, token).call('GET', '/status')).status).toBe(200);
    } finally {
      await running?.stop();
      removeDir(dataDir);
    }
  });

  it('honours TURNPIKE_DATA_DIR, TURNPIKE_*_PORT and TURNPIKE_ADMIN_TOKEN without any flag', async () => {
    const dataDir = tempDir();
    const envToken = 'operator-chosen-admin-token-0123456789';
    let running: Spawned | undefined;
    try {
      running = await spawnUntilBanner(
        process.execPath,
        [binPath, 'start'],
        userEnv({
          TURNPIKE_DATA_DIR: dataDir,
          TURNPIKE_ADMIN_TOKEN: envToken,
          TURNPIKE_GATEWAY_PORT: '0',
          TURNPIKE_ADMIN_PORT: '0',
          TURNPIKE_PORTAL_PORT: '0',
          TURNPIKE_STATUS_PORT: '0',
        }),
      );
      const { banner } = running;
      expect(banner.database).toBe(join(dataDir, 'pgdata'));
      expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);
      for (const url of [banner.gateway, banner.admin, banner.portal, banner.status]) {
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(['8000', '8001', '8002', '8100']).not.toContain(new URL(url).port); // 0: the system picked
      }
      expect((await send(`${banner.status}/health`)).status).toBe(200);

      // The operator's token works; none is generated or printed, and none is stored.
      expect(banner.token).toBeUndefined();
      expect(running.output()).not.toContain(envToken);
      expect((await adminStatus(banner.admin, envToken)).status).toBe(200);
      expectProblem(await adminStatus(banner.admin, `${envToken}x`), 401, 'unauthorized');
      expect(await running.stop()).toBe(0);
      const rows = await readAllRows(dataDir);
      expect(rows.admin_tokens).toEqual([]);
      expect(foundInFiles(dataDir, [envToken, sha256(envToken)])).toEqual([]);
    } finally {
      await running?.stop();
      removeDir(dataDir);
    }
  });

  it('with no flags and no settings: data in ./.turnpike, and ports 8000, 8001, 8002 and 8100', async () => {
    const cwd = tempDir();
    let running: Spawned | undefined;
    try {
      // The default ports are used when free; otherwise only the data dir default is checked.
      running = await spawnUntilBanner(
        process.execPath,
        [binPath, 'start', ...(defaultsFree ? [] : ephemeralPorts)],
        userEnv(),
        cwd,
      );
      expect(running.banner.database).toBe(join(cwd, '.turnpike', 'pgdata'));
      expect(existsSync(join(cwd, '.turnpike', 'pgdata', 'PG_VERSION'))).toBe(true);
      if (defaultsFree) {
        expect(running.banner).toMatchObject({
          gateway: 'http://127.0.0.1:8000',
          admin: 'http://127.0.0.1:8001',
          portal: 'http://127.0.0.1:8002',
          status: 'http://127.0.0.1:8100',
        });
        expect((await send('http://127.0.0.1:8100/ready')).status).toBe(200);
        expectProblem(await send('http://127.0.0.1:8000/nothing-here'), 404, 'route-not-found');
        expect((await send('http://127.0.0.1:8002/')).status).toBe(200);
        expect((await adminStatus('http://127.0.0.1:8001', running.banner.token)).status).toBe(200);
      }
    } finally {
      await running?.stop();
      removeDir(cwd);
    }
  });
});
