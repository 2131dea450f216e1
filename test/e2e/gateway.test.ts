// User story: "I put my service behind Turnpike through the admin API. The gateway routes by host,
// base path, route path and method; passes bodies through as they stream; admits only keys of
// subscribed, active applications and tells the upstream who called; and every error it makes is
// a problem+json with a request id."
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdminClient, type ProvisionedApp, provisionApp, provisionPlan } from '../support/admin-client.ts';
import { type RunningTurnpike, removeDir, startTurnpike } from '../support/cli.ts';
import { expectProblem, type RawResponse, readResponse, send, sendRaw } from '../support/http.ts';
import { deadPort, sha256, TestUpstream, type UpstreamEcho } from '../support/upstream.ts';

const fiveMegabytes = 5 * 1024 * 1024;
const firstPart = 64 * 1024;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the gateway in front of a real upstream', () => {
  const svc = new TestUpstream('svc');
  let tp: RunningTurnpike;
  let admin: AdminClient;
  let planId = '';
  let shopApiId = '';
  /** Subscribed; the happy path. */
  let alice: ProvisionedApp;
  /** Has a key but no subscription. */
  let bob: ProvisionedApp;
  /** Subscribed; its account gets suspended. */
  let carol: ProvisionedApp;
  /** Subscribed; its subscription gets suspended. */
  let dave: ProvisionedApp;

  const gw = (
    path: string,
    options: { method?: string; key?: string; headers?: Record<string, string> } = {},
  ) =>
    send(`${tp.gateway}${path}`, {
      method: options.method ?? 'GET',
      headers: { ...(options.key !== undefined && { 'x-api-key': options.key }), ...options.headers },
    });
  const echoOf = (response: RawResponse): UpstreamEcho => {
    expect(response.status, response.text).toBe(200);
    const echo = response.json() as UpstreamEcho;
    expect(echo.upstream).toBe('svc');
    return echo;
  };

  beforeAll(async () => {
    const [, port] = await Promise.all([svc.start(), deadPort()]);
    tp = await startTurnpike();
    admin = new AdminClient(tp.admin, tp.token);
    const upstream = await admin.create('/upstreams', { name: 'svc', targets: [{ url: svc.url }] });
    const gone = await admin.create('/upstreams', {
      name: 'gone',
      targets: [{ url: `http://127.0.0.1:${port}` }],
    });
    const api = async (body: Record<string, unknown>, routes: Record<string, unknown>[]) => {
      const created = await admin.create('/apis', { upstreamId: upstream.id, ...body });
      for (const route of routes) await admin.create(`/apis/${created.id}/routes`, route);
      return created.id as string;
    };
    await api({ name: 'hosted', basePath: '/hosted', hosts: ['a.test'], keyless: true }, [
      { name: 'who', methods: ['GET'], path: '/who' },
    ]);
    const shop = await api({ name: 'shop', basePath: '/shop/v1' }, [
      { name: 'items', methods: ['GET', 'POST'], path: '/items' },
      { name: 'item', methods: ['GET', 'DELETE'], path: '/items/{id}' },
      { name: 'upload', methods: ['POST'], path: '/upload' },
      { name: 'download', methods: ['GET'], path: '/download' },
    ]);
    await api({ name: 'raw', basePath: '/raw', keyless: true, stripBasePath: false }, [
      { name: 'all', path: '/*' },
    ]);
    await api({ name: 'open', basePath: '/open', keyless: true }, [
      { name: 'ping', methods: ['GET'], path: '/ping' },
    ]);
    await api({ name: 'gone', basePath: '/gone', keyless: true, upstreamId: gone.id }, [
      { name: 'all', path: '/*' },
    ]);
    shopApiId = shop;
    planId = await provisionPlan(admin, 'shop', [shop]);
    alice = await provisionApp(admin, 'alice', planId);
    bob = await provisionApp(admin, 'bob', undefined);
    carol = await provisionApp(admin, 'carol', planId);
    dave = await provisionApp(admin, 'dave', planId);
  });

  afterAll(async () => {
    await tp?.stop();
    await svc.close();
    if (tp) removeDir(tp.dataDir);
  });

  it('answers for an API with hosts only on those hosts', async () => {
    const onHost = echoOf(await gw('/hosted/who', { headers: { host: 'a.test' } }));
    expect(onHost.url).toBe('/who');
    // The upstream gets its own host, and the client's in X-Forwarded-Host.
    expect(onHost.headers.host).toBe(new URL(svc.url).host);
    expect(onHost.headers['x-forwarded-host']).toBe('a.test');
    // Case and port do not matter.
    echoOf(await gw('/hosted/who', { headers: { host: 'A.Test:8000' } }));

    expectProblem(await gw('/hosted/who', { headers: { host: 'b.test' } }), 404, 'route-not-found');
    expectProblem(await gw('/hosted/who'), 404, 'route-not-found'); // Host: 127.0.0.1:port
    expectProblem(await gw('/hosted/who', { headers: { host: 'a.test.evil' } }), 404, 'route-not-found');
    // An API without hosts answers on any host, a.test included.
    echoOf(await gw('/open/ping', { headers: { host: 'a.test' } }));
    echoOf(await gw('/open/ping', { headers: { host: 'whatever.example' } }));
  });

  it('matches the base path, then the route path and method', async () => {
    const get = echoOf(await gw('/shop/v1/items', { key: alice.key }));
    expect(get).toMatchObject({ method: 'GET', url: '/items' });
    const post = echoOf(await gw('/shop/v1/items', { method: 'POST', key: alice.key }));
    expect(post.method).toBe('POST');
    const head = await gw('/shop/v1/items', { method: 'HEAD', key: alice.key });
    expect(head.status).toBe(200); // a GET route answers HEAD
    expect(head.body.length).toBe(0);
    expect(echoOf(await gw('/shop/v1/items/', { key: alice.key })).url).toBe('/items/'); // one trailing slash

    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const refused = await gw('/shop/v1/items', { method, key: alice.key });
      expectProblem(refused, 405, 'method-not-allowed');
      expect(refused.headers.allow).toBe('GET, HEAD, POST');
    }
    for (const path of [
      '/shop/v2/items',
      '/shop/items',
      '/shop/v1',
      '/shop/v1/other',
      '/shop/v1/items/1/more',
      '/SHOP/v1/items',
    ]) {
      expectProblem(await gw(path, { key: alice.key }), 404, 'route-not-found');
    }
    // Routing comes first: a wrong path is a 404 even without a key.
    expectProblem(await gw('/shop/v1/other'), 404, 'route-not-found');
    expectProblem(await gw('/shop/v1/items', { method: 'PUT' }), 405, 'method-not-allowed');
  });

  it('matches path parameters as one segment and forwards the query untouched', async () => {
    expect(echoOf(await gw('/shop/v1/items/42', { key: alice.key })).url).toBe('/items/42');
    const deleted = echoOf(await gw('/shop/v1/items/abc-1', { method: 'DELETE', key: alice.key }));
    expect(deleted).toMatchObject({ method: 'DELETE', url: '/items/abc-1' });
    const wrong = await gw('/shop/v1/items/42', { method: 'POST', key: alice.key });
    expectProblem(wrong, 405, 'method-not-allowed');
    expect(wrong.headers.allow).toBe('DELETE, GET, HEAD');
    const query = echoOf(await gw('/shop/v1/items/42?expand=owner&q=a%20b&q=c', { key: alice.key }));
    expect(query.url).toBe('/items/42?expand=owner&q=a%20b&q=c');
  });

  it('strips the base path by default and keeps it when stripBasePath is false', async () => {
    expect(echoOf(await gw('/shop/v1/items?x=1', { key: alice.key })).url).toBe('/items?x=1');
    expect(echoOf(await gw('/raw/a/b?x=1')).url).toBe('/raw/a/b?x=1');
    expect(echoOf(await gw('/raw')).url).toBe('/raw');
  });

  /** POSTs 5 MB: the first 64 KB, then (once the upstream saw them, or after 5 s) the rest. */
  async function streamingUpload(chunked: boolean) {
    const payload = svc.payload;
    let clientDone = false;
    let seenByUpstream = false;
    const started = new Promise<void>((resolve) => {
      svc.uploadStarted = () => {
        seenByUpstream = !clientDone;
        resolve();
      };
    });
    const responded = new Promise<RawResponse>((resolve, reject) => {
      const req = request(`${tp.gateway}/shop/v1/upload`, {
        method: 'POST',
        headers: {
          'x-api-key': alice.key,
          'content-type': 'application/octet-stream',
          ...(!chunked && { 'content-length': String(payload.length) }),
        },
      });
      req.on('response', (res) => readResponse(res).then(resolve, reject));
      req.on('error', reject);
      req.write(payload.subarray(0, firstPart));
      void Promise.race([started, sleep(5000)]).then(() => {
        clientDone = true;
        req.end(payload.subarray(firstPart));
      });
    });
    const response = await responded;
    svc.uploadStarted = undefined;
    return { echo: echoOf(response), seenByUpstream };
  }

  it('streams a 5 MB request body to the upstream as it arrives (chunked and with Content-Length)', async () => {
    for (const chunked of [true, false]) {
      const { echo, seenByUpstream } = await streamingUpload(chunked);
      // The upstream saw the first bytes while the client still held back the rest.
      expect(seenByUpstream, `chunked=${chunked}`).toBe(true);
      expect(echo.bodyBytes).toBe(fiveMegabytes);
      expect(echo.bodySha256).toBe(sha256(svc.payload));
      if (chunked) expect(echo.headers['content-length']).toBeUndefined();
      else expect(echo.headers['content-length']).toBe(String(fiveMegabytes));
    }
  });

  it('streams a 5 MB response body to the client as it arrives', async () => {
    const received = await new Promise<{ status: number; length: string | undefined; body: Buffer }>(
      (resolve, reject) => {
        const req = request(`${tp.gateway}/shop/v1/download`, { headers: { 'x-api-key': alice.key } });
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => {
            // The second half leaves the upstream only once the first reached the client.
            if (chunks.length === 0) svc.releaseDownload();
            chunks.push(chunk);
          });
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              length: res.headers['content-length'],
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      },
    );
    expect(received.status).toBe(200);
    expect(svc.downloadGate).toBe('released');
    expect(received.length).toBe(String(fiveMegabytes));
    expect(received.body.length).toBe(fiveMegabytes);
    expect(sha256(received.body)).toBe(sha256(svc.payload));
  });

  it('refuses a missing or unknown key with 401', async () => {
    const missing = await gw('/shop/v1/items');
    expectProblem(missing, 401, 'key-missing');
    expect(missing.headers['www-authenticate']).toBe('Key header="X-API-Key"');
    expectProblem(await gw('/shop/v1/items', { key: `tp_live_${'0'.repeat(36)}` }), 401, 'key-malformed');
    const unknown = alice.key.replace('tp_live_', 'tp_test_'); // well-formed, never issued
    expectProblem(await gw('/shop/v1/items', { key: unknown }), 401, 'key-invalid');
    // The key travels only in X-API-Key; elsewhere it is not a credential.
    expectProblem(
      await gw('/shop/v1/items', { headers: { authorization: `Bearer ${alice.key}` } }),
      401,
      'key-missing',
    );
    expectProblem(await gw(`/shop/v1/items?api_key=${alice.key}`), 401, 'key-missing');
  });

  it('refuses with 403 not-subscribed a valid key of an application without a subscription', async () => {
    const refused = await gw('/shop/v1/items', { key: bob.key });
    expectProblem(refused, 403, 'not-subscribed');
    const served = svc.served;
    await gw('/shop/v1/items', { key: bob.key });
    expect(svc.served).toBe(served); // nothing reached the upstream
  });

  it('refuses with 403 while the subscription is suspended, and serves again once it is resumed', async () => {
    echoOf(await gw('/shop/v1/items', { key: dave.key }));
    await admin.update(`/subscriptions/${dave.subscriptionId}`, { state: 'suspended' });
    expectProblem(await gw('/shop/v1/items', { key: dave.key }), 403, 'not-subscribed');
    await admin.update(`/subscriptions/${dave.subscriptionId}`, { state: 'active' });
    echoOf(await gw('/shop/v1/items', { key: dave.key }));
    // Others on the same plan were never affected.
    echoOf(await gw('/shop/v1/items', { key: alice.key }));
  });

  it('refuses with 403 application-inactive while the account or the application is suspended', async () => {
    echoOf(await gw('/shop/v1/items', { key: carol.key }));
    await admin.update(`/accounts/${carol.accountId}`, { state: 'suspended' });
    expectProblem(await gw('/shop/v1/items', { key: carol.key }), 403, 'application-inactive');
    await admin.update(`/accounts/${carol.accountId}`, { state: 'approved' });
    echoOf(await gw('/shop/v1/items', { key: carol.key }));

    await admin.update(`/applications/${carol.applicationId}`, { state: 'suspended' });
    expectProblem(await gw('/shop/v1/items', { key: carol.key }), 403, 'application-inactive');
    await admin.update(`/applications/${carol.applicationId}`, { state: 'active' });
    echoOf(await gw('/shop/v1/items', { key: carol.key }));
  });

  it('refuses with 403 once the API leaves the product of the plan, and serves again when it is back', async () => {
    const product = (await admin.call('GET', `/plans/${planId}`)).body.productId;
    await admin.update(`/products/${product}`, { apiIds: [] });
    expectProblem(await gw('/shop/v1/items', { key: alice.key }), 403, 'not-subscribed');
    await admin.update(`/products/${product}`, { apiIds: [shopApiId] });
    echoOf(await gw('/shop/v1/items', { key: alice.key }));
  });

  it('tells the upstream who called, with the ids the admin API uses, and never passes the key on', async () => {
    const echo = echoOf(await gw('/shop/v1/items', { key: alice.key }));
    expect(echo.headers['x-consumer-application']).toBe(alice.applicationId);
    expect(echo.headers['x-consumer-account']).toBe(alice.accountId);
    expect(echo.headers['x-consumer-plan']).toBe(planId);
    expect(echo.headers['x-api-key']).toBeUndefined();
    expect(JSON.stringify(echo.headers)).not.toContain(alice.key);
  });

  it('strips X-Consumer-* headers a client sends, on keyed and keyless APIs', async () => {
    const spoofed = {
      'x-consumer-application': 'app_00000000000000000000000000',
      'x-consumer-account': 'acc_00000000000000000000000000',
      'x-consumer-plan': 'pln_00000000000000000000000000',
      'x-consumer-groups': 'admins',
    };
    const keyed = echoOf(await gw('/shop/v1/items', { key: alice.key, headers: spoofed }));
    expect(keyed.headers['x-consumer-application']).toBe(alice.applicationId);
    expect(keyed.headers['x-consumer-account']).toBe(alice.accountId);
    expect(keyed.headers['x-consumer-plan']).toBe(planId);
    expect(keyed.headers['x-consumer-groups']).toBeUndefined();

    const keyless = echoOf(await gw('/open/ping', { headers: spoofed }));
    expect(Object.keys(keyless.headers).filter((name) => name.startsWith('x-consumer-'))).toEqual([]);
  });

  it('lets calls to a keyless API through without a key and without consumer headers', async () => {
    const echo = echoOf(await gw('/open/ping'));
    expect(echo.url).toBe('/ping');
    expect(Object.keys(echo.headers).filter((name) => name.startsWith('x-consumer-'))).toEqual([]);
    // A keyless API stays open to callers with keys too, whether or not they are subscribed.
    echoOf(await gw('/open/ping', { key: bob.key }));
  });

  it('answers 502 upstream-unavailable when the upstream is down', async () => {
    expectProblem(await gw('/gone/anything'), 502, 'upstream-unavailable');
  });

  it('refuses requests it could read two ways with 400 problem+json, never reaching the upstream', async () => {
    const served = svc.served;
    const key = `X-API-Key: ${alice.key}\r\n`;
    const duplicateHost = await sendRaw(
      tp.gateway,
      `GET /shop/v1/items HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n${key}\r\n`,
    );
    expectProblem(duplicateHost, 400, 'bad-request');
    const absoluteForm = await sendRaw(
      tp.gateway,
      `GET http://elsewhere.example/shop/v1/items HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
    );
    expectProblem(absoluteForm, 400, 'bad-request');
    const dotSegments = await sendRaw(
      tp.gateway,
      `GET /shop/v1/x/%2e%2e/items HTTP/1.1\r\nHost: x\r\n${key}\r\n`,
    );
    expectProblem(dotSegments, 400, 'bad-request');
    expect(svc.served).toBe(served);
  });

  it('answers requests with conflicting body framing (CL+TE, two Content-Lengths) with 400 problem+json', async () => {
    const served = svc.served;
    const key = `X-API-Key: ${alice.key}\r\n`;
    const smuggling = await sendRaw(
      tp.gateway,
      `POST /shop/v1/items HTTP/1.1\r\nHost: x\r\n${key}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    );
    const twoLengths = await sendRaw(
      tp.gateway,
      `POST /shop/v1/items HTTP/1.1\r\nHost: x\r\n${key}Content-Length: 1\r\nContent-Length: 2\r\n\r\nab`,
    );
    expect(svc.served).toBe(served); // refused before any upstream call
    expectProblem(smuggling, 400, 'bad-request');
    expectProblem(twoLengths, 400, 'bad-request');
  });

  it('gives every error a request id: the caller’s when it sends a sane one, a fresh one otherwise', async () => {
    const kept = await gw('/shop/v1/items', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(expectProblem(kept, 401, 'key-missing').requestId).toBe('trace-abc.123');
    const replaced = await gw('/nowhere', { headers: { 'x-request-id': 'bad id with spaces' } });
    const body = expectProblem(replaced, 404, 'route-not-found');
    expect(body.requestId).not.toBe('bad id with spaces');
    const other = expectProblem(await gw('/nowhere'), 404, 'route-not-found');
    expect(other.requestId).not.toBe(body.requestId);
    // Successful responses carry it too, and the upstream got the same id.
    const ok = await gw('/open/ping', { headers: { 'x-request-id': 'trace-ok' } });
    expect(ok.headers['x-request-id']).toBe('trace-ok');
    expect(echoOf(ok).headers['x-request-id']).toBe('trace-ok');
    // Error bodies say nothing of internals.
    for (const response of [kept, replaced])
      expect(response.text).not.toMatch(/at \w+ \(|node_modules|\.ts:/);
  });
});
