// The access log over real requests: one parseable line per request with the documented fields,
// never a header, query string or key; rotation, a destination that cannot be opened, and the
// buffer flushed when the process exits.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestChannel } from '../observe.ts';
import type { RunningServer } from '../server.ts';
import {
  api,
  consumer,
  rawRequest,
  requestRecord,
  route,
  snapshot,
  startTestGateway,
  startUpstream,
  type TestGateway,
} from '../testing/fixtures.ts';
import { type AccessLog, type AccessLogLine, createAccessLog, loggablePath } from './access-log.ts';

const subscribed = consumer('app_ok', ['api_weather']);
const dir = mkdtempSync(join(tmpdir(), 'turnpike-access-log-'));
const file = join(dir, 'logs', 'access.log');

let upstream: RunningServer;
let gw: TestGateway;
let log: AccessLog;

beforeAll(async () => {
  upstream = await startUpstream();
  gw = await startTestGateway(
    snapshot(upstream.url, {
      apis: [
        api({
          id: 'api_weather',
          name: 'weather',
          basePath: '/weather',
          keyless: false,
          routes: [route('/forecast', ['GET'], 'forecast')],
        }),
      ],
      applications: [subscribed.application],
      keys: [subscribed.keyRecord],
    }),
  );
  log = await createAccessLog({ destination: file });
});

afterAll(async () => {
  await log?.close();
  await gw?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

function published(n: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const onRecord = () => {
      if (++seen < n) return;
      requestChannel.unsubscribe(onRecord);
      resolve();
    };
    requestChannel.subscribe(onRecord);
  });
}

type Line = AccessLogLine & { level: number; time: string; log: string };

function lines(path: string): Line[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Line);
}

