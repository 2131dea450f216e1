// The `turnpike` command's own input: help everywhere, the version, keygen, and every kind of
// bad command line answered with one readable line on stderr, exit code 2 for usage errors and 1
// for other failures, and never a stack trace.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isWellFormedApiKey,
  isWellFormedBasicPassword,
  isWellFormedHmacSecret,
} from '../../src/shared/secrets.ts';
import { type CliResult, removeDir, runCli, tempDir } from '../support/cli.ts';

const packageVersion = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

let dir = '';

beforeAll(() => {
  dir = tempDir('turnpike-e2e-cli-');
});

afterAll(() => {
  if (dir) removeDir(dir);
});

/**
 * Flags that keep a `start` that wrongly got going off the default ports and out of the cwd;
 * `except` leaves one setting to the environment under test.
 */
const safeStart = (except?: string) =>
  ['data-dir', 'gateway-port', 'admin-port', 'portal-port', 'status-port']
    .filter((flag) => flag !== except)
    .flatMap((flag) => [`--${flag}`, flag === 'data-dir' ? join(dir, 'data') : '0']);

/** No stack trace, no internals: what a person reads. */
function expectReadable(result: CliResult): void {
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toMatch(/node:internal|\.ts:\d+:\d+|Error: /);
}

/** A refused command line: `turnpike: …` on stderr (a message, at most a hint after it), nothing on stdout. */
function expectRefusal(result: CliResult, code: number, message: RegExp): void {
  expect(result.code, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(code);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^turnpike: /);
  expect(lines[0]).toMatch(message);
  expect(lines.length, result.stderr).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^Run "turnpike .*--help"/);
  expectReadable(result);
}

