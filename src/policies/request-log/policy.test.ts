import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateAdminToken, generateApiKey, generateBasicPassword } from '../../shared/secrets.ts';
import type { ExchangeEnd, HeaderFields } from '../context.ts';
import type { RequestLogEntry } from '../request-log-entry.ts';
import { type TestContextInit, testConsumer, testContext } from '../test-context.ts';
import { requestLog, requestLogHandler } from './policy.ts';
import { Redactor, redacted, scrub } from './redact.ts';
import { requestLogSchema } from './schema.ts';

function ended(fields: Partial<ExchangeEnd> & { headers?: HeaderFields } = {}): ExchangeEnd {
  const { headers, ...rest } = fields;
  return {
    startedAt: Date.UTC(2026, 0, 2, 3, 4, 5, 678),
    status: 200,
    durationMs: 12.3456789,
    upstreamMs: 10,
    bytesIn: 0,
    bytesOut: 2,
    responseHeaders: () => headers ?? { 'content-type': 'application/json' },
    requestBody: undefined,
    responseBody: undefined,
    ...rest,
  };
}

/** Runs the handler on one request that ends with `end`; the entries the sink got. */
function logged(
  config: Record<string, unknown>,
  init: TestContextInit,
  end: ExchangeEnd = ended(),
  draw = 0.5,
): RequestLogEntry[] {
  const entries: RequestLogEntry[] = [];
  const handler = requestLogHandler(
    requestLogSchema.parse(config),
    { add: (e) => entries.push(e) },
    () => draw,
  );
  const ctx = testContext(init);
  expect(handler(ctx)).toBeUndefined();
  for (const { listener } of ctx.endListeners) listener(end);
  return entries;
}

describe('request-log schema', () => {
  it('defaults to every request, 7 days, headers and no bodies', () => {
    expect(requestLogSchema.parse({})).toEqual({
      sampleRate: 1,
      errorSampleRate: 1,
      retentionDays: 7,
      headers: true,
      redactHeaders: [],
      redactQuery: [],
      captureBody: { request: false, response: false, maxBytes: 8192 },
    });
    expect(requestLogSchema.parse({ captureBody: { request: true } }).captureBody).toEqual({
      request: true,
      response: false,
      maxBytes: 8192,
    });
  });

  it.each([
    { sampleRate: 1.5 },
    { errorSampleRate: -0.1 },
    { retentionDays: 0 },
    { retentionDays: 3651 },
    { retentionDays: 1.5 },
    { captureBody: { maxBytes: 0 } },
    { captureBody: { maxBytes: 1_048_577 } },
    { captureBody: { bogus: true } },
    { redactHeaders: ['not a header'] },
    { bogus: 1 },
  ])('refuses %j', (config) => {
    expect(requestLogSchema.safeParse(config).success).toBe(false);
  });

  it('runs first, in pre-auth, above cors', () => {
    expect(requestLog).toMatchObject({ phase: 'pre-auth', priority: 2100 });
  });
});