describe('access log', () => {
  let written: Line[];
  let raw: string;

  beforeAll(async () => {
    const done = published(3);
    const keyed = await request(`${gw.server.url}/weather/forecast?api_key=${subscribed.key}&city=paris`, {
      headers: {
        'x-api-key': subscribed.key,
        authorization: 'Bearer secret-token',
        'x-request-id': 'req-keyed',
      },
    });
    await keyed.body.dump();
    const unknown = await request(`${gw.server.url}/nowhere?api_key=${subscribed.key}`, {
      headers: { 'x-request-id': 'req-unmatched' },
    });
    await unknown.body.dump();
    const absolute = await rawRequest(
      gw.server.port,
      `GET http://user:hunter2@evil.example/weather/forecast?api_key=${subscribed.key} HTTP/1.1\r\nHost: evil.example\r\nX-Request-Id: req-absolute\r\nConnection: close\r\n\r\n`,
    );
    expect(absolute).toMatch(/^HTTP\/1\.1 400 /);
    await done;
    await log.close(); // writes what is buffered
    raw = readFileSync(file, 'utf8');
    written = lines(file);
  });

  it('writes one JSON line per request, with the documented fields in order', () => {
    expect(written).toHaveLength(3);
    const keyed = written.find((l) => l.requestId === 'req-keyed');
    expect(Object.keys(keyed ?? {})).toEqual([
      'level',
      'time',
      'log',
      'requestId',
      'method',
      'path',
      'host',
      'status',
      'durationMs',
      'upstreamMs',
      'bytes',
      'bytesIn',
      'clientIp',
      'api',
      'route',
      'metric',
      'applicationId',
      'accountId',
      'planId',
      'endUser',
      'aborted',
    ]);
    expect(keyed).toMatchObject({
      log: 'access',
      method: 'GET',
      path: '/weather/forecast',
      host: `127.0.0.1:${gw.server.port}`,
      status: 200,
      clientIp: '127.0.0.1',
      api: 'weather',
      route: 'forecast',
      metric: 'hits',
      endUser: null,
      bytesIn: 0,
      applicationId: 'app_ok',
      accountId: 'acc_of_app_ok',
      planId: 'pln_api_weather',
      aborted: false,
    });
    expect(typeof keyed?.bytes).toBe('number');
    expect(keyed?.durationMs).toBeGreaterThan(0);
    expect(keyed?.upstreamMs).toBeGreaterThan(0);
    expect(keyed?.upstreamMs).toBeLessThanOrEqual(keyed?.durationMs as number);
    expect(Date.parse(keyed?.time ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('writes null for what an unmatched request does not have', () => {
    const unmatched = written.find((l) => l.requestId === 'req-unmatched');
    expect(unmatched).toMatchObject({
      path: '/nowhere',
      status: 404,
      upstreamMs: null,
      api: null,
      route: null,
      metric: null,
      applicationId: null,
      accountId: null,
      planId: null,
      endUser: null,
    });
  });

  it('never writes a key, a query string, a header or userinfo', () => {
    expect(raw).not.toContain(subscribed.key);
    expect(raw).not.toContain('api_key');
    expect(raw).not.toContain('city=paris');
    expect(raw).not.toContain('?');
    expect(raw).not.toContain('secret-token');
    expect(raw).not.toContain('hunter2');
    expect(raw.toLowerCase()).not.toContain('x-api-key');
    expect(written.find((l) => l.requestId === 'req-absolute')?.path).toBe(
      'http://evil.example/weather/forecast',
    );
  });

  it('stops listening when closed', () => {
    expect(requestChannel.hasSubscribers).toBe(false);
  });
});

describe('loggablePath', () => {
  it.each([
    ['/a/b', '/a/b'],
    ['/a/b#token=x', '/a/b'],
    ['http://u:p@host:8080/a', 'http://host:8080/a'],
    ['http://host/a@b', 'http://host/a@b'],
    ['http://u@host', 'http://host'],
    ['*', '*'],
  ])('%s → %s', (path, expected) => {
    expect(loggablePath(path)).toBe(expected);
  });
});

describe('destinations', () => {
  it('refuses a file that cannot be opened, and does not start listening', async () => {
    const blocker = join(dir, 'not-a-directory');
    writeFileSync(blocker, '');
    await expect(createAccessLog({ destination: join(blocker, 'access.log') })).rejects.toThrow(
      /ENOTDIR|EEXIST/,
    );
    expect(requestChannel.hasSubscribers).toBe(false);
  });

  it('reopens the file under its name after a rotation moved it', async () => {
    const path = join(dir, 'rotated.log');
    const rotating = await createAccessLog({ destination: path });
    const record = (requestId: string) => requestRecord({ requestId, clientIp: '' });
    requestChannel.publish(record('before'));
    await new Promise((resolve) => setTimeout(resolve, 1200)); // the periodic flush
    renameSync(path, `${path}.1`);
    rotating.reopen();
    await new Promise((resolve) => setTimeout(resolve, 50));
    requestChannel.publish(record('after'));
    await rotating.close();
    expect(lines(`${path}.1`).map((l) => l.requestId)).toEqual(['before']);
    expect(lines(path).map((l) => l.requestId)).toEqual(['after']);
  });

  it('writes to stdout, flushing what is buffered when the process exits', () => {
    const script = join(dir, 'exit.ts');
    const module = new URL('./access-log.ts', import.meta.url).pathname;
    const observe = new URL('../observe.ts', import.meta.url).pathname;
    writeFileSync(
      script,
      [
        `import { createAccessLog } from ${JSON.stringify(module)};`,
        `import { requestChannel } from ${JSON.stringify(observe)};`,
        `await createAccessLog({ destination: 'stdout' });`,
        `for (let i = 0; i < 3; i++) requestChannel.publish({ requestId: 'exit-' + i, method: 'GET', path: '/', host: 'h', clientIp: '', status: 200, durationMs: 1, upstreamMs: undefined, bytesSent: 0, bytesReceived: 0, api: undefined, route: undefined, consumer: undefined, aborted: false });`,
        'process.exit(0);',
      ].join('\n'),
    );
    const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 10_000 });
    expect(child.status).toBe(0);
    const ids = child.stdout
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => (JSON.parse(l) as Line).requestId);
    expect(ids).toEqual(['exit-0', 'exit-1', 'exit-2']);
  });
});