describe('help', () => {
  it.each([['--help'], ['-h'], ['help']])('turnpike %s lists the commands and exits 0', async (flag) => {
    const result = await runCli([flag]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: turnpike <command>/m);
    for (const command of ['start', 'apply', 'export', 'migrate', 'keygen']) {
      expect(result.stdout).toMatch(new RegExp(`^ {2}${command} `, 'm'));
    }
    expect(result.stderr).toBe('');
  });

  const options: Record<string, string[]> = {
    start: [
      '--demo',
      '--data-dir DIR',
      '--database-url URL',
      '--gateway-port PORT',
      '--admin-port PORT',
      '--portal-port PORT',
      '--status-port PORT',
      '--smtp-url URL',
      '--mail-from ADDRESS',
      '--portal-url URL',
      '--log-level LEVEL',
      '--help',
    ],
    apply: ['-f, --file FILE', '--dry-run', '--prune', '--admin-url URL', '--token TOKEN', '--help'],
    export: ['-o, --output FILE', '--format yaml|json', '--admin-url URL', '--token TOKEN', '--help'],
    migrate: ['--data-dir DIR', '--database-url URL', '--help'],
    keygen: ['--test', '--basic', '--hmac', '--help'],
    admin: ['-d, --data JSON', '--admin-url URL', '--token TOKEN', '--help'],
  };

  it.each(Object.keys(options))('turnpike %s --help lists its options and exits 0', async (command) => {
    for (const flag of ['--help', '-h']) {
      const result = await runCli([command, flag]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toBe('');
      expect(result.stdout).toContain(`Usage: turnpike ${command}`);
      for (const option of options[command] ?? []) expect(result.stdout).toContain(option);
    }
  });

  it('--help wins over other flags and does nothing else', async () => {
    const result = await runCli(['start', '--help', '--gateway-port', 'abc']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: turnpike start');
  });

  it('turnpike without a command shows the usage and exits 2', async () => {
    const result = await runCli([]);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('Usage: turnpike <command>');
    expectReadable(result);
  });
});

describe('version and keygen', () => {
  it.each([['--version'], ['-v']])('turnpike %s prints the package version', async (flag) => {
    const result = await runCli([flag]);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(packageVersion);
  });

  it('turnpike keygen prints a well-formed live key, a new one each time', async () => {
    const [a, b] = await Promise.all([runCli(['keygen']), runCli(['keygen'])]);
    for (const result of [a, b]) {
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^tp_live_[0-9A-Za-z]{36}\n$/);
      expect(isWellFormedApiKey(result.stdout.trim())).toBe(true);
    }
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('turnpike keygen --test prints a well-formed test key', async () => {
    const result = await runCli(['keygen', '--test']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^tp_test_[0-9A-Za-z]{36}\n$/);
    expect(isWellFormedApiKey(result.stdout.trim())).toBe(true);
  });

  it('turnpike keygen --basic and --hmac print a Basic password and an HMAC secret a file accepts', async () => {
    const basic = await runCli(['keygen', '--basic']);
    expect(basic.code).toBe(0);
    expect(isWellFormedBasicPassword(basic.stdout.trim())).toBe(true);
    const hmac = await runCli(['keygen', '--hmac']);
    expect(hmac.code).toBe(0);
    expect(isWellFormedHmacSecret(hmac.stdout.trim())).toBe(true);
  });
});

describe('usage errors: one line, exit 2', () => {
  it.each([
    ['an unknown command', ['launch'], /unknown command "launch"/],
    ['an unknown flag of start', ['start', '--bogus'], /--bogus/],
    ['an unknown flag of apply', ['apply', '-f', 'x.yaml', '--force'], /--force/],
    ['an unknown short flag', ['export', '-x'], /-x/],
    ['a flag without its value', ['apply', '-f'], /-f|--file/],
    ['a value given to a switch', ['start', '--demo=yes'], /--demo/],
    ['an unexpected argument', ['export', 'everything'], /unexpected argument "everything"/],
    ['apply without -f', ['apply'], /apply needs a file/],
    ['export --format xml', ['export', '--format', 'xml'], /--format must be yaml or json, not "xml"/],
    ['admin without a path', ['admin', 'GET'], /give a METHOD and a PATH/],
    ['keygen with two kinds', ['keygen', '--basic', '--hmac'], /at most one of --test, --basic and --hmac/],
    ['admin with an unknown method', ['admin', 'FETCH', '/apis'], /METHOD must be one of/],
    ['admin with a relative path', ['admin', 'GET', 'apis'], /PATH must start with "\/"/],
    [
      'admin with a body that is not JSON',
      ['admin', 'POST', '/apis', '-d', '{oops'],
      /the body is not valid JSON/,
    ],
  ])('%s', async (_what, args, message) => {
    expectRefusal(await runCli(args), 2, message);
  });

  it.each([
    ['a port that is not a number', ['--gateway-port', 'abc'], /--gateway-port .*"abc"/],
    ['a port above 65535', ['--admin-port', '70000'], /--admin-port .*"70000"/],
    ['a negative port', ['--status-port=-1'], /--status-port .*"-1"/],
    ['an unknown log level', ['--log-level', 'loud'], /--log-level .*"loud"/],
    ['a database URL that is not PostgreSQL', ['--database-url', 'mysql://127.0.0.1/x'], /postgres:\/\//],
    [
      'a number of workers out of range',
      ['--workers', '999'],
      /--workers must be a number from 0 to 256, not "999"/,
    ],
    ['a drain timeout that is not a number', ['--drain-timeout=soon'], /--drain-timeout .*"soon"/],
    [
      'a trusted proxy that is not an address',
      ['--trusted-proxies', '10.0.0.0/99'],
      /--trusted-proxies .*10\.0\.0\.0\/99/,
    ],
    ['a header limit below 1 KiB', ['--max-header-bytes', '0'], /--max-header-bytes .*"0"/],
    ['an empty access log', ['--access-log='], /--access-log must be stdout, off or a file, not empty/],
    ['a certificate without its key', ['--tls-cert', 'package.json'], /--tls-cert needs its key files/],
    ['a key without its certificate', ['--tls-key', 'package.json'], /--tls-key needs its certificate files/],
    [
      'a Redis URL that is not redis://',
      ['--redis-url', 'http://x'],
      /--redis-url must start with redis:\/\/ or rediss:\/\//,
    ],
    [
      'a Redis failure mode it does not know',
      ['--redis-failure', 'maybe'],
      /--redis-failure must be open or closed, not "maybe"/,
    ],
    [
      'an SMTP URL that is not smtp:// or smtps://',
      ['--smtp-url', 'http://mailer:hunter2@mail.example.com'],
      /^turnpike: --smtp-url must be an smtp:\/\/ or smtps:\/\/ URL with a host$/,
    ],
    ['a From that is not an address', ['--mail-from', 'Turnpike'], /--mail-from must be an address/],
    [
      'a portal URL with a path',
      ['--portal-url', 'https://developer.example.com/portal'],
      /^turnpike: --portal-url must be an http\(s\) URL of a host, without a path, query or fragment$/,
    ],
  ])('start with %s', async (_what, args, message) => {
    // The flag value is wrong, so this is a usage error like `export --format xml`.
    expectRefusal(await runCli(['start', ...safeStart(), ...args]), 2, message);
  });

  it.each([
    [
      'without a control plane',
      ['--token', 'x'.repeat(20)],
      /gateway needs the control plane: --control-plane URL/,
    ],
    [
      'without a token',
      ['--control-plane', 'http://127.0.0.1:1'],
      /gateway needs a token of the control plane/,
    ],
    [
      'with a control plane that is not a URL',
      ['--control-plane', 'cp:8001', '--token', 'x'.repeat(20)],
      /--control-plane must be an http:\/\/ or https:\/\/ URL, not "cp:8001"/,
    ],
  ])('gateway %s', async (_what, args, message) => {
    const ports = ['--gateway-port', '0', '--status-port', '0', '--data-dir', join(dir, 'dp-usage')];
    expectRefusal(await runCli(['gateway', ...ports, ...args]), 2, message);
  });
});

describe('other failures: one line, exit 1', () => {
  it('apply -f of a file that does not exist', async () => {
    const missing = join(dir, 'missing.yaml');
    const result = await runCli(['apply', '-f', missing, '--token', 'x'.repeat(20)]);
    expectRefusal(result, 1, new RegExp(`cannot read ${missing.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}`));
  });

  it('apply -f of a directory', async () => {
    expectRefusal(await runCli(['apply', '-f', dir, '--token', 'x'.repeat(20)]), 1, /cannot read/);
  });

  it.each([
    [
      'a port that is not a number',
      'gateway-port',
      { TURNPIKE_GATEWAY_PORT: 'abc' },
      /TURNPIKE_GATEWAY_PORT .*"abc"/,
    ],
    [
      'a port above 65535',
      'status-port',
      { TURNPIKE_STATUS_PORT: '65536' },
      /TURNPIKE_STATUS_PORT .*"65536"/,
    ],
    ['an unknown log level', undefined, { TURNPIKE_LOG_LEVEL: 'loud' }, /TURNPIKE_LOG_LEVEL .*"loud"/],
    [
      'an admin token that is too short',
      undefined,
      { TURNPIKE_ADMIN_TOKEN: 'short' },
      /TURNPIKE_ADMIN_TOKEN/,
    ],
    [
      'a database URL that is not PostgreSQL',
      undefined,
      { TURNPIKE_DATABASE_URL: 'sqlite:///x' },
      /postgres:\/\//,
    ],
    [
      'a Redis timeout of 0',
      undefined,
      { TURNPIKE_REDIS_TIMEOUT_MS: '0' },
      /TURNPIKE_REDIS_TIMEOUT_MS must be a number from 1 to 10000, not "0"/,
    ],
    [
      'an SMTP URL that is not smtp:// or smtps://',
      undefined,
      { TURNPIKE_SMTP_URL: 'mail.example.com:587' },
      /^turnpike: TURNPIKE_SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL with a host$/,
    ],
  ])('start with %s in the environment', async (_what, except, env, message) => {
    // A setting from the environment is a configuration error rather than a usage error.
    expectRefusal(await runCli(['start', ...safeStart(except)], env), 1, message);
  });

  it('start with a data directory that is a file', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'x');
    const result = await runCli(['start', ...safeStart('data-dir'), '--data-dir', file]);
    expectRefusal(result, 1, /not-a-directory/);
  });

  it.each(['start', 'gateway'])('%s with an access log file that cannot be written', async (command) => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'x');
    const args =
      command === 'start'
        ? ['start', ...safeStart(), '--workers', '1']
        : [
            'gateway',
            '--control-plane',
            'http://127.0.0.1:1',
            '--token',
            'x'.repeat(20),
            '--data-dir',
            join(dir, 'dp'),
            '--gateway-port',
            '0',
            '--status-port',
            '0',
          ];
    const result = await runCli([...args, '--access-log', join(file, 'access.log')]);
    expectRefusal(result, 1, /cannot write the access log .*a-file/);
  });

  it("start with an HTTPS key that is not the certificate's", async () => {
    const pair = (name: string) => {
      const [certFile, keyFile] = [join(dir, `${name}.crt`), join(dir, `${name}.key`)];
      execFileSync('openssl', [
        ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
        ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', `/CN=${name}`],
      ]);
      return { certFile, keyFile };
    };
    const [a, b] = [pair('a.test'), pair('b.test')];
    const tls = ['--tls-cert', a.certFile, '--tls-key', b.keyFile, '--tls-port', '0'];
    const result = await runCli(['start', ...safeStart(), '--workers', '1', ...tls]);
    expectRefusal(
      result,
      1,
      /cannot use the HTTPS certificates: .*b\.test\.key is not the key of .*a\.test\.crt/,
    );
  });

  it('start with the HTTPS port in use names that port', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '0.0.0.0', resolve));
    const port = (taken.address() as AddressInfo).port;
    const certFile = join(dir, 'in-use.crt');
    const keyFile = join(dir, 'in-use.key');
    execFileSync('openssl', [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=in-use'],
    ]);
    try {
      const tls = ['--tls-cert', certFile, '--tls-key', keyFile, '--tls-port', String(port)];
      const result = await runCli(['start', ...safeStart(), '--workers', '1', ...tls]);
      expectRefusal(result, 1, new RegExp(`the HTTPS listener port ${port} is in use`));
    } finally {
      taken.close();
    }
  });

  it('export -o into a directory that does not exist, against no control plane', async () => {
    const result = await runCli([
      'export',
      '-o',
      join(dir, 'no', 'such', 'dir', 'out.yaml'),
      '--admin-url',
      'http://127.0.0.1:1',
      '--token',
      'x'.repeat(20),
    ]);
    expectRefusal(result, 1, /cannot reach the control plane/);
  });
});