describe('request-log entries', () => {
  it('describes the request, its outcome and its consumer', () => {
    const [entry] = logged(
      { retentionDays: 30 },
      {
        method: 'POST',
        requestTarget: '/orders/v1/orders?page=2&sort=asc',
        headers: { 'content-type': 'application/json', accept: '*/*' },
        clientIp: '203.0.113.9',
        apiId: 'api_orders',
        routeId: 'rte_create',
        metrics: ['create_order', 'hits'],
        consumer: testConsumer({
          applicationId: 'app_1',
          accountId: 'acc_1',
          planId: 'pln_1',
          subscriptionId: 'sub_1',
          subject: 'usr_42',
        }),
      },
      ended({
        status: 201,
        bytesIn: 17,
        bytesOut: 2,
        headers: { 'content-type': 'application/json', 'x-n': 3 },
      }),
    );
    expect(entry).toEqual({
      time: '2026-01-02T03:04:05.678Z',
      requestId: 'req-test',
      method: 'POST',
      host: 'localhost',
      path: '/orders/v1/orders',
      query: 'page=2&sort=asc',
      status: 201,
      durationMs: 12.346,
      upstreamMs: 10,
      bytesIn: 17,
      bytesOut: 2,
      clientIp: '203.0.113.9',
      apiId: 'api_orders',
      routeId: 'rte_create',
      metric: 'create_order',
      applicationId: 'app_1',
      accountId: 'acc_1',
      planId: 'pln_1',
      subscriptionId: 'sub_1',
      endUser: 'usr_42',
      requestHeaders: { 'content-type': 'application/json', accept: '*/*' },
      responseHeaders: { 'content-type': 'application/json', 'x-n': '3' },
      requestBody: null,
      responseBody: null,
      retentionDays: 30,
    } satisfies RequestLogEntry);
  });

  it('has null consumer fields and upstream time when there were none, and no headers when off', () => {
    const [entry] = logged(
      { headers: false },
      { headers: { accept: '*/*' } },
      ended({ status: 401, upstreamMs: undefined }),
    );
    expect(entry).toMatchObject({
      status: 401,
      upstreamMs: null,
      applicationId: null,
      accountId: null,
      planId: null,
      subscriptionId: null,
      endUser: null,
      requestHeaders: {},
      responseHeaders: {},
      query: '',
    });
  });

  it('stays within what the control plane stores, however long the request', () => {
    const long = 'x'.repeat(20_000);
    const [entry] = logged(
      { captureBody: { request: true, response: true, maxBytes: 1_048_576 } },
      {
        requestTarget: `/${long}?q=${long}`,
        headers: { 'x-long': long, [`x-${long}`]: 'v' },
        consumer: testConsumer({ applicationId: 'app_1', accountId: 'acc_1', subject: long }),
      },
      ended({
        status: 499,
        headers: { 'x-long': long },
        requestBody: Buffer.alloc(1_048_576, 0xff),
        responseBody: Buffer.alloc(1_048_576, 0x61),
      }),
    );
    // The limits of src/control/model/analytics.ts (gateway code may not import it).
    expect(entry?.path).toHaveLength(8192);
    expect(entry?.query).toHaveLength(8192);
    expect(entry?.endUser).toHaveLength(1000);
    for (const fields of [entry?.requestHeaders, entry?.responseHeaders]) {
      for (const [name, value] of Object.entries(fields ?? {})) {
        expect(name.length).toBeLessThanOrEqual(200);
        expect(value.length).toBeLessThanOrEqual(8192);
      }
    }
    expect(entry?.requestHeaders['x-long']).toHaveLength(8192);
    expect(entry?.requestBody).toHaveLength(1_048_576);
    expect(entry?.responseBody).toHaveLength(1_048_576);
  });

  it('drops the scheme and authority of an absolute-form target', () => {
    const [entry] = logged({}, { requestTarget: 'http://api.example.com/a/b?c=d' });
    expect(entry).toMatchObject({ path: '/a/b', query: 'c=d' });
  });

  it('decodes captured bodies as UTF-8, leaving out a character cut in two', () => {
    const euro = Buffer.from('€€', 'utf8').subarray(0, 5); // the second € cut after 2 of 3 bytes
    const [entry] = logged(
      { captureBody: { request: true, response: true } },
      {},
      ended({ requestBody: euro, responseBody: new Uint8Array() }),
    );
    expect(entry).toMatchObject({ requestBody: '€', responseBody: '' });
  });

  it('replaces U+0000, which PostgreSQL refuses, in every string it logs', () => {
    const nul = '\u0000';
    const [entry] = logged(
      { captureBody: { request: true, response: true } },
      {
        requestTarget: `/a${nul}b?q=x${nul}y`,
        headers: { 'x-in': `a${nul}b`, 'content-type': 'text/plain' },
        clientIp: `203.0.113.9${nul}`,
        metrics: [`hits${nul}`],
        consumer: testConsumer({
          applicationId: `app${nul}1`,
          accountId: `acc${nul}1`,
          planId: `pln${nul}1`,
          subscriptionId: `sub${nul}1`,
          subject: `usr${nul}42`,
        }),
      },
      ended({
        headers: { 'x-out': `c${nul}d`, 'content-type': 'application/x-www-form-urlencoded' },
        requestBody: Buffer.from([0x61, 0x00, 0x62]),
        responseBody: Buffer.from(`a=1${nul}&b=2`),
      }),
    );
    expect(JSON.stringify(entry)).not.toContain('\\u0000');
    expect(entry).toMatchObject({
      path: '/a\uFFFDb',
      query: 'q=x\uFFFDy',
      clientIp: '203.0.113.9\uFFFD',
      metric: 'hits\uFFFD',
      applicationId: 'app\uFFFD1',
      subscriptionId: 'sub\uFFFD1',
      endUser: 'usr\uFFFD42',
      requestBody: 'a\uFFFDb',
      responseBody: 'a=1\uFFFD&b=2',
    });
    expect(entry?.requestHeaders['x-in']).toBe('a\uFFFDb');
    expect(entry?.responseHeaders['x-out']).toBe('c\uFFFDd');
  });

  it('logs a label, not the bytes, for a compressed body', () => {
    const json = Buffer.from(JSON.stringify({ n: 'x'.repeat(200) }));
    const [entry] = logged(
      { captureBody: { request: true, response: true } },
      { method: 'POST', headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' } },
      ended({
        headers: { 'content-encoding': 'BR', 'content-type': 'text/plain' },
        requestBody: gzipSync(json),
        responseBody: Buffer.from([0x8b, 0x00, 0x80, 0x1f]),
      }),
    );
    expect(entry).toMatchObject({ requestBody: '[compressed: gzip]', responseBody: '[compressed: br]' });
    const [identity] = logged(
      { captureBody: { request: true } },
      { method: 'POST', headers: { 'content-encoding': 'identity' } },
      ended({ requestBody: json }),
    );
    expect(identity?.requestBody).toBe(json.toString());
  });

  it('logs a label, not the bytes, for a binary body', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]);
    const [entry] = logged(
      { captureBody: { request: true, response: true } },
      { method: 'PUT', headers: { 'content-type': 'Application/Octet-Stream' } },
      ended({
        headers: { 'content-type': 'image/png', 'content-length': 1234 },
        requestBody: png,
        responseBody: png,
      }),
    );
    expect(entry).toMatchObject({
      requestBody: '[binary: application/octet-stream]',
      responseBody: '[binary: image/png, 1234 bytes]',
    });
    const types = ['audio/ogg', 'video/mp4', 'application/zip', 'application/pdf; x=y'];
    for (const type of types) {
      const [binary] = logged(
        { captureBody: { request: true } },
        { method: 'POST', headers: { 'content-type': type, 'content-length': '10' } },
        ended({ requestBody: png }),
      );
      expect(binary?.requestBody).toBe(`[binary: ${type.split(';')[0]}, 10 bytes]`);
    }
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"/>';
    const [text] = logged(
      { captureBody: { response: true } },
      {},
      ended({ headers: { 'content-type': 'image/svg+xml' }, responseBody: Buffer.from(svg) }),
    );
    expect(text?.responseBody).toBe(svg);
  });

  it('asks the gateway for the bodies only when configured', () => {
    const ask = (config: Record<string, unknown>) => {
      const ctx = testContext();
      requestLogHandler(requestLogSchema.parse(config), { add() {} })(ctx);
      return ctx.endListeners[0]?.capture;
    };
    expect(ask({})).toBeUndefined();
    expect(ask({ captureBody: { response: true, maxBytes: 100 } })).toEqual({
      request: false,
      response: true,
      maxBytes: 100,
    });
  });

  it('does nothing without a sink', () => {
    const ctx = testContext();
    expect(requestLog.create(requestLogSchema.parse({}), { credentialOptional: false })(ctx)).toBeUndefined();
    expect(ctx.endListeners).toHaveLength(0);
  });
});

describe('request-log sampling', () => {
  const rates = (sampleRate: number, errorSampleRate: number) => ({ sampleRate, errorSampleRate });

  it('with sampleRate 0 logs nothing but errors', () => {
    expect(logged(rates(0, 1), {}, ended({ status: 200 }), 0)).toHaveLength(0);
    expect(logged(rates(0, 1), {}, ended({ status: 302 }), 0)).toHaveLength(0);
    expect(logged(rates(0, 1), {}, ended({ status: 404 }), 0.999)).toHaveLength(1);
    expect(logged(rates(0, 1), {}, ended({ status: 499 }), 0.999)).toHaveLength(1);
  });

  it('with errorSampleRate 0 drops errors', () => {
    expect(logged(rates(1, 0), {}, ended({ status: 200 }), 0.999)).toHaveLength(1);
    expect(logged(rates(1, 0), {}, ended({ status: 400 }), 0)).toHaveLength(0);
    expect(logged(rates(1, 0), {}, ended({ status: 503 }), 0)).toHaveLength(0);
  });

  it('keeps a request when its draw is below the rate of its status', () => {
    expect(logged(rates(0.25, 0.75), {}, ended({ status: 200 }), 0.2)).toHaveLength(1);
    expect(logged(rates(0.25, 0.75), {}, ended({ status: 200 }), 0.3)).toHaveLength(0);
    expect(logged(rates(0.25, 0.75), {}, ended({ status: 500 }), 0.7)).toHaveLength(1);
    expect(logged(rates(0.25, 0.75), {}, ended({ status: 500 }), 0.8)).toHaveLength(0);
  });

  it('does not even watch a request that neither rate could keep', () => {
    const ctx = testContext();
    requestLogHandler(requestLogSchema.parse(rates(0.1, 0.2)), { add() {} }, () => 0.5)(ctx);
    expect(ctx.endListeners).toHaveLength(0);
    const never = testContext();
    requestLogHandler(requestLogSchema.parse(rates(0, 0)), { add() {} }, () => 0)(never);
    expect(never.endListeners).toHaveLength(0);
  });

  it('keeps about the share asked for', () => {
    let kept = 0;
    const handler = requestLogHandler(requestLogSchema.parse(rates(0.3, 1)), { add: () => void kept++ });
    for (let i = 0; i < 10_000; i++) {
      const ctx = testContext();
      handler(ctx);
      for (const { listener } of ctx.endListeners) listener(ended());
    }
    expect(kept).toBeGreaterThan(2700);
    expect(kept).toBeLessThan(3300);
  });
});

describe('request-log redaction', () => {
  it('never writes a credential, wherever the request carried it', () => {
    const apiKey = generateApiKey('test');
    const queryKey = generateApiKey('live');
    const bearer = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfNDIifQ.c2lnbmF0dXJl';
    const cookie = 'session=s3cr3t-c00kie-value';
    const password = generateBasicPassword();
    const basic = Buffer.from(`app_1:${password}`).toString('base64');
    const others = {
      'x-session-id': 'sess-8d6f2b',
      'x-amz-signature': 'f00dfeedf00dfeed',
      'x-custom-credential': 'hunter2hunter2',
      'x-client-secret': 'cl1ent-s3cret',
      'x-password': 'pa55w0rd-pa55',
      'x-csrf-token': 'csrf-t0ken-t0ken',
      'x-forwarded-key': queryKey,
      'x-carried-elsewhere': apiKey,
    };
    const secrets = [apiKey, queryKey, bearer, 'c2lnbmF0dXJl', 's3cr3t-c00kie-value', password, basic];
    secrets.push(...Object.values(others));
    const requests: TestContextInit[] = [
      {
        requestTarget: `/v1/items?api_key=${queryKey}&page=1&access_token=${bearer}&x=${apiKey}`,
        headers: { 'x-api-key': apiKey, authorization: `Bearer ${bearer}`, cookie, ...others },
      },
      { requestTarget: `/v1/items?${apiKey}`, headers: { authorization: `Basic ${basic}` } },
      { requestTarget: `/v1/keys/${apiKey}/x`, headers: { 'proxy-authorization': `Basic ${basic}` } },
    ];
    for (const init of requests) {
      const end = ended({
        status: 401,
        headers: { 'set-cookie': [cookie, 'theme=dark'], 'www-authenticate': 'Key header="X-API-Key"' },
        requestBody: Buffer.from(`{"key":"${apiKey}","token":"${bearer}"}`),
        responseBody: Buffer.from(`issued ${queryKey}`),
      });
      const [entry] = logged({ captureBody: { request: true, response: true } }, init, end);
      const text = JSON.stringify(entry);
      for (const secret of secrets) expect(text, secret).not.toContain(secret);
    }
    const [first] = logged({}, requests[0] as TestContextInit);
    expect(first?.query).toBe(`api_key=${redacted}&page=1&access_token=${redacted}&x=${redacted}`);
    expect(first?.requestHeaders).toMatchObject({
      'x-api-key': redacted,
      authorization: redacted,
      cookie: redacted,
      'x-carried-elsewhere': redacted,
    });
  });

  it('redacts the configured headers and parameters whatever their case, and keeps the rest', () => {
    const [entry] = logged(
      { redactHeaders: ['X-Tenant'], redactQuery: ['Email'] },
      {
        requestTarget: '/a?email=a%40b.c&EMAIL=x&q=shoes&flag',
        headers: { 'x-tenant': 'acme', 'user-agent': 'curl/8' },
      },
    );
    expect(entry?.query).toBe(`email=${redacted}&EMAIL=${redacted}&q=shoes&flag`);
    expect(entry?.requestHeaders).toEqual({ 'x-tenant': redacted, 'user-agent': 'curl/8' });
  });

  it('joins repeated headers and cuts values to what the control plane stores', () => {
    const redactor = new Redactor([], []);
    const long = 'v'.repeat(9000);
    expect(
      redactor.headers({ via: ['1.1 a', '1.1 b'], 'x-long': long, [`x-${'n'.repeat(200)}`]: 'dropped' }),
    ).toEqual({ via: '1.1 a, 1.1 b', 'x-long': 'v'.repeat(8192) });
    expect(redactor.query(`q=${'x'.repeat(9000)}`)).toHaveLength(8192);
  });

  it('leaves out HTTP/2 pseudo-headers, whose :path repeats the query unredacted', () => {
    const [entry] = logged(
      {},
      {
        requestTarget: '/a?access_token=secret1&password=secret2',
        headers: {
          ':method': 'GET',
          ':scheme': 'https',
          ':authority': 'api.example.com',
          ':path': '/a?access_token=secret1&password=secret2',
          accept: '*/*',
        },
      },
    );
    expect(entry?.requestHeaders).toEqual({ accept: '*/*' });
    expect(entry?.query).toBe(`access_token=${redacted}&password=${redacted}`);
    expect(JSON.stringify(entry)).not.toMatch(/secret1|secret2/);
  });

  it('redacts parameters named exactly sig, code, pwd, pass, passwd and the OAuth secrets', () => {
    const names = ['sig', 'code', 'code_verifier', 'pwd', 'pass', 'passwd', 'client_secret'];
    names.push('client_assertion', 'refresh_token', 'id_token', 'assertion', 'Code');
    const query = names.map((name, i) => `${name}=v${i}`).join('&');
    const [entry] = logged({}, { requestTarget: `/cb?${query}&codec=h264&passage=3&state=xyz` });
    expect(entry?.query).toBe(
      `${names.map((name) => `${name}=${redacted}`).join('&')}&codec=h264&passage=3&state=xyz`,
    );
  });

  it('redacts the credential fields of form bodies, both ways, and leaves other bodies be', () => {
    const form = 'application/x-www-form-urlencoded; charset=utf-8';
    const [entry] = logged(
      { captureBody: { request: true, response: true } },
      { method: 'POST', headers: { 'content-type': form } },
      ended({
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        requestBody: Buffer.from('grant_type=password&username=alice&password=hunter2&code=c0de'),
        responseBody: Buffer.from('access_token=gho_0paque&scope=repo'),
      }),
    );
    expect(entry?.requestBody).toBe(
      `grant_type=password&username=alice&password=${redacted}&code=${redacted}`,
    );
    expect(entry?.responseBody).toBe(`access_token=${redacted}&scope=repo`);
    const [text] = logged(
      { captureBody: { request: true } },
      { method: 'POST', headers: { 'content-type': 'text/plain' } },
      ended({ requestBody: Buffer.from('password=shown') }),
    );
    expect(text?.requestBody).toBe('password=shown');
  });

  it('redacts the query and fragment parameters of Referer and Location', () => {
    const [entry] = logged(
      {},
      { headers: { referer: 'https://app.example/cb?code=abc123&state=xyz&page=2' } },
      ended({
        status: 302,
        headers: {
          location: 'https://app.example/cb#access_token=opaque123&token_type=bearer&expires_in=3600',
          'content-location': '/docs?pwd=p4ss#section-2',
        },
      }),
    );
    expect(entry?.requestHeaders.referer).toBe(`https://app.example/cb?code=${redacted}&state=xyz&page=2`);
    expect(entry?.responseHeaders).toEqual({
      location: `https://app.example/cb#access_token=${redacted}&token_type=${redacted}&expires_in=3600`,
      'content-location': `/docs?pwd=${redacted}#section-2`,
    });
    const [plain] = logged({}, { headers: { referer: 'https://app.example/orders/42#summary' } });
    expect(plain?.requestHeaders.referer).toBe('https://app.example/orders/42#summary');
  });

  it('redacts a Turnpike secret or a JWT that the capture limit cut in two', () => {
    const key = generateApiKey('live');
    const token = generateAdminToken();
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfNDIiLCJuYW1lIjoiQWxpY2UifQ.c2lnbmF0dXJlc2lnbmF0dXJl';
    const pad = 'x'.repeat(90);
    const cut = (text: string, maxBytes: number, contentType = 'application/json') =>
      logged(
        { captureBody: { request: true, maxBytes } },
        { method: 'POST', headers: { 'content-type': contentType } },
        ended({ requestBody: Buffer.from(text).subarray(0, maxBytes) }),
      )[0]?.requestBody;
    // Cut after 28 of a key's 36 random characters, in a JWT's payload, in its header.
    expect(cut(`${pad}${key}`, 90 + 8 + 28)).toBe(`${pad}${redacted}`);
    expect(cut(`${pad}"${token}"`, 91 + 4 + 30)).toBe(`${pad}"${redacted}`);
    expect(cut(`{"t":"${jwt}"}`, 6 + 40)).toBe(`{"t":"${redacted}`);
    expect(cut(`{"t":"${jwt}"}`, 6 + 12)).toBe(`{"t":"${redacted}`);
    // In its signature: whole enough for the pattern already.
    expect(cut(`{"t":"${jwt}"}`, 6 + jwt.length - 5)).toBe(`{"t":"${redacted}`);
    // Not cut: the end is left alone, the text being whole.
    expect(cut(`{"id":"tp_live_abc","n":"eyJhbG"}`, 8192)).toBe('{"id":"tp_live_abc","n":"eyJhbG"}');
  });

  it('keeps a form body within maxBytes however much redaction lengthens it', () => {
    const body = 'pass=1&pwd=2&sig=3&code=4&x=5'; // 29 bytes, longer once redacted
    const [entry] = logged(
      { captureBody: { request: true, maxBytes: 40 } },
      { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      ended({ requestBody: Buffer.from(body) }),
    );
    expect(entry?.requestBody).toBe(`pass=${redacted}&pwd=${redacted}&sig=[reda`);
  });

  it('finds secrets as the pattern they follow does, leftmost first', () => {
    const pattern =
      /tp(?:_live_|_test_|[abch]_)[0-9A-Za-z]{36}|eyJ[0-9A-Za-z_-]*\.[0-9A-Za-z_-]+\.[0-9A-Za-z_-]*/g;
    const key = generateApiKey('test');
    const piece = fc.constantFrom('eyJ', '.', 'a', '-', ' ', '"', 'tp_live_', 'tpb_', key, key.slice(8));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        expect(scrub(text)).toBe(text.replace(pattern, redacted));
      }),
      { numRuns: 2000 },
    );
  });

  it('scrubs a long run of base64 without dots in linear time', () => {
    // A regular expression took 11 s over 256 KiB of this: quadratic, on the gateway's thread.
    const run = 'eyJ'.repeat(87_382);
    const started = performance.now();
    expect(scrub(run)).toBe(run);
    const [entry] = logged(
      { captureBody: { request: true, maxBytes: run.length + 10 } },
      {
        method: 'POST',
        requestTarget: `/a?q=${run.slice(0, 8000)}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-run': run.slice(0, 8000) },
      },
      ended({ requestBody: Buffer.from(`a=${run}`) }),
    );
    expect(entry?.requestBody).toBe(`a=${run}`);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('replaces secrets inside text and leaves other text alone', () => {
    const key = generateApiKey('live');
    expect(scrub(`{"key":"${key}","n":1}`)).toBe(`{"key":"${redacted}","n":1}`);
    expect(scrub('{"n":1}')).toBe('{"n":1}');
  });
});
